import type { SyncResponse } from "../../../domain";
import { syncToPartnerCenter, type SyncEnvironment } from "./outboundSync";
import { inParallel } from "./retryWorker";

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

export async function backfill(
  env: SyncEnvironment,
  options: {
    concurrency: number;
    pageSize: number;
    afterId?: string | null;
    onProgress?: (p: BackfillProgress) => void;
  },
): Promise<BackfillProgress> {
  const progress: BackfillProgress = {
    done: 0,
    lastId: options.afterId ?? null,
    outcomes: {},
    apiCalls: 0,
    stoppedForQuota: false,
    errors: [],
  };
  for (;;) {
    const page = await env.store.listSyncEnabled(progress.lastId, options.pageSize);
    if (page.length === 0 || progress.stoppedForQuota) break;
    await inParallel(page, options.concurrency, async (opportunityId) => {
      if (progress.stoppedForQuota) return;
      try {
        const result = await syncToPartnerCenter(env, { opportunityId, trigger: "backfill" });
        progress.outcomes[result.outcome] = (progress.outcomes[result.outcome] ?? 0) + 1;
        progress.apiCalls += result.apiCalls;
        if (result.outcome === "deferred") progress.stoppedForQuota = true;
      } catch (error) {
        progress.errors.push({ opportunityId, message: error instanceof Error ? error.message : String(error) });
      }
      progress.done++;
      options.onProgress?.(progress);
    });
    // Resume point: the page is finished (a deferred row is scheduled in Dataverse and needs no resume).
    progress.lastId = page[page.length - 1]!;
  }
  return progress;
}
