/**
 * The doctor's vocabulary: one check per item of the seed FAQ (product-spec §7) and per configuration need, each
 * with a concrete fix. Pure: the checks that gather evidence live in the *Checks.ts files.
 */

export type CheckStatus = "pass" | "warn" | "fail";

export interface DoctorCheck {
  /** Stable id, e.g. "dataverse.reachable"; monitoring and tests key on it. */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found, without secrets. */
  detail: string;
  /** What to do about it: empty when the check passes. */
  fix: string;
  /** What the check costs: Dataverse requests and Partner Center calls (Referrals quota is never spent). */
  cost: string;
}

export interface DoctorReport {
  /** The worst status of any check. */
  status: CheckStatus;
  mode: "real" | "emulator";
  checkedAt: string;
  checks: DoctorCheck[];
}

export type CheckOutcome = Pick<DoctorCheck, "status" | "detail" | "fix">;

export const pass = (detail: string): CheckOutcome => ({ status: "pass", detail, fix: "" });
export const warn = (detail: string, fix: string): CheckOutcome => ({ status: "warn", detail, fix });
export const fail = (detail: string, fix: string): CheckOutcome => ({ status: "fail", detail, fix });

const RANK: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), "pass");
}

export function reportOf(mode: "real" | "emulator", checkedAt: Date, checks: DoctorCheck[]): DoctorReport {
  return { status: worstStatus(checks.map((c) => c.status)), mode, checkedAt: checkedAt.toISOString(), checks };
}

/** An error's message for a detail line: never a token or a stack. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/Bearer\s+\S+/gi, "Bearer …").slice(0, 500);
}
