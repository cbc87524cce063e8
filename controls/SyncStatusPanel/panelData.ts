import {
  choiceName,
  REFERRAL_STATUS_VALUES,
  REFERRAL_SUBSTATUS_VALUES,
  SYNC_STATE_VALUES,
  type SyncState,
} from "../../domain/choices";
import type { ReferralStatus, ReferralSubstatus } from "../../domain/referral";
import {
  AUDIT_DIRECTION_VALUES,
  AUDIT_OPERATION_VALUES,
  AUDIT_RESULT_VALUES,
  AUDIT_TRIGGER_VALUES,
  type AuditDirection,
  type AuditOperation,
  type AuditResult,
  type AuditTrigger,
} from "../../domain/choices";
import type { WebApi } from "../shared/record";

/**
 * What the status panel reads and writes, through context.webAPI only (the seller's own Dataverse rights):
 * the opportunity's sync columns, today's Partner Center call counter, the audit rows, and the sync request.
 */

type Row = ComponentFramework.WebApi.Entity;

export interface SyncSummary {
  syncOn: boolean;
  syncState: SyncState | null;
  referralId: string | null;
  referralLink: string | null;
  referralStatus: ReferralStatus | null;
  referralSubstatus: ReferralSubstatus | null;
  microsoftCrmId: string | null;
  lastSyncOn: string | null;
  lastSyncError: string | null;
}

export interface AuditRow {
  id: string;
  createdOn: string | null;
  direction: AuditDirection | null;
  trigger: AuditTrigger | null;
  operation: AuditOperation | null;
  result: AuditResult | null;
  httpStatus: number | null;
  errorCode: string | null;
  message: string | null;
  fixHintKey: string | null;
  apiCalls: number | null;
  attempt: number | null;
  nextRetryOn: string | null;
}

export interface AuditFilter {
  failuresOnly: boolean;
  direction: AuditDirection | null;
}

export interface AuditPage {
  rows: AuditRow[];
  /** Dataverse's @odata.nextLink, when there are more rows. */
  nextLink: string | null;
}

export type SyncRequestTrigger = Extract<AuditTrigger, "sync-now" | "retry">;

export interface PanelData {
  loadSummary(): Promise<SyncSummary>;
  /** Partner Center calls counted today (UTC); null when the counter cannot be read. */
  loadCallsToday(): Promise<number | null>;
  loadAudit(filter: AuditFilter, pageSize: number, nextLink?: string | null): Promise<AuditPage>;
  requestSync(trigger: SyncRequestTrigger, retryOf?: string): Promise<void>;
}

/** Columns the proxy watches for sync requests (see controls/README.md: not yet in solution/schema). */
export const SYNC_REQUEST_COLUMNS = {
  requestedOn: "pcs_syncrequestedon",
  trigger: "pcs_syncrequesttrigger",
  retryOf: "pcs_syncretryof",
} as const;

/** pcs_integrationstate row holding the day's Partner Center call count (pcs_count). */
export function quotaKey(now: Date): string {
  return `quota:${now.toISOString().slice(0, 10)}`;
}

export const SUMMARY_SELECT =
  "?$select=pcs_syncwithpartnercenter,pcs_syncstate,pcs_referralid,pcs_referrallink,pcs_referralstatus," +
  "pcs_referralsubstatus,pcs_microsoftcrmid,pcs_lastsyncon,pcs_lastsyncerror";

const AUDIT_SELECT =
  "pcs_referralsyncauditid,createdon,pcs_direction,pcs_trigger,pcs_operation,pcs_result,pcs_httpstatus," +
  "pcs_errorcode,pcs_message,pcs_fixhintkey,pcs_apicallsused,pcs_attemptnumber,pcs_nextretryon";

export function auditQuery(opportunityId: string, filter: AuditFilter): string {
  const clauses = [`_pcs_opportunityid_value eq ${opportunityId}`];
  if (filter.failuresOnly) {
    clauses.push(`(pcs_result eq ${AUDIT_RESULT_VALUES.failed} or pcs_result eq ${AUDIT_RESULT_VALUES.blocked})`);
  }
  if (filter.direction) clauses.push(`pcs_direction eq ${AUDIT_DIRECTION_VALUES[filter.direction]}`);
  // createdon alone can tie within a second; the id keeps the order stable across pages.
  return `?$select=${AUDIT_SELECT}&$filter=${clauses.join(" and ")}&$orderby=createdon desc,pcs_referralsyncauditid desc`;
}

