import type { DynamicsWebApi } from "dynamics-web-api";
import { createDataverseClient, type DataverseConnection } from "./dataverseClient";
import { AUDIT_SELECT, auditCreateBody, auditRowFrom, clip, type AuditEntry, type AuditRow } from "./auditRecord";
import {
  crmFieldsPatch,
  isoOf,
  syncFieldsPatch,
  type OpportunityCrmFields,
  type OpportunitySyncFields,
} from "./opportunitySyncFields";
import { executeBatchOrThrow } from "./batchOutcome";
import { accountBody, contactBody, odataString, opportunityBody, type NewDeal } from "./dealRecords";
import { readOpportunity, type OpportunityRead } from "./snapshotReader";
import { DataverseRequestError, retryingClient, withThrottleRetry, type ThrottlePolicy } from "./throttleRetry";

export { DataverseRequestError };
export type { AuditEntry, AuditRow, NewDeal };

/**
 * The proxy's access to Dataverse. Every method is one HTTP request. `asUser` gives a gateway that
 * acts as a signed-in user (CallerObjectId), so Dataverse itself decides what that user may do.
 */

export type WriteOutcome = { ok: true; etag: string } | { ok: false; reason: "conflict" };

export interface DueRetry {
  opportunityId: string;
  nextRetryOn: string;
  attempt: number | null;
  etag: string;
}

export interface StateRow {
  name: string;
  value: string | null;
  count: number | null;
  valueOn: string | null;
  etag: string;
}

function guidOk(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    throw new DataverseRequestError(400, null, `Not a GUID: '${id}'.`);
  return id.toLowerCase();
}

export class DataverseGateway {
  private readonly client: DynamicsWebApi;

  constructor(
    private readonly connection: DataverseConnection,
    /** AAD object id of the user this gateway acts as; null for the application user. */
    readonly callerObjectId: string | null = null,
    private readonly throttle: ThrottlePolicy = {},
  ) {
    this.client = retryingClient(createDataverseClient(connection, callerObjectId ?? undefined), throttle);
  }

  /** The same gateway acting as another user (impersonation by AAD object id). */
  asUser(aadObjectId: string): DataverseGateway {
    return new DataverseGateway(this.connection, guidOk(aadObjectId), this.throttle);
  }

  async whoAmI(): Promise<{ userId: string; organizationId: string; businessUnitId: string }> {
    const r = (await this.client.callFunction({ name: "WhoAmI" })) as Record<string, string>;
    return {
      userId: String(r.UserId),
      organizationId: String(r.OrganizationId),
      businessUnitId: String(r.BusinessUnitId),
    };
  }

  /** The opportunity snapshot, its sync fields and ETag in one request; null when the row does not exist. */
  async readSnapshot(opportunityId: string): Promise<OpportunityRead | null> {
    const id = guidOk(opportunityId);
    // A fresh client per batch (dynamics-web-api's batch mode is instance state), retried as a whole.
    return withThrottleRetry(
      () => readOpportunity(createDataverseClient(this.connection, this.callerObjectId ?? undefined), id),
      this.throttle,
    );
  }

  /**
   * Sync state, fingerprint, ETag and Partner Center fields in one PATCH guarded by If-Match.
   * A stale ETag gives { ok: false, reason: "conflict" } (the 412 that dynamics-web-api turns into false).
   */
  writeSyncFields(
    opportunityId: string,
    fields: Partial<OpportunitySyncFields>,
    ifMatch: string,
  ): Promise<WriteOutcome> {
    return this.writeOpportunity(opportunityId, { sync: fields }, ifMatch);
  }

