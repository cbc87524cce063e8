import type { AssistanceRequestCode, ReferralStatus, ReferralSubstatus } from "./referral";
import { SYNC_TRIGGERS } from "./syncApi";

/**
 * Option values of the product's Dataverse choice columns. The solution is generated from these and the
 * emulator serves them, so code, solution and emulator cannot disagree. Values use the publisher's
 * option-value prefix (10000 → 100,000,000 and up) and must never be renumbered once shipped.
 */

export const SYNC_STATES = ["NotSynced", "Pending", "Synced", "Error", "Blocked", "Deferred"] as const;
export type SyncState = (typeof SYNC_STATES)[number];

function optionValues<T extends string>(names: readonly T[]): Readonly<Record<T, number>> {
  return Object.fromEntries(names.map((name, index) => [name, 100_000_000 + index])) as Record<T, number>;
}

export const SYNC_STATE_VALUES = optionValues(SYNC_STATES);

/** pcs_referralstatus: "None" is not a choice; it is stored as an empty value. */
export const REFERRAL_STATUS_VALUES = optionValues([
  "New",
  "Active",
  "Closed",
] as const satisfies readonly ReferralStatus[]);
export const REFERRAL_SUBSTATUS_VALUES = optionValues([
  "Pending",
  "Received",
  "Accepted",
  "Won",
  "Lost",
  "Declined",
  "Expired",
] as const satisfies readonly ReferralSubstatus[]);

export const MICROSOFT_HELP_VALUES = optionValues([
  "GeneralOrOther",
  "CustomerTechnicalArchitecture",
  "ProofOfConceptOrDemo",
  "QuotesOrLicensing",
  "PostSalesCustomerSuccess",
  "WorkloadSpecificValueProposition",
] as const satisfies readonly AssistanceRequestCode[]);

/** pcs_referralsyncaudit choices (product-spec §3). */
export const AUDIT_DIRECTION_VALUES = optionValues(["CrmToPartnerCenter", "PartnerCenterToCrm"] as const);
export const AUDIT_TRIGGER_VALUES = optionValues(SYNC_TRIGGERS);
export const AUDIT_OPERATION_VALUES = optionValues([
  "create",
  "update",
  "skip-no-change",
  "skip-echo",
  "blocked",
] as const);
export const AUDIT_RESULT_VALUES = optionValues(["succeeded", "failed", "deferred", "blocked"] as const);

export type AuditDirection = keyof typeof AUDIT_DIRECTION_VALUES;
export type AuditTrigger = keyof typeof AUDIT_TRIGGER_VALUES;
export type AuditOperation = keyof typeof AUDIT_OPERATION_VALUES;
export type AuditResult = keyof typeof AUDIT_RESULT_VALUES;

/** Reverse lookup for values read from Dataverse; unknown values give null, never a guess. */
export function choiceName<T extends string>(
  values: Readonly<Record<T, number>>,
  value: number | null | undefined,
): T | null {
  if (value === null || value === undefined) return null;
  let names = namesByValue.get(values);
  if (!names) {
    // The panel maps four choices on each of thousands of audit rows: look up, do not scan.
    names = new Map(Object.entries(values).map(([name, v]) => [v as number, name]));
    namesByValue.set(values, names);
  }
  return (names.get(value) as T | undefined) ?? null;
}

const namesByValue = new WeakMap<object, Map<number, string>>();
