import { choiceName } from "../../../domain/choices";
import {
  AUDIT_DIRECTION_VALUES,
  AUDIT_OPERATION_VALUES,
  AUDIT_RESULT_VALUES,
  AUDIT_TRIGGER_VALUES,
  type AuditDirection,
  type AuditOperation,
  type AuditResult,
  type AuditTrigger,
} from "../../../solution/schema/productChoices";
import { isoOf } from "./opportunitySyncFields";

/** One row of pcs_referralsyncaudit (spec §3): every sync attempt, in both directions. */
export interface AuditEntry {
  opportunityId: string | null;
  direction: AuditDirection;
  trigger: AuditTrigger;
  operation: AuditOperation;
  result: AuditResult;
  httpStatus?: number | null;
  errorCode?: string | null;
  message?: string | null;
  fixHintKey?: string | null;
  apiCallsUsed: number;
  changedPaths?: readonly string[];
  attemptNumber?: number | null;
  nextRetryOn?: string | null;
  correlationId?: string | null;
}

export interface AuditRow extends Required<Omit<AuditEntry, "changedPaths">> {
  id: string;
  createdOn: string | null;
  changedPaths: string[];
}

const MAX_TEXT = 4000;
export const clip = (text: string | null | undefined, max = MAX_TEXT): string | null =>
  text === null || text === undefined ? null : text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** The create body; the custom lookup binds through its schema-name navigation property (case-sensitive). */
export function auditCreateBody(entry: AuditEntry): Record<string, unknown> {
  const data: Record<string, unknown> = {
    pcs_name: clip(`${entry.operation} · ${entry.result}`, 200),
    pcs_direction: AUDIT_DIRECTION_VALUES[entry.direction],
    pcs_trigger: AUDIT_TRIGGER_VALUES[entry.trigger],
    pcs_operation: AUDIT_OPERATION_VALUES[entry.operation],
    pcs_result: AUDIT_RESULT_VALUES[entry.result],
    pcs_httpstatus: entry.httpStatus ?? null,
    pcs_errorcode: clip(entry.errorCode, 100),
    pcs_message: clip(entry.message),
    pcs_fixhintkey: clip(entry.fixHintKey, 100),
    pcs_apicallsused: entry.apiCallsUsed,
    pcs_changedpaths: clip((entry.changedPaths ?? []).join(",")) || null,
    pcs_attemptnumber: entry.attemptNumber ?? null,
    pcs_nextretryon: entry.nextRetryOn ?? null,
    pcs_correlationid: clip(entry.correlationId, 100),
  };
  if (entry.opportunityId) data["pcs_OpportunityId@odata.bind"] = `/opportunities(${entry.opportunityId})`;
  return data;
}

export const AUDIT_SELECT = [
  "pcs_referralsyncauditid",
  "createdon",
  "_pcs_opportunityid_value",
  "pcs_direction",
  "pcs_trigger",
  "pcs_operation",
  "pcs_result",
  "pcs_httpstatus",
  "pcs_errorcode",
  "pcs_message",
  "pcs_fixhintkey",
  "pcs_apicallsused",
  "pcs_changedpaths",
  "pcs_attemptnumber",
  "pcs_nextretryon",
  "pcs_correlationid",
];

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

export function auditRowFrom(row: Record<string, unknown>): AuditRow {
  const changed = str(row.pcs_changedpaths);
  return {
    id: String(row.pcs_referralsyncauditid),
    createdOn: isoOf(row.createdon),
    opportunityId: str(row._pcs_opportunityid_value),
    direction: choiceName(AUDIT_DIRECTION_VALUES, num(row.pcs_direction)) ?? "CrmToPartnerCenter",
    trigger: choiceName(AUDIT_TRIGGER_VALUES, num(row.pcs_trigger)) ?? "save",
    operation: choiceName(AUDIT_OPERATION_VALUES, num(row.pcs_operation)) ?? "update",
    result: choiceName(AUDIT_RESULT_VALUES, num(row.pcs_result)) ?? "failed",
    httpStatus: num(row.pcs_httpstatus),
    errorCode: str(row.pcs_errorcode),
    message: str(row.pcs_message),
    fixHintKey: str(row.pcs_fixhintkey),
    apiCallsUsed: num(row.pcs_apicallsused) ?? 0,
    changedPaths: changed ? changed.split(",") : [],
    attemptNumber: num(row.pcs_attemptnumber),
    nextRetryOn: isoOf(row.pcs_nextretryon),
    correlationId: str(row.pcs_correlationid),
  };
}