  /**
   * Sync fields and shared CRM fields (value, currency, close date, notes) in one If-Match PATCH, so a
   * Partner Center → CRM apply changes the values and the fingerprint describing them atomically.
   */
  async writeOpportunity(
    opportunityId: string,
    change: { sync?: Partial<OpportunitySyncFields>; crm?: OpportunityCrmFields },
    ifMatch: string,
  ): Promise<WriteOutcome> {
    if (!ifMatch)
      throw new DataverseRequestError(400, null, "Opportunity writes need the ETag read with the snapshot.");
    const sync = change.sync ?? {};
    const data = {
      ...syncFieldsPatch({
        ...sync,
        lastSyncError: sync.lastSyncError === undefined ? undefined : clip(sync.lastSyncError),
      }),
      ...crmFieldsPatch(change.crm ?? {}),
    };
    if (Object.keys(data).length === 0)
      throw new DataverseRequestError(400, null, "Nothing to write to the opportunity.");
    const result = (await this.client.update({
      collection: "opportunities",
      key: guidOk(opportunityId),
      data,
      ifmatch: ifMatch,
      returnRepresentation: true,
      select: ["opportunityid"],
    })) as Record<string, unknown> | boolean;
    if (result === false) return { ok: false, reason: "conflict" };
    const etag = typeof result === "object" && result ? String(result["@odata.etag"] ?? "") : "";
    return { ok: true, etag };
  }

  async createAudit(entry: AuditEntry): Promise<string> {
    const body = auditCreateBody({ ...entry, opportunityId: entry.opportunityId ? guidOk(entry.opportunityId) : null });
    return String(await this.client.create({ collection: "pcs_referralsyncaudits", data: body }));
  }

  /** Audit history of one opportunity, newest first. */
  async listAudit(opportunityId: string, top = 50): Promise<AuditRow[]> {
    const r = await this.client.retrieveMultiple({
      collection: "pcs_referralsyncaudits",
      select: AUDIT_SELECT,
      filter: `_pcs_opportunityid_value eq ${guidOk(opportunityId)}`,
      orderBy: ["createdon desc"],
      top,
    });
    return (r.value as Record<string, unknown>[]).map(auditRowFrom);
  }

  /** An account matched by name and postal code (Dataverse compares text case-insensitively); null when none. */
  async findAccount(name: string, postalCode: string | null): Promise<string | null> {
    const postal = postalCode ? `address1_postalcode eq ${odataString(postalCode)}` : "address1_postalcode eq null";
    const r = await this.client.retrieveMultiple({
      collection: "accounts",
      select: ["accountid"],
      filter: `name eq ${odataString(name)} and ${postal} and statecode eq 0`,
      orderBy: ["createdon asc"],
      top: 1,
    });
    const row = r.value[0] as Record<string, unknown> | undefined;
    return row ? String(row.accountid) : null;
  }

  /** An active contact by email; null when none. */
  async findContactByEmail(email: string): Promise<string | null> {
    const r = await this.client.retrieveMultiple({
      collection: "contacts",
      select: ["contactid"],
      filter: `emailaddress1 eq ${odataString(email)} and statecode eq 0`,
      orderBy: ["createdon asc"],
      top: 1,
    });
    const row = r.value[0] as Record<string, unknown> | undefined;
    return row ? String(row.contactid) : null;
  }

  /** An active currency by ISO code; null when the org has none. (No alternate key: a real org has none on it.) */
  async findCurrencyId(isoCode: string): Promise<string | null> {
    const r = await this.client.retrieveMultiple({
      collection: "transactioncurrencies",
      select: ["transactioncurrencyid"],
      filter: `isocurrencycode eq ${odataString(isoCode)} and statecode eq 0`,
      top: 1,
    });
    const row = r.value[0] as Record<string, unknown> | undefined;
    return row ? String(row.transactioncurrencyid) : null;
  }

