import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  REFERRAL_STATUS_VALUES,
  REFERRAL_SUBSTATUS_VALUES,
  SYNC_STATE_VALUES,
  type SyncState,
} from "../../domain/choices";
import {
  AUDIT_DIRECTION_VALUES,
  AUDIT_OPERATION_VALUES,
  AUDIT_RESULT_VALUES,
  AUDIT_TRIGGER_VALUES,
} from "../../solution/schema";
import type { AuditDirection, AuditOperation, AuditResult, AuditTrigger } from "../../solution/schema";

/** Dataverse-shaped rows (Web API JSON, logical names from solution/schema) for the control tests. */

export const OPPORTUNITY_ID = "0f000000-0000-4000-8000-0000000000a1";
export const ACCOUNT_ID = "a0000000-0000-4000-8000-0000000000a1";
export const CONTACT_ID = "c0000000-0000-4000-8000-0000000000c1";
export const CURRENCY_ID = "c0000000-0000-4000-8000-000000000001";
export const OWNER_ID = "5e5e0000-0000-4000-8000-000000000002";
export const MEMBER_ID = "5e5e0000-0000-4000-8000-000000000003";
export const SOLUTION_ROW_ID = "50000000-0000-4000-8000-000000000001";

export type Row = Record<string, unknown>;

export function user(id: string, overrides: Row = {}): Row {
  return {
    systemuserid: id,
    fullname: "Min-jun Park",
    firstname: "Min-jun",
    lastname: "Park",
    internalemailaddress: "minjun.park@contoso-partner.example",
    isdisabled: false,
    ...overrides,
  };
}

/** An opportunity that passes every readiness rule on 2026-11-25. */
export function readyOpportunity(overrides: Row = {}): Row {
  return {
    opportunityid: OPPORTUNITY_ID,
    name: "Contoso Korea: Azure migration",
    description: "Move 40 workloads to Azure.",
    statecode: 0,
    estimatedvalue: 250000,
    estimatedclosedate: "2027-03-31",
    pcs_microsofthelp: null,
    pcs_sharewithmicrosoftsellers: false,
    modifiedon: "2026-11-20T10:00:00Z",
    pcs_syncwithpartnercenter: false,
    pcs_syncstate: SYNC_STATE_VALUES.NotSynced,
    pcs_referralid: null,
    pcs_referrallink: null,
    customerid_account: { accountid: ACCOUNT_ID, name: "Contoso Korea", address1_country: "대한민국" },
    parentcontactid: null,
    transactioncurrencyid: { transactioncurrencyid: CURRENCY_ID, isocurrencycode: "KRW" },
    owninguser: user(OWNER_ID),
    owningteam: null,
    pcs_opportunity_microsoftsolution: [
      { pcs_microsoftsolutionid: SOLUTION_ROW_ID, pcs_solutionid: "SOL-AZ-0001", pcs_name: "Azure Migrate" },
    ],
    ...overrides,
  };
}

export function teamRows(members: Row[]): Row[] {
  return [{ teamid: "7e000000-0000-4000-8000-000000000001", teammembership_association: members }];
}

export function syncState(state: SyncState): number {
  return SYNC_STATE_VALUES[state];
}

export interface AuditSpec {
  createdOn: string;
  direction?: AuditDirection;
  trigger?: AuditTrigger;
  operation?: AuditOperation;
  result?: AuditResult;
  message?: string | null;
  fixHintKey?: string | null;
  apiCalls?: number;
  httpStatus?: number | null;
}

export function auditRow(index: number, spec: AuditSpec): Row {
  return {
    pcs_referralsyncauditid: `ad000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    createdon: spec.createdOn,
    pcs_direction: AUDIT_DIRECTION_VALUES[spec.direction ?? "CrmToPartnerCenter"],
    pcs_trigger: AUDIT_TRIGGER_VALUES[spec.trigger ?? "save"],
    pcs_operation: AUDIT_OPERATION_VALUES[spec.operation ?? "update"],
    pcs_result: AUDIT_RESULT_VALUES[spec.result ?? "succeeded"],
    pcs_httpstatus: spec.httpStatus ?? 200,
    pcs_errorcode: null,
    pcs_message: spec.message ?? null,
    pcs_fixhintkey: spec.fixHintKey ?? null,
    pcs_apicallsused: spec.apiCalls ?? 1,
    pcs_attemptnumber: 1,
    pcs_nextretryon: null,
  };
}

export function summaryRow(overrides: Row = {}): Row {
  return {
    pcs_syncwithpartnercenter: true,
    pcs_syncstate: SYNC_STATE_VALUES.Synced,
    pcs_referralid: "ref-1234",
    pcs_referrallink: "https://partner.microsoft.com/dashboard/referrals/v2/leads/ref-1234",
    pcs_referralstatus: REFERRAL_STATUS_VALUES.Active,
    pcs_referralsubstatus: REFERRAL_SUBSTATUS_VALUES.Accepted,
    pcs_microsoftcrmid: "7-ABCDEF123",
    pcs_lastsyncon: "2026-11-25T08:30:00Z",
    pcs_lastsyncerror: null,
    ...overrides,
  };
}

export function resx(control: "SyncToggle" | "SyncStatusPanel", lcid: 1033 | 1042): string {
  return readFileSync(join(__dirname, "..", "..", "controls", control, "strings", `${control}.${lcid}.resx`), "utf8");
}
