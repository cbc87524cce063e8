import { utcDateOf } from "../../../domain";
import type { QuotaLedger } from "./syncPorts";

/**
 * Adds calls already made to the day's Partner Center count. Bookkeeping only: the calls happened, so a counter
 * that cannot be written (the day's row lost its update races to other instances) must never undo or abort the
 * state write and audit row of the work they did. A lost count is logged; the guard is then a little generous.
 */
export async function countPartnerCenterCalls(
  quota: QuotaLedger,
  now: Date,
  calls: number,
  what: string,
): Promise<void> {
  if (calls <= 0) return;
  try {
    await quota.add(utcDateOf(now), calls);
  } catch (error) {
    console.error(`quota count of ${calls} call(s) lost (${what}):`, error instanceof Error ? error.message : error);
  }
}