  /**
   * Creates an inbound deal in ONE atomic change set: the account and contact when they are new, then
   * the opportunity bound to them (Content-ID references), so a failure leaves nothing half-written.
   */
  async createDeal(deal: NewDeal): Promise<{ opportunityId: string; accountId: string; contactId: string | null }> {
    const work = async () => {
      const client = createDataverseClient(this.connection, this.callerObjectId ?? undefined);
      client.startBatch();
      let accountRef: string;
      if ("create" in deal.account) {
        void client.create({ collection: "accounts", data: accountBody(deal.account.create), contentId: "1" });
        accountRef = "$1";
      } else accountRef = `/accounts(${guidOk(deal.account.id)})`;
      let contactRef: string | null = null;
      if (deal.contact && "create" in deal.contact) {
        void client.create({
          collection: "contacts",
          data: contactBody(deal.contact.create, accountRef),
          contentId: "2",
        });
        contactRef = "$2";
      } else if (deal.contact) contactRef = `/contacts(${guidOk(deal.contact.id)})`;
      void client.create({
        collection: "opportunities",
        data: opportunityBody(deal.opportunity, accountRef, contactRef),
      });
      const results = await executeBatchOrThrow(client);
      const ids = results.map(String);
      const opportunityId = ids[ids.length - 1] as string;
      const accountId = "create" in deal.account ? (ids[0] as string) : deal.account.id;
      const contactId =
        deal.contact === null
          ? null
          : "create" in deal.contact
            ? (ids["create" in deal.account ? 1 : 0] as string)
            : deal.contact.id;
      return { opportunityId, accountId, contactId };
    };
    return withThrottleRetry(work, this.throttle);
  }

  /** Opportunities whose retry is due, oldest first (the durable retry schedule). */
  async listDueRetries(now: Date, top = 50): Promise<DueRetry[]> {
    const r = await this.client.retrieveMultiple({
      collection: "opportunities",
      select: ["opportunityid", "pcs_nextretryon", "pcs_syncattempt"],
      filter: `pcs_syncwithpartnercenter eq true and pcs_nextretryon ne null and pcs_nextretryon le ${now
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")}`,
      orderBy: ["pcs_nextretryon asc"],
      top,
    });
    return (r.value as Record<string, unknown>[]).map((row) => ({
      opportunityId: String(row.opportunityid),
      nextRetryOn: isoOf(row.pcs_nextretryon) ?? "",
      attempt: typeof row.pcs_syncattempt === "number" ? row.pcs_syncattempt : null,
      etag: String(row["@odata.etag"] ?? ""),
    }));
  }

  /** Ids of every opportunity with sync on (backfill), following @odata.nextLink. */
  async listSyncEnabled(pageSize = 500): Promise<string[]> {
    const r = await this.client.retrieveAll({
      collection: "opportunities",
      select: ["opportunityid"],
      filter: "pcs_syncwithpartnercenter eq true and statecode eq 0",
      orderBy: ["createdon asc"],
      maxPageSize: pageSize,
    });
    return (r.value as Record<string, unknown>[]).map((row) => String(row.opportunityid));
  }

  /**
   * One page of sync-enabled open opportunities after `afterId`, in id order: a cursor that survives a
   * restart (backfill resumes from the last id it finished). Id order is consistent with the id
   * comparison on both a real org (SQL uniqueidentifier order) and the emulator.
   */
  async listSyncEnabledPage(afterId: string | null, limit: number): Promise<string[]> {
    const after = afterId ? ` and opportunityid gt ${guidOk(afterId)}` : "";
    const r = await this.client.retrieveMultiple({
      collection: "opportunities",
      select: ["opportunityid"],
      filter: `pcs_syncwithpartnercenter eq true and statecode eq 0${after}`,
      orderBy: ["opportunityid asc"],
      top: limit,
    });
    return (r.value as Record<string, unknown>[]).map((row) => String(row.opportunityid));
  }

  /** The opportunity that holds a Partner Center referral id; null when none does. */
  async findOpportunityByReferralId(referralId: string): Promise<string | null> {
    const r = await this.client.retrieveMultiple({
      collection: "opportunities",
      select: ["opportunityid"],
      filter: `pcs_referralid eq ${odataString(referralId)}`,
      orderBy: ["createdon asc"],
      top: 1,
    });
    const row = r.value[0] as Record<string, unknown> | undefined;
    return row ? String(row.opportunityid) : null;
  }

