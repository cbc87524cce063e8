import { randomUUID } from "node:crypto";
import { isLookup, type TableDefinition } from "../../../solution/schema";
import { handleBatch } from "./batch";
import { badRequest, DataverseError, ERROR_CODES, recordNotFound } from "./errors";
import { evaluateFilter, sortRows } from "./evaluate";
import { handleMetadata } from "./metadata";
import { checkPlatformRow } from "./platformRules";
import { modelByLogicalName, modelBySetName, propertyOf, type TableModel } from "./model";
import { parseQueryOptions, splitTopLevel, validateOptions, type QueryOptions } from "./queryOptions";
import { annotationMatcher, etagOf, relatedRows, renderRow, type RenderContext } from "./render";
import {
  assertCanCreate,
  assertCanModify,
  assertCanRead,
  resolveCaller,
  type Caller,
  type SecurityOptions,
} from "./security";
import type { Row, Store } from "./store";
import { coerceInput, isEntityRef, isGuid, toStoredInstant, type Language } from "./values";
import type { WebhookDispatcher, WriteEvent } from "./webhooks";

/**
 * The Web API request pipeline, independent of the HTTP server so $batch parts run through it too.
 * Every failure is a DataverseError turned into {"error":{"code","message"}}; anything unexpected is
 * still reported, but as a 500 that names the emulator, never as a silent success.
 */

export const API_PATH = "/api/data/v9.2/";
const MAX_COUNT = 5000;
const DEFAULT_PAGE = 5000;

export interface ApiRequest {
  method: string;
  /** Path and query, e.g. "/api/data/v9.2/accounts?$top=1". Absolute URLs (inside $batch) are accepted. */
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ServiceOptions extends SecurityOptions {
  baseUrl: () => string;
  languages: Record<string, Language>;
  onChange: () => void;
}

interface Prefer {
  annotations: string | null;
  maxPageSize: number | null;
  returnRepresentation: boolean;
  continueOnError: boolean;
}

function parsePrefer(header: string | undefined): Prefer {
  const prefer: Prefer = { annotations: null, maxPageSize: null, returnRepresentation: false, continueOnError: false };
  for (const part of (header ?? "").split(/,(?=\s*(?:odata\.|return|respond-async))/)) {
    const [name, ...rest] = part.trim().split("=");
    const value = rest.join("=").trim().replace(/^"|"$/g, "");
    if (name === "odata.include-annotations") prefer.annotations = value;
    else if (name === "odata.maxpagesize") {
      if (!/^\d+$/.test(value) || Number(value) < 1)
        throw badRequest(`The odata.maxpagesize preference '${value}' must be a positive integer.`);
      prefer.maxPageSize = Math.min(Number(value), DEFAULT_PAGE);
    } else if (name === "return" && value === "representation") prefer.returnRepresentation = true;
    else if (name === "odata.continue-on-error") prefer.continueOnError = true;
  }
  return prefer;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { "content-type": "application/json; odata.metadata=minimal", "odata-version": "4.0", ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: unknown): ApiResponse {
  if (error instanceof DataverseError) return json(error.status, error.toBody());
  const message = error instanceof Error ? error.message : String(error);
  return json(500, { error: { code: "0x80040216", message: `Dataverse emulator internal error: ${message}` } });
}

interface Key {
  id: string | null;
  alternate: Record<string, string | number> | null;
}

interface Route {
  model: TableModel | null;
  special: "whoami" | "batch" | "root" | "win" | "lose" | null;
  key: Key | null;
  /** Navigation property or "$count" after the key. */
  navigation: string | null;
  relatedKey: string | null;
  ref: boolean;
  count: boolean;
}

function parseKey(model: TableModel, raw: string): Key {
  const text = raw.trim();
  const bare = text.replace(/^\{|\}$/g, "");
  if (isGuid(bare)) return { id: bare.toLowerCase(), alternate: null };
  const alternate: Record<string, string | number> = {};
  for (const pair of splitTopLevel(text, ",")) {
    const m =
      /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'((?:[^']|'')*)'|([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|-?\d+(?:\.\d+)?))\s*$/.exec(
        pair,
      );
    if (!m || !m[1])
      throw badRequest(
        `Invalid key '${raw}' for '${model.table.entitySetName}': expected a GUID or name='value' pairs.`,
      );
    const bare = m[3] ?? "";
    alternate[m[1]] = m[2] !== undefined ? m[2].replace(/''/g, "'") : isGuid(bare) ? bare.toLowerCase() : Number(bare);
  }
  const names = Object.keys(alternate).sort();
  const defined = (model.table.alternateKeys ?? []).some((k) => [...k].sort().join(",") === names.join(","));
  if (!defined) {
    throw badRequest(
      `The key (${names.join(",")}) is not a defined alternate key of entity '${model.table.logicalName}'.`,
    );
  }
  return { id: null, alternate };
}

