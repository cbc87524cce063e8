import type { ApplicationEnvironment } from "../../plugins-ts/src/server/proxyServices";
import { reconcile } from "../../plugins-ts/src/sync/reconciliation";
import { runDueRetries } from "../../plugins-ts/src/sync/retryWorker";

/**
 * After the events: the retry worker and reconciliation run until nothing is due, as the background jobs would
 * over the following hours. Time is compressed by giving the jobs a clock that moves two hours ahead per round
 * (past the longest backoff of the retry schedule), so every stored pcs_nextretryon comes due at once. Bounded:
 * a run that is not quiet after `maxRounds` leaves what is still pending to the checker, as stuck.
 */

export interface QuiescenceRun {
  rounds: number;
  retried: number;
  reconciled: number;
  createdOpportunities: number;
  errors: string[];
  quiet: boolean;
}

const ROUND_MS = 2 * 60 * 60_000;

export async function quiesce(
  env: ApplicationEnvironment,
  settle: () => Promise<void>,
  maxRounds = 12,
  log: (line: string) => void = () => {},
): Promise<QuiescenceRun> {
  const run: QuiescenceRun = {
    rounds: 0,
    retried: 0,
    reconciled: 0,
    createdOpportunities: 0,
    errors: [],
    quiet: false,
  };
  let offsetMs = 0;
  while (run.rounds < maxRounds) {
    run.rounds++;
    await settle();
    offsetMs += ROUND_MS;
    const ahead = offsetMs;
    const later: ApplicationEnvironment = { ...env, clock: () => new Date(Date.now() + ahead) };
    log(`  round ${run.rounds}: settled; retry worker…`);
    const retries = await runDueRetries(later, { limit: 5_000, concurrency: 4 });
    log(`  round ${run.rounds}: ${retries.picked} retries; reconciliation…`);
    run.retried += retries.picked;
    run.errors.push(...retries.errors.map((e) => `retry of ${e.opportunityId}: ${e.message}`));
    await settle();
    let changed = 0;
    try {
      const reconciled = await reconcile(later, { firstRunLookbackMs: 7 * 86_400_000 });
      changed = reconciled.applied + reconciled.createdOpportunities;
      run.reconciled += reconciled.applied;
      run.createdOpportunities += reconciled.createdOpportunities;
    } catch (error) {
      run.errors.push(`reconciliation: ${(error as Error).message}`);
      changed = 1;
    }
    await settle();
    if (retries.picked === 0 && changed === 0) {
      run.quiet = true;
      break;
    }
  }
  return run;
}
