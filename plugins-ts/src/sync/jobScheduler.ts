import { reconcile, type ReferralLister } from "./reconciliation";
import type { SyncEnvironment } from "./outboundSync";
import { runDueRetries } from "./retryWorker";
import type { ReferralService, StateStore } from "./syncPorts";

/**
 * Runs the retry schedule and reconciliation on timers inside a proxy instance. Runs never overlap within an
 * instance; across instances the engine's claims and conditional writes settle who does what, so every
 * instance may run the jobs.
 */

export interface JobSchedule {
  retryEveryMs: number;
  reconcileEveryMs: number;
  /** How far back the first reconciliation looks when there is no watermark yet. */
  firstRunLookbackMs: number;
}

export const DEFAULT_JOB_SCHEDULE: JobSchedule = {
  retryEveryMs: 30_000,
  reconcileEveryMs: 15 * 60_000,
  firstRunLookbackMs: 24 * 60 * 60_000,
};

export function startJobs(
  env: SyncEnvironment & { referrals: ReferralService & ReferralLister; state: StateStore },
  schedule: JobSchedule,
  log: (message: string, error?: unknown) => void,
): { stop(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const every = (ms: number, name: string, job: () => Promise<unknown>) => {
    let busy = false;
    return setInterval(() => {
      if (busy) return;
      busy = true;
      const run = job()
        .catch((error: unknown) => log(`${name} failed`, error))
        .finally(() => {
          busy = false;
          running.delete(run);
        });
      running.add(run);
    }, ms);
  };
  const timers = [
    every(schedule.retryEveryMs, "retry worker", () => runDueRetries(env, { limit: 50, concurrency: 4 })),
    every(schedule.reconcileEveryMs, "reconciliation", () =>
      reconcile(env, { firstRunLookbackMs: schedule.firstRunLookbackMs }),
    ),
  ];
  return {
    async stop() {
      timers.forEach(clearInterval);
      await Promise.allSettled([...running]);
    },
  };
}