function parseRoute(path: string): Route {
  const route: Route = {
    model: null,
    special: null,
    key: null,
    navigation: null,
    relatedKey: null,
    ref: false,
    count: false,
  };
  if (path === "" || path === "/") return { ...route, special: "root" };
  if (path === "WhoAmI" || path === "WhoAmI()") return { ...route, special: "whoami" };
  if (path === "WinOpportunity") return { ...route, special: "win" };
  if (path === "LoseOpportunity") return { ...route, special: "lose" };
  if (path === "$batch") return { ...route, special: "batch" };
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\(([^)]*)\))?(?:\/(.*))?$/.exec(path);
  if (!m || !m[1])
    throw new DataverseError(404, ERROR_CODES.resourceNotFound, `Resource not found for the segment '${path}'.`);
  const model = modelBySetName(m[1]);
  route.model = model;
  if (m[2] !== undefined) route.key = parseKey(model, m[2]);
  const rest = m[3];
  if (rest === undefined) return route;
  if (rest === "$count" && !route.key) return { ...route, count: true };
  if (!route.key)
    throw new DataverseError(404, ERROR_CODES.resourceNotFound, `Resource not found for the segment '${rest}'.`);
  const nav = /^([A-Za-z_][A-Za-z0-9_]*)(?:\(([^)]*)\))?(\/\$ref)?$/.exec(rest);
  if (!nav || !nav[1])
    throw new DataverseError(404, ERROR_CODES.resourceNotFound, `Resource not found for the segment '${rest}'.`);
  route.navigation = nav[1];
  route.relatedKey = nav[2]?.replace(/^\{|\}$/g, "").toLowerCase() ?? null;
  route.ref = nav[3] !== undefined;
  return route;
}

/** Splits "…/api/data/v9.2/<path>?<query>" into the path after the API root and its query options. */
function splitUrl(url: string): { path: string; params: Map<string, string> } {
  const parsed = new URL(url, "http://emulator.local");
  const index = parsed.pathname.indexOf(API_PATH);
  if (index === -1)
    throw new DataverseError(
      404,
      ERROR_CODES.resourceNotFound,
      `Resource not found: '${parsed.pathname}'. The Web API lives under ${API_PATH}.`,
    );
  const path = decodeURIComponent(parsed.pathname.slice(index + API_PATH.length));
  const params = new Map<string, string>();
  for (const [k, v] of parsed.searchParams) {
    if (params.has(k))
      throw badRequest(`Query option '${k}' was specified more than once; it must be specified at most once.`);
    params.set(k, v);
  }
  return { path, params };
}