  /** A named state row (watermark, quota counter) by its alternate key; null when absent. */
  async readState(name: string): Promise<StateRow | null> {
    try {
      const row = (await this.client.retrieve({
        collection: "pcs_integrationstates",
        key: `pcs_name='${name.replace(/'/g, "''")}'`,
        select: ["pcs_name", "pcs_value", "pcs_count", "pcs_valueon"],
      })) as Record<string, unknown>;
      return {
        name: String(row.pcs_name),
        // dynamics-web-api revives ISO date text in any column into a Date; a watermark is such text.
        value:
          row.pcs_value instanceof Date
            ? row.pcs_value.toISOString()
            : typeof row.pcs_value === "string"
              ? row.pcs_value
              : null,
        count: typeof row.pcs_count === "number" ? row.pcs_count : null,
        valueOn: isoOf(row.pcs_valueon),
        etag: String(row["@odata.etag"] ?? ""),
      };
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }

  /**
   * Writes a state row. With `ifMatch` it only replaces that version (conflict otherwise); with null
   * it only creates (conflict when someone created it first); so concurrent proxies never lose a write.
   */
  async writeState(
    name: string,
    value: { value?: string | null; count?: number | null; valueOn?: string | null },
    ifMatch: string | null,
  ): Promise<WriteOutcome> {
    const data: Record<string, unknown> = {};
    if (value.value !== undefined) data.pcs_value = clip(value.value);
    if (value.count !== undefined) data.pcs_count = value.count;
    if (value.valueOn !== undefined) data.pcs_valueon = value.valueOn;
    const key = `pcs_name='${name.replace(/'/g, "''")}'`;
    try {
      if (ifMatch) {
        const r = (await this.client.update({
          collection: "pcs_integrationstates",
          key,
          data,
          ifmatch: ifMatch,
          returnRepresentation: true,
          select: ["pcs_name"],
        })) as Record<string, unknown> | boolean;
        if (r === false) return { ok: false, reason: "conflict" };
        return { ok: true, etag: typeof r === "object" ? String(r["@odata.etag"] ?? "") : "" };
      }
      const r = (await this.client.upsert({
        collection: "pcs_integrationstates",
        key,
        data,
        ifnonematch: "*",
        returnRepresentation: true,
        select: ["pcs_name"],
      })) as Record<string, unknown> | null | undefined;
      if (!r) return { ok: false, reason: "conflict" };
      return { ok: true, etag: String(r["@odata.etag"] ?? "") };
    } catch (error) {
      if ((error as { status?: number }).status === 412) return { ok: false, reason: "conflict" };
      throw error;
    }
  }

  /** Environment variable values (value row, else the definition's default) by schema name. */
  async readEnvironmentVariables(prefix = "pcs_"): Promise<Record<string, string | null>> {
    const r = await this.client.retrieveMultiple({
      collection: "environmentvariabledefinitions",
      select: ["schemaname", "defaultvalue"],
      filter: `startswith(schemaname,'${prefix.replace(/'/g, "''")}')`,
      expand: [{ property: "environmentvariabledefinition_environmentvariablevalue", select: ["value"] }],
    });
    const out: Record<string, string | null> = {};
    for (const row of r.value as Record<string, unknown>[]) {
      const values =
        (row.environmentvariabledefinition_environmentvariablevalue as Record<string, unknown>[] | undefined) ?? [];
      const value = values.find((v) => typeof v.value === "string")?.value;
      out[String(row.schemaname)] =
        typeof value === "string" ? value : typeof row.defaultvalue === "string" ? row.defaultvalue : null;
    }
    return out;
  }

  /** Failed webhook deliveries recorded as system jobs (doctor). */
  async listFailedWebhookJobs(
    top = 20,
  ): Promise<{ id: string; name: string; message: string | null; completedOn: string | null }[]> {
    const r = await this.client.retrieveMultiple({
      collection: "asyncoperations",
      select: ["asyncoperationid", "name", "message", "completedon"],
      filter: "statuscode eq 31 and _owningextensionid_value ne null",
      orderBy: ["completedon desc"],
      top,
    });
    return (r.value as Record<string, unknown>[]).map((row) => ({
      id: String(row.asyncoperationid),
      name: String(row.name ?? ""),
      message: typeof row.message === "string" ? row.message : null,
      completedOn: isoOf(row.completedon),
    }));
  }
}
