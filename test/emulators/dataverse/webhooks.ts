import { randomUUID } from "node:crypto";
import { isLookup, type TableDefinition } from "../../../solution/schema";
import { DataverseError, ERROR_CODES } from "./errors";
import { modelByLogicalName } from "./model";
import { primaryName } from "./render";
import type { Caller } from "./security";
import type { CellValue, Row, Store } from "./store";
import { formattedValue, isEntityRef, toStoredInstant } from "./values";

/**
 * Webhooks as Dataverse runs them (register-web-hook.md, use-webhooks.md): a step on Create/Update
 * of a table whose event handler is a service endpoint with contract 8 POSTs the RemoteExecutionContext
 * JSON. Sync steps run inside the transaction (a failure rolls the write back); async ones run after
 * it and a failure becomes a failed system job (asyncoperation, statuscode 31). 502/503/504 are
 * retried once; any other non-2xx is a failure.
 */

const CONTRACTS = "http://schemas.microsoft.com/xrm/2011/Contracts";
const MAX_PAYLOAD = 256 * 1024;

export interface WriteEvent {
  message: "Create" | "Update" | "Win" | "Lose";
  table: TableDefinition;
  id: string;
  /** The attributes of the request (Update: only those sent, plus the platform's modifiedon/modifiedby). */
  target: Row;
  postImage: Row;
  preImage: Row | null;
  caller: Caller;
  correlationId: string;
  /** Win/Lose: the OpportunityClose body and the Status the action was called with. */
  closing?: { close: Record<string, unknown>; status: number };
}

export interface WebhookOptions {
  organizationName: string;
  organizationHost: string;
  /** Per-attempt timeout; Dataverse waits 60 s. */
  timeoutMs: number;
  /** Payload size above which images and input parameters are dropped (256 KB on the platform). */
  maxPayloadBytes?: number;
}

interface StepInfo {
  step: Row;
  endpoint: Row;
  images: Row[];
}

export interface Delivery {
  url: string;
  status: number | null;
  attempts: number;
  ok: boolean;
  error: string | null;
}

/** Dates as DataContractJsonSerializer writes them: "\/Date(ms)\/". */
const dateOf = (ms: number, zone = false): string => `/Date(${ms}${zone ? "+0000" : ""})/`;

export function serializeContext(context: unknown): string {
  return JSON.stringify(context).replace(/"\/Date\((-?\d+(?:[+-]\d{4})?)\)\/"/g, '"\\/Date($1)\\/"');
}

function entityReference(store: Store, table: string, id: string, withName: boolean): Record<string, unknown> {
  return {
    __type: `EntityReference:${CONTRACTS}`,
    Id: id,
    KeyAttributes: [],
    LogicalName: table,
    Name: withName ? primaryName(store, table, id) : null,
    RowVersion: null,
  };
}

function encodeValue(store: Store, table: TableDefinition, name: string, value: CellValue): unknown {
  const column = table.columns.find((c) => c.logicalName === name);
  if (value === null || !column) return value;
  if (isLookup(column)) return isEntityRef(value) ? entityReference(store, value.table, value.id, true) : null;
  switch (column.type) {
    case "choice":
    case "state":
    case "status":
      return { __type: `OptionSetValue:${CONTRACTS}`, Value: value };
    case "money":
      return { __type: `Money:${CONTRACTS}`, Value: value };
    case "datetime": {
      const ms = Date.parse(column.behavior === "DateOnly" ? `${String(value)}T00:00:00Z` : String(value));
      return dateOf(ms);
    }
    default:
      return value;
  }
}