export class DataverseService {
  constructor(
    public store: Store,
    private readonly options: ServiceOptions,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  get baseUrl(): string {
    return this.options.baseUrl();
  }

  async handle(request: ApiRequest, contentIds?: Map<string, string>): Promise<ApiResponse> {
    const depth = this.store.depth();
    try {
      return await this.dispatch(request, contentIds);
    } catch (error) {
      // Whatever the failed request changed is undone, as a failed Dataverse request leaves no trace.
      this.store.rollbackTo(depth);
      return errorResponse(error);
    }
  }

  private async dispatch(request: ApiRequest, contentIds?: Map<string, string>): Promise<ApiResponse> {
    let url = request.url;
    if (contentIds && url.startsWith("$")) {
      const m = /^\$(\w+)(.*)$/.exec(url);
      const resolved = m?.[1] ? contentIds.get(m[1]) : undefined;
      if (!resolved)
        throw badRequest(
          `Content-ID reference '${url.split("/")[0]}' does not match an earlier request of the change set.`,
        );
      url = resolved + (m?.[2] ?? "");
    }
    const { path, params } = splitUrl(url);
    if (path.startsWith("EntityDefinitions")) {
      const caller = resolveCaller(this.store, request.headers, this.options, this.options.languages);
      return json(200, handleMetadata(request.method.toUpperCase(), path, params, this.baseUrl, caller.language));
    }
    const route = parseRoute(path);
    const method = request.method.toUpperCase();
    if (route.special === "batch") {
      if (method !== "POST") throw new DataverseError(405, ERROR_CODES.methodNotAllowed, "$batch accepts POST only.");
      resolveCaller(this.store, request.headers, this.options, this.options.languages);
      return handleBatch(this, request, parsePrefer(request.headers.prefer).continueOnError);
    }
    const caller = resolveCaller(this.store, request.headers, this.options, this.options.languages);
    const prefer = parsePrefer(request.headers.prefer);
    if (route.special === "root") return json(200, { "@odata.context": `${this.baseUrl}$metadata`, value: [] });
    if (route.special === "whoami") {
      if (method !== "GET")
        throw new DataverseError(405, ERROR_CODES.methodNotAllowed, "WhoAmI is a function: use GET.");
      const org = Object.values(this.store.data.tables.organization ?? {})[0];
      return json(200, {
        "@odata.context": `${this.baseUrl}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: String(org?.organizationid ?? ""),
        UserId: caller.userId,
        OrganizationId: String(org?.organizationid ?? ""),
      });
    }
    if (route.special === "win" || route.special === "lose") {
      if (method !== "POST")
        throw new DataverseError(405, ERROR_CODES.methodNotAllowed, `${path} is an action: use POST.`);
      return this.closeOpportunity(route.special, request, caller);
    }
    const model = route.model as TableModel;
    if (method === "GET") assertCanRead(caller, model.table);
    const render: RenderContext = {
      store: this.store,
      language: caller.language,
      annotations: annotationMatcher(prefer.annotations),
    };

    if (route.count) {
      if (method !== "GET") throw new DataverseError(405, ERROR_CODES.methodNotAllowed, "$count accepts GET only.");
      const options = parseQueryOptions(params);
      validateOptions(model, options, true);
      const rows = this.query(model, options);
      return {
        status: 200,
        headers: { "content-type": "text/plain", "odata-version": "4.0" },
        body: String(Math.min(rows.length, MAX_COUNT)),
      };
    }
    if (!route.key) {
      if (method === "GET") return this.retrieveMultiple(model, params, prefer, render, request.url);
      if (method === "POST") return this.create(model, request, params, prefer, caller, render, contentIds);
      throw new DataverseError(
        405,
        ERROR_CODES.methodNotAllowed,
        `The HTTP method '${method}' is not allowed on a collection.`,
      );
    }
    if (route.navigation) return this.navigationRequest(model, route, method, request, params, caller, render);
    switch (method) {
      case "GET":
        return this.retrieve(model, route.key, params, request.headers, render);
      case "PATCH":
        return this.update(model, route.key, request, params, prefer, caller, render);
      case "DELETE":
        return this.delete(model, route.key, request.headers, caller);
      default:
        throw new DataverseError(
          405,
          ERROR_CODES.methodNotAllowed,
          `The HTTP method '${method}' is not allowed on a row.`,
        );
    }
  }

  private findByKey(model: TableModel, key: Key): Row | undefined {
    if (key.id) return this.store.get(model.table.logicalName, key.id);
    const alternate = key.alternate ?? {};
    return this.store.rows(model.table).find((row) =>
      Object.entries(alternate).every(([name, value]) => {
        const cell = row[propertyOf(model, name).logicalName];
        return typeof value === "string" && typeof cell === "string"
          ? cell.toLowerCase() === value.toLowerCase()
          : cell === value;
      }),
    );
  }

  private keyText(key: Key): string {
    return (
      key.id ??
      Object.entries(key.alternate ?? {})
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(",")
    );
  }

  query(model: TableModel, options: QueryOptions): Row[] {
    let rows = this.store.rows(model.table);
    if (options.filter) rows = rows.filter((r) => evaluateFilter(this.store, model, r, options.filter!));
    return sortRows(model, rows, options.orderBy);
  }

  private retrieveMultiple(
    model: TableModel,
    params: Map<string, string>,
    prefer: Prefer,
    render: RenderContext,
    url: string,
  ): ApiResponse {
    const options = parseQueryOptions(params);
    validateOptions(model, options, true);
    const rows = this.query(model, options);
    let offset = 0;
    if (options.skipToken) {
      const m = /pagenumber="(\d+)"[^>]*offset="(\d+)"/.exec(options.skipToken);
      if (!m) throw badRequest(`The $skiptoken '${options.skipToken}' is not a paging cookie this service issued.`);
      offset = Number(m[2]);
    }
    // $top wins over paging, as in Dataverse: a $top query is never paged.
    const pageSize = options.top !== null ? options.top : (prefer.maxPageSize ?? DEFAULT_PAGE);
    const page = rows.slice(offset, offset + pageSize);
    const body: Record<string, unknown> = { "@odata.context": `${this.baseUrl}$metadata#${model.table.entitySetName}` };
    if (options.count) body["@odata.count"] = Math.min(rows.length, MAX_COUNT);
    body.value = page.map((r) => renderRow(render, model, r, options));
    if (options.top === null && offset + pageSize < rows.length) {
      // Same query, plus a paging cookie; "$" stays literal in option names, as Dataverse writes them.
      const next = new URL(url, this.baseUrl);
      const pageNumber = Math.floor(offset / pageSize) + 2;
      const cookie = `<cookie pagenumber="${pageNumber}" offset="${offset + pageSize}" istracking="False" />`;
      const query = [...next.searchParams]
        .filter(([k]) => k !== "$skiptoken")
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .concat(`$skiptoken=${encodeURIComponent(cookie)}`)
        .join("&");
      const nextPath = next.pathname.slice(next.pathname.indexOf(API_PATH) + API_PATH.length);
      body["@odata.nextLink"] = `${this.baseUrl}${nextPath}?${query}`;
    }
    const headers: Record<string, string> = {};
    const applied = [
      prefer.annotations ? `odata.include-annotations="${prefer.annotations}"` : "",
      prefer.maxPageSize ? `odata.maxpagesize=${prefer.maxPageSize}` : "",
    ].filter(Boolean);
    if (applied.length) headers["preference-applied"] = applied.join(",");
    return json(200, body, headers);
  }

  private retrieve(
    model: TableModel,
    key: Key,
    params: Map<string, string>,
    headers: ApiRequest["headers"],
    render: RenderContext,
  ): ApiResponse {
    const options = parseQueryOptions(params);
    validateOptions(model, options, false);
    const row = this.findByKey(model, key);
    if (!row) throw recordNotFound(model.table.logicalName, this.keyText(key));
    const etag = etagOf(row);
    if (headers["if-none-match"] && headers["if-none-match"] === etag)
      return { status: 304, headers: { etag }, body: "" };
    const body = {
      "@odata.context": `${this.baseUrl}$metadata#${model.table.entitySetName}/$entity`,
      ...renderRow(render, model, row, options),
    };
    return json(200, body, { etag });
  }

  private parseBody(request: ApiRequest): Record<string, unknown> {
    if (!request.body.trim()) throw badRequest("The request body is empty; a JSON object is required.");
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.body);
    } catch (error) {
      throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw badRequest("The request body must be a JSON object.");
    return parsed as Record<string, unknown>;
  }

  /** Resolves "/accounts(id)", "accounts(id)", an absolute URL or a "$1" Content-ID to a row reference. */
  private resolveBind(nav: string, raw: unknown, contentIds?: Map<string, string>): { table: string; id: string } {
    if (typeof raw !== "string")
      throw badRequest(`The value of '${nav}@odata.bind' must be a URL string such as '/accounts(<guid>)'.`);
    let text = raw.trim();
    if (text.startsWith("$") && contentIds) {
      const resolved = contentIds.get(text.slice(1));
      if (!resolved)
        throw badRequest(
          `Content-ID reference '${text}' in '${nav}@odata.bind' does not match an earlier request of the change set.`,
        );
      text = resolved;
    }
    const apiIndex = text.indexOf(API_PATH);
    if (apiIndex !== -1) text = text.slice(apiIndex + API_PATH.length);
    text = text.replace(/^\//, "");
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\(([^)]*)\)$/.exec(text);
    if (!m || !m[1] || !m[2])
      throw badRequest(`Invalid '${nav}@odata.bind' value '${raw}': expected '/<entityset>(<key>)'.`);
    const model = modelBySetName(m[1]);
    const key = parseKey(model, m[2]);
    const row = this.findByKey(model, key);
    if (!row) throw recordNotFound(model.table.logicalName, this.keyText(key));
    return { table: model.table.logicalName, id: String(row[model.table.primaryIdAttribute]) };
  }

  /** Applies a request body to a row; returns the logical names set and the N:N associations to make. */
  private applyBody(
    model: TableModel,
    row: Row,
    body: Record<string, unknown>,
    creating: boolean,
    contentIds?: Map<string, string>,
  ): { changed: string[]; associations: { nav: string; ids: string[] }[] } {
    const table = model.table;
    const changed: string[] = [];
    const associations: { nav: string; ids: string[] }[] = [];
    for (const [name, value] of Object.entries(body)) {
      if (name.startsWith("@")) continue;
      if (name.endsWith("@odata.bind")) {
        const nav = name.slice(0, -"@odata.bind".length);
        const single = model.single.get(nav);
        if (single) {
          if (value === null) {
            // "nav@odata.bind": null disassociates (documented for single-valued navigation properties).
            const column = single[0]?.column;
            if (column?.type === "owner")
              throw badRequest(`'${nav}' cannot be cleared: every ${table.logicalName} has an owner.`);
            if (column) {
              row[column.logicalName] = null;
              changed.push(column.logicalName);
            }
            continue;
          }
          const ref = this.resolveBind(nav, value, contentIds);
          const target = single.find((n) => n.targetTable === ref.table);
          if (!target) {
            throw badRequest(
              `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload, or the bound entity type '${ref.table}' is not a target of it (expected ${single
                .map((n) => n.targetTable)
                .join(" or ")}).`,
            );
          }
          row[target.column.logicalName] = { id: ref.id, table: ref.table };
          changed.push(target.column.logicalName);
          continue;
        }
        const coll = model.collections.get(nav);
        if (coll && coll.kind === "manyToMany") {
          if (!Array.isArray(value))
            throw badRequest(`The value of the collection-valued '${nav}@odata.bind' must be an array of URLs.`);
          const ids = value.map((v) => {
            const ref = this.resolveBind(nav, v, contentIds);
            if (ref.table !== coll.otherTable)
              throw badRequest(`'${nav}@odata.bind' expects rows of '${coll.otherTable}', got '${ref.table}'.`);
            return ref.id;
          });
          associations.push({ nav, ids });
          continue;
        }
        throw badRequest(
          `The property '${nav}' does not exist on type 'Microsoft.Dynamics.CRM.${table.logicalName}'. Make sure to only use property names that are defined by the type (navigation property names are case-sensitive).`,
        );
      }
      if (model.single.has(name) || model.collections.has(name)) {
        throw badRequest(
          `Deep insert or update through the navigation property '${name}' is not supported here: bind with '${name}@odata.bind' (null to disassociate).`,
        );
      }
      const column = model.properties.get(name);
      if (!column) {
        throw badRequest(
          `The property '${name}' does not exist on type 'Microsoft.Dynamics.CRM.${table.logicalName}'. Make sure to only use property names that are defined by the type.`,
        );
      }
      if (isLookup(column))
        throw badRequest(
          `CRM do not support direct update of Entity Reference properties, Use Navigation properties instead. (property '${name}')`,
        );
      if (column.type === "primarykey" && column.logicalName === table.primaryIdAttribute) {
        const id = coerceInput(table.logicalName, column, value);
        if (!creating && id !== row[column.logicalName])
          throw badRequest(`The primary key '${name}' cannot be changed.`);
        row[column.logicalName] = id;
        continue;
      }
      // Platform-managed columns are ignored on write, as Dataverse ignores them.
      if (column.systemManaged) continue;
      row[column.logicalName] = coerceInput(table.logicalName, column, value);
      changed.push(column.logicalName);
    }
    return { changed, associations };
  }

  private derive(table: TableDefinition, row: Row): void {
    if (table.logicalName === "contact" || table.logicalName === "systemuser") {
      row.fullname = [row.firstname, row.lastname].filter((p) => typeof p === "string" && p.trim()).join(" ") || null;
    }
    if (table.ownership === "UserOwned" && isEntityRef(row.ownerid)) {
      row.owninguser = row.ownerid.table === "systemuser" ? row.ownerid : null;
      row.owningteam = row.ownerid.table === "team" ? row.ownerid : null;
    }
  }

  private checkAlternateKeys(model: TableModel, row: Row): void {
    const table = model.table;
    for (const key of table.alternateKeys ?? []) {
      const values = key.map((k) => row[k]);
      if (values.some((v) => v === null || v === undefined)) continue;
      const clash = this.store
        .rows(table)
        .find(
          (other) =>
            other[table.primaryIdAttribute] !== row[table.primaryIdAttribute] &&
            key.every((k, i) => String(other[k]).toLowerCase() === String(values[i]).toLowerCase()),
        );
      if (clash) {
        throw new DataverseError(
          412,
          ERROR_CODES.duplicate,
          `A record with matching key values already exists. (${key.map((k) => `${k}=${String(row[k])}`).join(", ")})`,
        );
      }
    }
  }

  private entityUrl(model: TableModel, id: string): string {
    return `${this.baseUrl}${model.table.entitySetName}(${id})`;
  }

  /**
   * Ends the transaction a mutation opened with store.begin(): sync webhooks run inside it (a failure
   * rolls everything back, via handle()); async ones are queued for when the outermost transaction
   * (a change set, say) commits, and never for writes that end up rolled back.
   */
  private async commit(events: WriteEvent[]): Promise<void> {
    for (const event of events) await this.webhooks.runSync(event);
    for (const event of events) this.store.afterCommit(() => this.webhooks.queueAsync(event));
    this.store.afterCommit(() => this.options.onChange());
    this.store.commit();
  }

  private newRow(model: TableModel): Row {
    const row: Row = {};
    for (const column of model.table.columns) {
      if (column.type === "boolean") row[column.logicalName] = column.defaultValue;
      else if (
        (column.type === "choice" || column.type === "state" || column.type === "status") &&
        column.defaultValue !== undefined
      ) {
        row[column.logicalName] = column.defaultValue;
      } else row[column.logicalName] = null;
    }
    return row;
  }

  private stamp(model: TableModel, row: Row, caller: Caller, creating: boolean): void {
    const now = toStoredInstant(Date.now());
    const me = { id: caller.userId, table: "systemuser" };
    // Under impersonation the platform records the real caller as the delegate.
    const delegate =
      caller.initiatingUserId !== caller.userId ? { id: caller.initiatingUserId, table: "systemuser" } : null;
    const has = (column: string) => model.table.columns.some((c) => c.logicalName === column);
    if (creating) {
      row.createdon = now;
      row.createdby = me;
      if (has("createdonbehalfby")) row.createdonbehalfby = delegate;
      if (model.table.ownership === "UserOwned" && !isEntityRef(row.ownerid)) row.ownerid = me;
    }
    row.modifiedon = now;
    row.modifiedby = me;
    if (has("modifiedonbehalfby")) row.modifiedonbehalfby = delegate;
    row.versionnumber = this.store.nextVersion();
    this.derive(model.table, row);
  }

  private async create(
    model: TableModel,
    request: ApiRequest,
    params: Map<string, string>,
    prefer: Prefer,
    caller: Caller,
    render: RenderContext,
    contentIds?: Map<string, string>,
  ): Promise<ApiResponse> {
    assertCanCreate(caller, model.table);
    const options = parseQueryOptions(params);
    validateOptions(model, options, false);
    const body = this.parseBody(request);
    this.store.begin();
    const row = this.newRow(model);
    const { associations } = this.applyBody(model, row, body, true, contentIds);
    const pk = model.table.primaryIdAttribute;
    if (!row[pk]) row[pk] = this.store.newId();
    const id = String(row[pk]);
    if (this.store.get(model.table.logicalName, id)) {
      throw new DataverseError(
        412,
        ERROR_CODES.duplicate,
        `A record with matching key values already exists. (${model.table.primaryIdAttribute} = ${id})`,
      );
    }
    this.stamp(model, row, caller, true);
    this.checkAlternateKeys(model, row);
    checkPlatformRow(this.store, model.table.logicalName, row);
    this.store.put(model.table.logicalName, id, row);
    this.associate(model, id, associations);
    // The Target of a Create carries what was set (by the caller or the platform); the row version travels as RowVersion.
    const target: Row = Object.fromEntries(Object.entries(row).filter(([k, v]) => v !== null && k !== "versionnumber"));
    await this.commit([
      {
        message: "Create",
        table: model.table,
        id,
        target,
        postImage: { ...row },
        preImage: null,
        caller,
        correlationId: randomUUID(),
      },
    ]);
    if (contentIds && request.headers["content-id"])
      contentIds.set(request.headers["content-id"], this.entityUrl(model, id));
    const headers = { "odata-entityid": this.entityUrl(model, id), location: this.entityUrl(model, id) };
    if (prefer.returnRepresentation) {
      const out = {
        "@odata.context": `${this.baseUrl}$metadata#${model.table.entitySetName}/$entity`,
        ...renderRow(render, model, row, options),
      };
      return json(201, out, { ...headers, "preference-applied": "return=representation", etag: etagOf(row) });
    }
    return { status: 204, headers: { ...headers, "odata-version": "4.0" }, body: "" };
  }

  private associate(model: TableModel, id: string, associations: { nav: string; ids: string[] }[]): void {
    for (const { nav, ids } of associations) {
      const coll = model.collections.get(nav);
      if (!coll || coll.kind !== "manyToMany") continue;
      for (const other of ids) {
        if (coll.thisIsTable1) this.store.link(coll.relationship.schemaName, id, other);
        else this.store.link(coll.relationship.schemaName, other, id);
      }
    }
  }

  private async update(
    model: TableModel,
    key: Key,
    request: ApiRequest,
    params: Map<string, string>,
    prefer: Prefer,
    caller: Caller,
    render: RenderContext,
    closing: { message: "Win" | "Lose"; close: Record<string, unknown>; status: number } | null = null,
  ): Promise<ApiResponse> {
    const options = parseQueryOptions(params);
    validateOptions(model, options, false);
    const ifMatch = request.headers["if-match"];
    const ifNoneMatch = request.headers["if-none-match"];
    if (ifMatch && ifNoneMatch) throw badRequest("If-Match and If-None-Match cannot be used together.");
    const existing = this.findByKey(model, key);
    if (ifMatch) {
      if (!existing) throw recordNotFound(model.table.logicalName, this.keyText(key));
      if (ifMatch !== "*" && ifMatch !== etagOf(existing)) {
        throw new DataverseError(
          412,
          ERROR_CODES.versionMismatch,
          "The version of the existing record doesn't match the RowVersion property provided.",
        );
      }
    }
    if (ifNoneMatch === "*" && existing) {
      throw new DataverseError(412, ERROR_CODES.duplicate, "A record with matching key values already exists.");
    }
    const body = this.parseBody(request);
    if (!existing) {
      // Upsert: create the row with the key from the URL.
      assertCanCreate(caller, model.table);
      const withKey: Record<string, unknown> = { ...body };
      if (key.id) withKey[model.table.primaryIdAttribute] = key.id;
      for (const [name, value] of Object.entries(key.alternate ?? {})) withKey[name] = value;
      return this.create(model, { ...request, body: JSON.stringify(withKey) }, params, prefer, caller, render);
    }
    assertCanModify(caller, model.table, existing, "Write");
    if (
      model.table.logicalName === "opportunity" &&
      typeof body.statecode === "number" &&
      body.statecode !== existing.statecode &&
      !closing
    ) {
      throw badRequest(
        "An opportunity cannot be closed or reopened with Update: use the WinOpportunity or LoseOpportunity action (statecode " +
          `${String(existing.statecode)} → ${String(body.statecode)}).`,
      );
    }
    this.store.begin();
    const preImage = { ...existing };
    const row = { ...existing };
    const { changed, associations } = this.applyBody(model, row, body, false);
    this.stamp(model, row, caller, false);
    this.checkAlternateKeys(model, row);
    checkPlatformRow(this.store, model.table.logicalName, row);
    const id = String(row[model.table.primaryIdAttribute]);
    this.store.put(model.table.logicalName, id, row);
    this.associate(model, id, associations);
    const target: Row = { [model.table.primaryIdAttribute]: id };
    for (const name of [...changed, "modifiedon", "modifiedby"]) target[name] = row[name] ?? null;
    await this.commit([
      {
        message: closing ? closing.message : "Update",
        table: model.table,
        id,
        target,
        postImage: { ...row },
        preImage,
        caller,
        correlationId: randomUUID(),
        ...(closing ? { closing: { close: closing.close, status: closing.status } } : {}),
      },
    ]);
    const headers = { "odata-entityid": this.entityUrl(model, id), etag: etagOf(row) };
    if (prefer.returnRepresentation) {
      const out = {
        "@odata.context": `${this.baseUrl}$metadata#${model.table.entitySetName}/$entity`,
        ...renderRow(render, model, row, options),
      };
      return json(200, out, { ...headers, "preference-applied": "return=representation" });
    }
    return { status: 204, headers: { ...headers, "odata-version": "4.0" }, body: "" };
  }

  /**
   * WinOpportunity / LoseOpportunity: {"OpportunityClose": {"opportunityid@odata.bind": "/opportunities(id)", …}, "Status": n}.
   * The close activity itself is not kept; the opportunity's state changes and the Win or Lose message
   * fires (InputParameters OpportunityClose and Status), not an Update.
   */
  private async closeOpportunity(kind: "win" | "lose", request: ApiRequest, caller: Caller): Promise<ApiResponse> {
    const body = this.parseBody(request);
    const close = body.OpportunityClose;
    if (typeof close !== "object" || close === null) throw badRequest("The parameter 'OpportunityClose' is required.");
    const bind = (close as Record<string, unknown>)["opportunityid@odata.bind"];
    const ref = this.resolveBind("opportunityid", bind);
    if (ref.table !== "opportunity") throw badRequest("OpportunityClose.opportunityid must bind to an opportunity.");
    const status = body.Status;
    const allowed = kind === "win" ? [3] : [4, 5];
    if (typeof status !== "number" || !allowed.includes(status)) {
      throw badRequest(
        `The parameter 'Status' must be one of ${allowed.join(", ")} for ${kind === "win" ? "WinOpportunity" : "LoseOpportunity"}.`,
      );
    }
    const model = modelByLogicalName("opportunity");
    const row = this.store.get("opportunity", ref.id);
    if (row?.statecode !== 0) throw badRequest(`The opportunity ${ref.id} is not open, so it cannot be closed again.`);
    const data = { statecode: kind === "win" ? 1 : 2, statuscode: status };
    await this.update(
      model,
      { id: ref.id, alternate: null },
      { ...request, headers: { ...request.headers, "if-match": "*", prefer: undefined }, body: JSON.stringify(data) },
      new Map(),
      parsePrefer(undefined),
      caller,
      { store: this.store, language: caller.language, annotations: () => false },
      { message: kind === "win" ? "Win" : "Lose", close: close as Record<string, unknown>, status },
    );
    return { status: 204, headers: { "odata-version": "4.0" }, body: "" };
  }

  private async delete(
    model: TableModel,
    key: Key,
    headers: ApiRequest["headers"],
    caller: Caller,
  ): Promise<ApiResponse> {
    const row = this.findByKey(model, key);
    if (!row) throw recordNotFound(model.table.logicalName, this.keyText(key));
    const ifMatch = headers["if-match"];
    if (ifMatch && ifMatch !== "*" && ifMatch !== etagOf(row)) {
      throw new DataverseError(
        412,
        ERROR_CODES.versionMismatch,
        "The version of the existing record doesn't match the RowVersion property provided.",
      );
    }
    assertCanModify(caller, model.table, row, "Delete");
    const id = String(row[model.table.primaryIdAttribute]);
    this.store.remove(model.table.logicalName, id);
    // Lookups to the deleted row are cleared (the "Remove Link" cascade).
    for (const coll of model.collections.values()) {
      if (coll.kind !== "oneToMany") continue;
      for (const other of relatedRows(this.store, coll, id)) {
        const otherModel = modelByLogicalName(coll.referencingTable);
        const otherId = String(other[otherModel.table.primaryIdAttribute]);
        this.store.put(coll.referencingTable, otherId, {
          ...other,
          [coll.referencingColumn]: null,
          versionnumber: this.store.nextVersion(),
        });
      }
    }
    this.options.onChange();
    return { status: 204, headers: { "odata-version": "4.0" }, body: "" };
  }

  private async navigationRequest(
    model: TableModel,
    route: Route,
    method: string,
    request: ApiRequest,
    params: Map<string, string>,
    caller: Caller,
    render: RenderContext,
  ): Promise<ApiResponse> {
    const key = route.key as Key;
    const nav = route.navigation as string;
    const row = this.findByKey(model, key);
    if (!row) throw recordNotFound(model.table.logicalName, this.keyText(key));
    const id = String(row[model.table.primaryIdAttribute]);
    const single = model.single.get(nav);
    const coll = model.collections.get(nav);
    const column = model.properties.get(nav);
    if (!single && !coll && !column) {
      throw badRequest(
        `Could not find a property named '${nav}' on type 'Microsoft.Dynamics.CRM.${model.table.logicalName}'.`,
      );
    }
    if (column && !route.ref) {
      if (method === "GET")
        return json(200, {
          "@odata.context": `${this.baseUrl}$metadata#${model.table.entitySetName}(${id})/${nav}`,
          value: row[column.logicalName] ?? null,
        });
      if (method === "PUT" || method === "DELETE") {
        const value = method === "PUT" ? (this.parseBody(request).value ?? null) : null;
        return this.update(
          model,
          { id, alternate: null },
          {
            ...request,
            method: "PATCH",
            headers: { ...request.headers, "if-match": "*" },
            body: JSON.stringify({ [nav]: value }),
          },
          new Map(),
          parsePrefer(undefined),
          caller,
          render,
        );
      }
    }
    if (method === "GET" && !route.ref) {
      const options = parseQueryOptions(params);
      if (single) {
        const ref = row[single[0]?.column.logicalName ?? ""];
        if (!isEntityRef(ref)) return { status: 204, headers: {}, body: "" };
        const targetModel = modelByLogicalName(ref.table);
        validateOptions(targetModel, options, false);
        const target = this.store.get(ref.table, ref.id);
        if (!target) throw recordNotFound(ref.table, ref.id);
        return json(200, {
          "@odata.context": `${this.baseUrl}$metadata#${targetModel.table.entitySetName}/$entity`,
          ...renderRow(render, targetModel, target, options),
        });
      }
      if (coll) {
        const other = modelByLogicalName(coll.kind === "oneToMany" ? coll.referencingTable : coll.otherTable);
        validateOptions(other, options, true);
        let rows = relatedRows(this.store, coll, id);
        if (options.filter) rows = rows.filter((r) => evaluateFilter(this.store, other, r, options.filter!));
        rows = sortRows(other, rows, options.orderBy);
        if (options.top !== null) rows = rows.slice(0, options.top);
        return json(200, {
          "@odata.context": `${this.baseUrl}$metadata#${other.table.entitySetName}`,
          value: rows.map((r) => renderRow(render, other, r, options)),
        });
      }
    }
    if (!route.ref)
      throw new DataverseError(
        405,
        ERROR_CODES.methodNotAllowed,
        `The HTTP method '${method}' is not allowed on '${nav}'.`,
      );
    assertCanModify(caller, model.table, row, "Write");
    if (coll && coll.kind === "manyToMany") {
      const rel = coll.relationship.schemaName;
      const link = (otherId: string) => (coll.thisIsTable1 ? [id, otherId] : [otherId, id]) as [string, string];
      if (method === "POST") {
        const body = this.parseBody(request);
        const ref = this.resolveBind(nav, body["@odata.id"]);
        if (ref.table !== coll.otherTable)
          throw badRequest(`'${nav}' links rows of '${coll.otherTable}', not '${ref.table}'.`);
        if (!this.store.link(rel, ...link(ref.id))) {
          throw new DataverseError(
            412,
            ERROR_CODES.duplicate,
            "Cannot insert duplicate key: the rows are already associated.",
          );
        }
        this.options.onChange();
        return { status: 204, headers: {}, body: "" };
      }
      if (method === "DELETE") {
        const otherId =
          route.relatedKey ?? /\(([0-9a-fA-F-]{36})\)\s*$/.exec(params.get("$id") ?? "")?.[1]?.toLowerCase();
        if (!otherId)
          throw badRequest(`Disassociating '${nav}' needs the related row: '${nav}(<id>)/$ref' or '$id=<url>'.`);
        if (!this.store.unlink(rel, ...link(otherId))) throw recordNotFound(coll.otherTable, otherId);
        this.options.onChange();
        return { status: 204, headers: {}, body: "" };
      }
    }
    if (single) {
      this.store.begin();
      const updated = { ...row };
      if (method === "PUT") {
        const body = this.parseBody(request);
        const ref = this.resolveBind(nav, body["@odata.id"]);
        const target = single.find((n) => n.targetTable === ref.table);
        if (!target) throw badRequest(`'${nav}' cannot point at a '${ref.table}' row.`);
        updated[target.column.logicalName] = { id: ref.id, table: ref.table };
      } else if (method === "DELETE") {
        updated[single[0]?.column.logicalName ?? ""] = null;
      } else
        throw new DataverseError(
          405,
          ERROR_CODES.methodNotAllowed,
          `The HTTP method '${method}' is not allowed on '${nav}/$ref'.`,
        );
      this.stamp(model, updated, caller, false);
      this.store.put(model.table.logicalName, id, updated);
      await this.commit([]);
      return { status: 204, headers: {}, body: "" };
    }
    throw new DataverseError(
      405,
      ERROR_CODES.methodNotAllowed,
      `The HTTP method '${method}' is not allowed on '${nav}/$ref'.`,
    );
  }
}
