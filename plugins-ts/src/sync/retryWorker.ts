import type { SyncResponse } from "../../../domain";
import { syncToPartnerCenter, type SyncEnvironment } from "./outboundSync";

/**
 * Runs the retry schedule stored in Dataverse: every opportunity whose pcs_nextretryon has come (a failed
 * sync, a deferred one whose day has turned, an expired create claim) is synced again. Any instance may run
 * it; the engine's claims and conditional writes keep two runs from doing the same work twice.
 */

export interface RetryRun {
  picked: number;
  outcomes: Partial<Record<SyncResponse["outcome"], number>>;
  errors: { opportunityId: string; message: string }[];
}

/** Runs `work` over `items`, at most `concurrency` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

export async function runDueRetries(
  env: SyncEnvironment,
  options: { limit: number; concurrency: number },
): Promise<RetryRun> {
  const due = await env.store.listDueRetries(env.clock(), options.limit);
  const run: RetryRun = { picked: due.length, outcomes: {}, errors: [] };
  await inParallel(due, options.concurrency, async (opportunityId) => {
    try {
      const result = await syncToPartnerCenter(env, { opportunityId, trigger: "retry" });
      run.outcomes[result.outcome] = (run.outcomes[result.outcome] ?? 0) + 1;
    } catch (error) {
      // Left scheduled in Dataverse: the next run picks it up again.
      run.errors.push({ opportunityId, message: error instanceof Error ? error.message : String(error) });
    }
  });
  return run;
}