function entity(
  store: Store,
  table: TableDefinition,
  id: string,
  row: Row,
  attributes: string[] | null,
  formatted: boolean,
): Record<string, unknown> {
  const names = Object.keys(row).filter((k) => (attributes === null || attributes.includes(k)) && row[k] !== undefined);
  const present = names.filter((k) => row[k] !== null || attributes !== null);
  const formattedValues: { key: string; value: string }[] = [];
  if (formatted) {
    for (const name of present) {
      const column = table.columns.find((c) => c.logicalName === name);
      const value = row[name];
      if (!column || value === null || value === undefined) continue;
      const text = isEntityRef(value) ? null : formattedValue(column, value, 1033, null);
      if (text !== null && column.type !== "datetime" && column.type !== "integer")
        formattedValues.push({ key: name, value: text });
    }
  }
  return {
    __type: `Entity:${CONTRACTS}`,
    Attributes: present.map((k) => ({ key: k, value: encodeValue(store, table, k, row[k] ?? null) })),
    EntityState: null,
    FormattedValues: formattedValues,
    Id: id,
    KeyAttributes: [],
    LogicalName: table.logicalName,
    RelatedEntities: [],
    RowVersion: row.versionnumber === undefined || row.versionnumber === null ? null : String(row.versionnumber),
  };
}