function str(row: Row, name: string): string | null {
  const value: unknown = row[name];
  return typeof value === "string" && value !== "" ? value : null;
}

function num(row: Row, name: string): number | null {
  const value: unknown = row[name];
  return typeof value === "number" ? value : null;
}

export function toAuditRow(row: Row): AuditRow {
  return {
    id: str(row, "pcs_referralsyncauditid") ?? "",
    createdOn: str(row, "createdon"),
    direction: choiceName(AUDIT_DIRECTION_VALUES, num(row, "pcs_direction")),
    trigger: choiceName(AUDIT_TRIGGER_VALUES, num(row, "pcs_trigger")),
    operation: choiceName(AUDIT_OPERATION_VALUES, num(row, "pcs_operation")),
    result: choiceName(AUDIT_RESULT_VALUES, num(row, "pcs_result")),
    httpStatus: num(row, "pcs_httpstatus"),
    errorCode: str(row, "pcs_errorcode"),
    message: str(row, "pcs_message"),
    fixHintKey: str(row, "pcs_fixhintkey"),
    apiCalls: num(row, "pcs_apicallsused"),
    attempt: num(row, "pcs_attemptnumber"),
    nextRetryOn: str(row, "pcs_nextretryon"),
  };
}

export function toSummary(row: Row): SyncSummary {
  return {
    syncOn: row.pcs_syncwithpartnercenter === true,
    syncState: choiceName(SYNC_STATE_VALUES, num(row, "pcs_syncstate")),
    referralId: str(row, "pcs_referralid"),
    referralLink: str(row, "pcs_referrallink"),
    referralStatus: choiceName(REFERRAL_STATUS_VALUES, num(row, "pcs_referralstatus")),
    referralSubstatus: choiceName(REFERRAL_SUBSTATUS_VALUES, num(row, "pcs_referralsubstatus")),
    microsoftCrmId: str(row, "pcs_microsoftcrmid"),
    lastSyncOn: str(row, "pcs_lastsyncon"),
    lastSyncError: str(row, "pcs_lastsyncerror"),
  };
}

/** The query part of a nextLink, which is what retrieveMultipleRecords takes as its options. */
export function nextLinkOptions(nextLink: string): string {
  const index = nextLink.indexOf("?");
  return index === -1 ? "" : nextLink.slice(index);
}

export function createPanelData(webApi: WebApi, opportunityId: string, now: () => Date): PanelData {
  return {
    async loadSummary() {
      return toSummary(await webApi.retrieveRecord("opportunity", opportunityId, SUMMARY_SELECT));
    },
    async loadCallsToday() {
      try {
        const key = quotaKey(now()).replace(/'/g, "''");
        const result = await webApi.retrieveMultipleRecords(
          "pcs_integrationstate",
          `?$select=pcs_count&$filter=pcs_name eq '${key}'`,
        );
        const row = result.entities[0];
        return row ? (num(row, "pcs_count") ?? 0) : 0;
      } catch {
        return null; // no read access to the counter: the panel shows the rest
      }
    },
    async loadAudit(filter, pageSize, nextLink) {
      const options = nextLink ? nextLinkOptions(nextLink) : auditQuery(opportunityId, filter);
      const result = await webApi.retrieveMultipleRecords("pcs_referralsyncaudit", options, pageSize);
      return { rows: result.entities.map(toAuditRow), nextLink: result.nextLink ?? null };
    },
    async requestSync(trigger, retryOf) {
      // A Dataverse webhook step on pcs_syncrequestedon hands the request to the proxy, which runs it as
      // this user. Writing the row needs only the seller's own Write privilege on the opportunity.
      await webApi.updateRecord("opportunity", opportunityId, {
        [SYNC_REQUEST_COLUMNS.requestedOn]: now().toISOString(),
        [SYNC_REQUEST_COLUMNS.trigger]: AUDIT_TRIGGER_VALUES[trigger],
        [SYNC_REQUEST_COLUMNS.retryOf]: retryOf ?? null,
      });
    },
  };
}
