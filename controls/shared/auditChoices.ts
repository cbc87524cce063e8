/**
 * Option values of the audit table's choices (pcs_referralsyncaudit). The source of truth is
 * solution/schema/productChoices.ts, which the controls may not import (it pulls the whole domain with its ISO
 * tables); test/controls/auditChoices.test.ts checks these copies against it.
 */
function values<T extends string>(names: readonly T[]): Readonly<Record<T, number>> {
  const out = {} as Record<T, number>;
  names.forEach((name, index) => {
    out[name] = 100_000_000 + index;
  });
  return out;
}

export const AUDIT_DIRECTION_VALUES = values(["CrmToPartnerCenter", "PartnerCenterToCrm"] as const);
export const AUDIT_TRIGGER_VALUES = values([
  "toggle",
  "save",
  "sync-now",
  "dataverse-webhook",
  "pc-webhook",
  "reconcile",
  "retry",
  "backfill",
] as const);
export const AUDIT_OPERATION_VALUES = values(["create", "update", "skip-no-change", "skip-echo", "blocked"] as const);
export const AUDIT_RESULT_VALUES = values(["succeeded", "failed", "deferred", "blocked"] as const);

export type AuditDirection = keyof typeof AUDIT_DIRECTION_VALUES;
export type AuditTrigger = keyof typeof AUDIT_TRIGGER_VALUES;
export type AuditOperation = keyof typeof AUDIT_OPERATION_VALUES;
export type AuditResult = keyof typeof AUDIT_RESULT_VALUES;
