import type { SyncResponse } from "../../../domain";
import { syncToPartnerCenter, type SyncEnvironment } from "./outboundSync";
import { inParallel } from "./retryWorker";
import type { StateStore } from "./syncPorts";

/**
 * Syncs every opportunity that has sync on (product-spec §5 "Backfill"). Resumable by construction: an
 * opportunity already in step costs no call (its fingerprint matches), so a re-run after an interruption
 * only spends calls on what is left; `afterId` skips ahead without even reading those. Quota-aware: once a
 * sync comes back deferred, no further work is started, and the remaining rows wait for the next UTC day.
 */

export interface BackfillProgress {
  done: number;
  lastId: string | null;
  outcomes: Partial<Record<SyncResponse["outcome"], number>>;
  apiCalls: number;
  stoppedForQuota: boolean;
  errors: { opportunityId: string; message: string }[];
}

export interface BackfillOptions {
  concurrency: number;
  pageSize: number;
  afterId?: string | null;
  onProgress?: (p: BackfillProgress) => void;
  /** Called after each finished page with the resume point. */
  onPage?: (lastId: string) => Promise<void>;
  /** Stops starting new work (an interrupted run); what was started finishes. */
  signal?: AbortSignal;
  /**
   * Rounds of catching up on syncs that came back "retrying" (throttled or transient) once the pass is done,
   * `catchUpDelayMs` apart, instead of leaving them to the retry worker's schedule. Default 3 rounds, 2 s.
   */
  catchUpRounds?: number;
  catchUpDelayMs?: number;
}

export async function backfill(env: SyncEnvironment, options: BackfillOptions): Promise<BackfillProgress> {
  const progress: BackfillProgress = {
    done: 0,
    lastId: options.afterId ?? null,
    outcomes: {},
    apiCalls: 0,
    stoppedForQuota: false,
    errors: [],
  };
  const stopped = () => progress.stoppedForQuota || Boolean(options.signal?.aborted);
  let retrying: string[] = [];
  /** Syncs one opportunity; `again` is set on a catch-up run, whose outcome replaces the first one's. */
  const syncOne = async (opportunityId: string, again: boolean) => {
    if (stopped()) return;
    try {
      const result = await syncToPartnerCenter(env, { opportunityId, trigger: again ? "retry" : "backfill" });
      if (again) progress.outcomes.retrying = (progress.outcomes.retrying ?? 1) - 1;
      progress.outcomes[result.outcome] = (progress.outcomes[result.outcome] ?? 0) + 1;
      progress.apiCalls += result.apiCalls;
      if (result.outcome === "deferred") progress.stoppedForQuota = true;
      if (result.outcome === "retrying") retrying.push(opportunityId);
    } catch (error) {
      progress.errors.push({ opportunityId, message: error instanceof Error ? error.message : String(error) });
    }
    if (!again) progress.done++;
    options.onProgress?.(progress);
  };
  for (;;) {
    const page = await env.store.listSyncEnabled(progress.lastId, options.pageSize);
    if (page.length === 0 || stopped()) break;
    await inParallel(page, options.concurrency, (opportunityId) => syncOne(opportunityId, false));
    if (options.signal?.aborted) break;
    // Resume point: the page is finished (a deferred row is scheduled in Dataverse and needs no resume).
    progress.lastId = page[page.length - 1]!;
    await options.onPage?.(progress.lastId);
  }
  // Throttled or transient failures are already scheduled in Dataverse; a bulk job still finishes what it can now.
  for (let round = 0; round < (options.catchUpRounds ?? 3) && retrying.length > 0 && !stopped(); round++) {
    const again = retrying;
    retrying = [];
    await new Promise((resolve) => setTimeout(resolve, options.catchUpDelayMs ?? 2000));
    await inParallel(again, options.concurrency, (opportunityId) => syncOne(opportunityId, true));
  }
  return progress;
}

export const BACKFILL_RESUME = "backfill.lastId";

/**
 * A backfill that remembers where it got to in the shared state table, so an interrupted run (Ctrl+C, a
 * crash, the quota) continues from the last finished page, on any instance. `restart` starts from the top.
 */
export async function resumableBackfill(
  env: SyncEnvironment & { state: StateStore },
  options: Omit<BackfillOptions, "afterId" | "onPage"> & { restart?: boolean },
): Promise<BackfillProgress & { resumedAfter: string | null }> {
  const stored = await env.state.read(BACKFILL_RESUME);
  let etag = stored?.etag ?? null;
  const resumedAfter = options.restart ? null : stored?.value || null;
  const save = async (value: string) => {
    const saved = await env.state.write(BACKFILL_RESUME, value, etag);
    if (!saved.ok) throw new Error("Another backfill is running (its resume point moved); this one stops.");
    etag = saved.etag;
  };
  const progress = await backfill(env, { ...options, afterId: resumedAfter, onPage: save });
  // A run that went through to the end leaves nothing to resume.
  if (!progress.stoppedForQuota && !options.signal?.aborted) await save("");
  return { ...progress, resumedAfter };
}