function parseSettings(xml: string): [string, string][] {
  const out: [string, string][] = [];
  const re = /<setting\s+name="([^"]*)"\s+value="([^"]*)"\s*\/>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push([unescapeXml(m[1] ?? ""), unescapeXml(m[2] ?? "")]);
  return out;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Win/Lose carry the close activity and the status reason, not a Target. */
function closingParameters(store: Store, event: WriteEvent): { key: string; value: unknown }[] {
  const close = event.closing?.close ?? {};
  const attributes: { key: string; value: unknown }[] = [
    { key: "opportunityid", value: entityReference(store, "opportunity", event.id, true) },
  ];
  for (const [k, v] of Object.entries(close)) {
    if (!k.includes("@") && (typeof v === "string" || typeof v === "number" || typeof v === "boolean"))
      attributes.push({ key: k, value: v });
  }
  return [
    {
      key: "OpportunityClose",
      value: {
        __type: `Entity:${CONTRACTS}`,
        Attributes: attributes,
        EntityState: null,
        FormattedValues: [],
        Id: "00000000-0000-0000-0000-000000000000",
        KeyAttributes: [],
        LogicalName: "opportunityclose",
        RelatedEntities: [],
        RowVersion: null,
      },
    },
    { key: "Status", value: { __type: `OptionSetValue:${CONTRACTS}`, Value: event.closing?.status ?? 0 } },
  ];
}

export class WebhookDispatcher {
  private pending = new Set<Promise<void>>();
  /** Bumped by a reset: deliveries queued before it no longer record system jobs in the fresh store. */
  private generation = 0;
  readonly deliveries: Delivery[] = [];

  constructor(
    private readonly store: () => Store,
    private readonly options: WebhookOptions,
  ) {}

  private steps(event: WriteEvent, mode: 0 | 1): StepInfo[] {
    const store = this.store();
    const out: StepInfo[] = [];
    for (const step of Object.values(store.data.tables.sdkmessageprocessingstep ?? {})) {
      if (step.statecode !== 0 || step.mode !== mode) continue;
      const message = isEntityRef(step.sdkmessageid) ? store.get("sdkmessage", step.sdkmessageid.id) : undefined;
      if (message?.name !== event.message) continue;
      if (isEntityRef(step.sdkmessagefilterid)) {
        const filter = store.get("sdkmessagefilter", step.sdkmessagefilterid.id);
        if (filter?.primaryobjecttypecode !== event.table.logicalName) continue;
      }
      const handler = step.eventhandler;
      const endpoint =
        isEntityRef(handler) && handler.table === "serviceendpoint"
          ? store.get("serviceendpoint", handler.id)
          : undefined;
      if (!endpoint || endpoint.contract !== 8) continue;
      if (
        event.message === "Update" &&
        typeof step.filteringattributes === "string" &&
        step.filteringattributes.trim()
      ) {
        const filtering = step.filteringattributes.split(",").map((a) => a.trim().toLowerCase());
        if (!filtering.some((a) => Object.prototype.hasOwnProperty.call(event.target, a))) continue;
      }
      const stepId = String(step.sdkmessageprocessingstepid);
      const images = Object.values(store.data.tables.sdkmessageprocessingstepimage ?? {}).filter(
        (i) => isEntityRef(i.sdkmessageprocessingstepid) && i.sdkmessageprocessingstepid.id === stepId,
      );
      out.push({ step, endpoint, images });
    }
    return out.sort((a, b) => Number(a.step.rank ?? 1) - Number(b.step.rank ?? 1));
  }

  /** RemoteExecutionContext for one step; built at the time of the write so async images show the row as it was then. */
  private context(event: WriteEvent, info: StepInfo, mode: 0 | 1): Record<string, unknown> {
    const store = this.store();
    const org = Object.values(store.data.tables.organization ?? {})[0];
    const imagesOf = (types: number[], row: Row | null) =>
      row === null
        ? []
        : info.images
            .filter((i) => types.includes(Number(i.imagetype)))
            .map((i) => {
              const attributes =
                typeof i.attributes === "string" && i.attributes.trim()
                  ? i.attributes.split(",").map((a) => a.trim())
                  : null;
              return {
                key: String(i.entityalias ?? i.name ?? "Image"),
                value: entity(store, event.table, event.id, row, attributes, true),
              };
            });
    return {
      BusinessUnitId: String(org?.organizationid ?? ""),
      CorrelationId: event.correlationId,
      Depth: 1,
      InitiatingUserAgent: "dynamics-web-api",
      InitiatingUserAzureActiveDirectoryObjectId: event.caller.initiatingAadObjectId,
      InitiatingUserId: event.caller.initiatingUserId,
      InputParameters: event.closing
        ? closingParameters(store, event)
        : [{ key: "Target", value: entity(store, event.table, event.id, event.target, null, false) }],
      IsExecutingOffline: false,
      IsInTransaction: mode === 0,
      IsOfflinePlayback: false,
      IsolationMode: 1,
      MessageName: event.message,
      Mode: mode,
      OperationCreatedOn: dateOf(Date.now(), true),
      OperationId: randomUUID(),
      OrganizationId: String(org?.organizationid ?? ""),
      OrganizationName: this.options.organizationName,
      OutputParameters: event.message === "Create" ? [{ key: "id", value: event.id }] : [],
      OwningExtension: {
        __type: `EntityReference:${CONTRACTS}`,
        Id: String(info.step.sdkmessageprocessingstepid),
        KeyAttributes: [],
        LogicalName: "sdkmessageprocessingstep",
        Name: info.step.name ?? null,
        RowVersion: null,
      },
      ParentContext: null,
      PostEntityImages: imagesOf([1, 2], event.postImage),
      PreEntityImages: imagesOf([0, 2], event.preImage),
      PrimaryEntityId: event.id,
      PrimaryEntityName: event.table.logicalName,
      RequestId: randomUUID(),
      SecondaryEntityName: "none",
      SharedVariables: [],
      Stage: Number(info.step.stage ?? 40),
      UserAzureActiveDirectoryObjectId: event.caller.aadObjectId,
      UserId: event.caller.userId,
    };
  }

  private async post(info: StepInfo, event: WriteEvent, context: Record<string, unknown>): Promise<Delivery> {
    const endpoint = info.endpoint;
    const url = new URL(String(endpoint.url));
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-ms-dynamics-organization": this.options.organizationHost,
      "x-ms-dynamics-entity-name": event.table.logicalName,
      "x-ms-dynamics-request-name": event.message,
      "x-ms-correlation-request-id": event.correlationId,
    };
    const authValue = String(endpoint.authvalue ?? "");
    if (endpoint.authtype === 4) url.searchParams.set("code", authValue);
    if (endpoint.authtype === 5) for (const [k, v] of parseSettings(authValue)) headers[k] = v;
    if (endpoint.authtype === 6) for (const [k, v] of parseSettings(authValue)) url.searchParams.set(k, v);
    let body = serializeContext(context);
    if (Buffer.byteLength(body) > (this.options.maxPayloadBytes ?? MAX_PAYLOAD)) {
      // Over 256 KB Dataverse drops these and says so in a header; the receiver reads the row back.
      body = serializeContext({
        ...context,
        ParentContext: null,
        InputParameters: [],
        PreEntityImages: [],
        PostEntityImages: [],
      });
      headers["x-ms-dynamics-msg-size-exceeded"] = "true";
    }
    const delivery: Delivery = { url: url.toString(), status: null, attempts: 0, ok: false, error: null };
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      delivery.attempts = attempt;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        await response.arrayBuffer(); // The body is ignored; only the status counts.
        delivery.status = response.status;
        delivery.ok = response.status >= 200 && response.status < 300;
        delivery.error = delivery.ok ? null : `The webhook endpoint returned HTTP ${response.status}.`;
        if (delivery.ok || ![502, 503, 504].includes(response.status)) break;
      } catch (error) {
        delivery.error = `The webhook call failed: ${(error as Error).message}`;
        break;
      }
    }
    this.deliveries.push(delivery);
    return delivery;
  }

  /** Runs sync steps; throws (so the caller rolls back) when one fails. */
  async runSync(event: WriteEvent): Promise<void> {
    for (const info of this.steps(event, 0)) {
      const delivery = await this.post(info, event, this.context(event, info, 0));
      if (!delivery.ok) {
        throw new DataverseError(
          400,
          ERROR_CODES.webhookFailed,
          `Synchronous webhook step '${String(info.step.name)}' failed and the operation was rolled back: ${delivery.error ?? "unknown error"} (${delivery.url.split("?")[0]})`,
        );
      }
    }
  }

  /** Queues async steps after commit; failures (and successes, unless auto-deleted) become system jobs. */
  queueAsync(event: WriteEvent): void {
    for (const info of this.steps(event, 1)) {
      const context = this.context(event, info, 1);
      const generation = this.generation;
      const job = (async () => {
        const delivery = await this.post(info, event, context);
        if ((delivery.ok && info.step.asyncautodelete === true) || generation !== this.generation) return;
        this.recordJob(info, event, delivery);
      })();
      this.pending.add(job);
      void job.finally(() => this.pending.delete(job));
    }
  }

  private recordJob(info: StepInfo, event: WriteEvent, delivery: Delivery): void {
    const store = this.store();
    const id = randomUUID();
    const now = toStoredInstant(Date.now());
    const integration = event.caller.initiatingUserId;
    const model = modelByLogicalName("asyncoperation");
    const row: Row = Object.fromEntries(model.table.columns.map((c) => [c.logicalName, null]));
    Object.assign(row, {
      asyncoperationid: id,
      name: String(info.step.name ?? "Webhook"),
      operationtype: 1,
      statecode: 3,
      statuscode: delivery.ok ? 30 : 31,
      message: delivery.ok ? null : delivery.error,
      friendlymessage: delivery.ok ? null : `${delivery.error ?? "Failed"} Attempts: ${delivery.attempts}.`,
      errorcode: delivery.ok ? null : -2147204719,
      correlationid: event.correlationId,
      primaryentitytype: event.table.logicalName,
      regardingobjectid: ["opportunity", "account"].includes(event.table.logicalName)
        ? { id: event.id, table: event.table.logicalName }
        : null,
      completedon: now,
      retrycount: delivery.attempts - 1,
      owningextensionid: { id: String(info.step.sdkmessageprocessingstepid), table: "sdkmessageprocessingstep" },
      createdon: now,
      modifiedon: now,
      createdby: { id: integration, table: "systemuser" },
      modifiedby: { id: integration, table: "systemuser" },
      ownerid: { id: integration, table: "systemuser" },
      owninguser: { id: integration, table: "systemuser" },
      versionnumber: store.nextVersion(),
    });
    // Outside any open transaction: a job's record must not vanish with someone else's rollback.
    store.put("asyncoperation", id, row, { untracked: true });
  }

  /** Forget queued deliveries' outcomes (their POSTs still complete): the store is being reset. */
  detachPending(): void {
    this.generation += 1;
  }

  /** Resolves when every queued async delivery has finished (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
