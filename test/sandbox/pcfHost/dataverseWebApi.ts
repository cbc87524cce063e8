/**
 * The Web API surface PCF controls (`context.webAPI`) and form scripts (`Xrm.WebApi`) get, over a Dataverse
 * Web API root: same method names and result shapes as the platform (records with formatted-value annotations,
 * `{entities, nextLink}` pages, `{id, entityType}` after writes, rejections carrying `message` and `errorCode`).
 * Works in the browser (same-origin root) and in Node (the sandbox server's list page).
 */

export interface WebApiRecord {
  [column: string]: unknown;
}

export interface RecordPage {
  entities: WebApiRecord[];
  nextLink?: string;
}

export interface EntityReference {
  id: string;
  entityType: string;
}

export class WebApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly errorCode: number,
  ) {
    super(message);
    this.name = "WebApiError";
  }
}

export interface DataverseWebApiOptions {
  /** The Web API root, ending in /api/data/v9.2/ (absolute, or relative to the page). */
  apiRoot: string;
  /** Added to every request (the sandbox server's identity headers). */
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
}

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

function cleanId(id: string): string {
  if (!GUID.test(id)) throw new WebApiError(`'${id}' is not a record id (a GUID).`, 400, "0x80040203", 0x80040203);
  return id.replace(/[{}]/g, "").toLowerCase();
}

function query(options: string | undefined): string {
  if (!options) return "";
  return options.startsWith("?") ? options : `?${options}`;
}

export class DataverseWebApi {
  private setNames: Promise<Map<string, string>> | null = null;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: DataverseWebApiOptions) {
    this.fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  }

  /** Entity set names come from the org's metadata, read once (no hard-coded plural rules). */
  async entitySetName(logicalName: string): Promise<string> {
    this.setNames ??= this.request("GET", "EntityDefinitions?$select=LogicalName,EntitySetName").then((body) => {
      const rows = ((body as { value?: WebApiRecord[] }).value ?? []) as {
        LogicalName?: string;
        EntitySetName?: string;
      }[];
      return new Map(rows.map((r) => [String(r.LogicalName), String(r.EntitySetName)]));
    });
    const names = await this.setNames.catch((error: unknown) => {
      this.setNames = null;
      throw error;
    });
    const set = names.get(logicalName);
    if (!set)
      throw new WebApiError(`The table '${logicalName}' does not exist in this org.`, 404, "0x80040217", 0x80040217);
    return set;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<unknown> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "OData-Version": "4.0",
      "OData-MaxVersion": "4.0",
      Prefer: 'odata.include-annotations="*"',
      ...this.options.headers,
      ...extraHeaders,
    };
    if (body !== undefined) headers["Content-Type"] = "application/json; charset=utf-8";
    const answer = await this.fetchImpl(`${this.options.apiRoot}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!answer.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
      const code = error?.code ?? "";
      const numeric = /^0x[0-9a-f]+$/i.test(code) ? parseInt(code, 16) : answer.status;
      throw new WebApiError(
        error?.message || `${method} ${path} answered ${answer.status}.`,
        answer.status,
        code,
        numeric,
      );
    }
    const entityId = answer.headers.get("OData-EntityId");
    return parsed ?? (entityId ? { "@entityId": entityId } : null);
  }

  async retrieveRecord(entityType: string, id: string, options?: string): Promise<WebApiRecord> {
    const set = await this.entitySetName(entityType);
    return (await this.request("GET", `${set}(${cleanId(id)})${query(options)}`)) as WebApiRecord;
  }

  async retrieveMultipleRecords(entityType: string, options?: string, maxPageSize?: number): Promise<RecordPage> {
    const set = await this.entitySetName(entityType);
    const prefer: Record<string, string> =
      maxPageSize && maxPageSize > 0
        ? { Prefer: `odata.include-annotations="*",odata.maxpagesize=${Math.floor(maxPageSize)}` }
        : {};
    const body = (await this.request("GET", `${set}${query(options)}`, undefined, prefer)) as {
      value?: WebApiRecord[];
      "@odata.nextLink"?: string;
    };
    const page: RecordPage = { entities: body.value ?? [] };
    if (body["@odata.nextLink"]) page.nextLink = body["@odata.nextLink"];
    return page;
  }

  async createRecord(entityType: string, data: WebApiRecord): Promise<EntityReference> {
    const set = await this.entitySetName(entityType);
    const answer = (await this.request("POST", set, data)) as { "@entityId"?: string } | null;
    const id = /\(([0-9a-f-]{36})\)\s*$/i.exec(answer?.["@entityId"] ?? "")?.[1];
    if (!id) throw new WebApiError(`Creating a ${entityType} returned no id.`, 500, "", 0);
    return { id, entityType };
  }

  async updateRecord(entityType: string, id: string, data: WebApiRecord): Promise<EntityReference> {
    const set = await this.entitySetName(entityType);
    const key = cleanId(id);
    // If-Match: * makes it an update, never an accidental create (as the platform's Web API clients do).
    await this.request("PATCH", `${set}(${key})`, data, { "If-Match": "*" });
    return { id: key, entityType };
  }

  async deleteRecord(entityType: string, id: string): Promise<EntityReference> {
    const set = await this.entitySetName(entityType);
    const key = cleanId(id);
    await this.request("DELETE", `${set}(${key})`);
    return { id: key, entityType };
  }

  /** An unbound action (WinOpportunity, LoseOpportunity) with a JSON body. */
  async executeAction(name: string, body: WebApiRecord): Promise<unknown> {
    return this.request("POST", name, body);
  }
}
