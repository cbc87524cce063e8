import type { Referral } from "../../domain";
import { utcDayAfter } from "./benchDates";
import { startEmulators } from "./benchStack";
import type { BenchRow } from "./benchTable";
import { withBenchOpportunities } from "./bulkSeed";
import { startChild } from "./childProcess";

/**
 * Benchmark 4: the real backfill command (plugins-ts/src/backfillCommand.ts, as `npm run backfill` runs it) as a
 * child process against both emulators in this process. The opportunities are seeded (ready, sync on) rather than
 * created over HTTP. Partner Center answers every call after 100 ms and, every `burstEveryMs`, answers the next
 * `burstSize` creates with 429 and Retry-After: 1 s (one per request in flight: every worker is throttled once). Peak memory is the child's VmHWM from /proc, sampled while it
 * runs, checked against the maxRSS it reports itself on exit.
 */

const BENCHMARK = "4 backfill";

export interface BackfillSpec {
  opportunities: number;
  concurrency: number;
  latencyMs: number;
  burstEveryMs: number;
  burstSize: number;
}

export const STANDARD_BACKFILL: BackfillSpec = {
  opportunities: 10_000,
  concurrency: 32,
  latencyMs: 100,
  burstEveryMs: 5_000,
  burstSize: 32,
};
export const QUICK_BACKFILL: BackfillSpec = { ...STANDARD_BACKFILL, opportunities: 1_000 };

export async function runBackfillBench(spec: BackfillSpec): Promise<BenchRow[]> {
  // Room in both budgets: the benchmark is about the backfill, not the daily quota (tested elsewhere).
  const budget = spec.opportunities * 5;
  const { pc, dv, idp, env } = await startEmulators({
    seed: (base) =>
      withBenchOpportunities(base, {
        count: spec.opportunities,
        syncOn: true,
        closeDate: utcDayAfter(new Date(), 180),
      }),
    partnerCenter: {
      faults: { latencyMs: { min: spec.latencyMs, max: spec.latencyMs } },
      throttle: { dailyQuota: budget },
    },
  });
  let created = 0;
  const previous = pc.context.store.onChange;
  pc.context.store.onChange = (kind, referral) => {
    if (kind === "created") created++;
    previous(kind, referral);
  };
  let throttled = 0;
  const bursts = setInterval(() => {
    throttled += spec.burstSize;
    pc.context.faults.enqueue({
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
      method: "POST",
      pathPrefix: "/v1.0/engagements/referrals",
      times: spec.burstSize,
    });
  }, spec.burstEveryMs);
  const started = performance.now();
  const child = await startChild("backfill", ["--restart", "--concurrency", String(spec.concurrency)], {
    ...env,
    PCS_DAILY_BUDGET: String(budget),
  });
  let peakKb = 0;
  const sampler = setInterval(() => {
    const memory = child.memory();
    if (memory) peakKb = Math.max(peakKb, memory.peakKb);
  }, 100);
  try {
    const code = await child.exited;
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    clearInterval(bursts);
    const unanswered = pc.context.faults.pending().reduce((n, f) => n + (f.times ?? 0), 0);
    const reportedKb = child.reportedMaxRssKb();
    const peakMb = Math.max(peakKb, reportedKb ?? 0) / 1024;
    const referrals = [...pc.context.store.all()] as Referral[];
    const perDeal = new Map<string, number>();
    for (const r of referrals)
      perDeal.set(r.externalReferenceId ?? "", (perDeal.get(r.externalReferenceId ?? "") ?? 0) + 1);
    const duplicates = [...perDeal.values()].filter((n) => n > 1).length;
    const summary = /backfill: [^\n]*\n(?![\s\S]*backfill: )/.exec(child.log())?.[0]?.trim() ?? "(no progress line)";
    return [
      {
        benchmark: BENCHMARK,
        metric: `create calls stored for ${spec.opportunities} opportunities (${referrals.length} referrals, ${duplicates} deals with duplicates, exit code ${code})`,
        figure: String(created),
        target: `<= ${spec.opportunities}, all created`,
        pass: code === 0 && created <= spec.opportunities && perDeal.size === spec.opportunities && duplicates === 0,
      },
      {
        benchmark: BENCHMARK,
        metric: `wall time (concurrency ${spec.concurrency}, PC latency ${spec.latencyMs} ms, ${throttled - unanswered} 429s in bursts of ${spec.burstSize}; ${pc.context.throttle.usage().used} PC calls answered); ${summary}`,
        figure: `${seconds.toFixed(1)} s`,
        target: "<= 120 s",
        pass: seconds <= 120,
      },
      {
        benchmark: BENCHMARK,
        metric: `peak RSS of the backfill process (VmHWM ${(peakKb / 1024).toFixed(0)} MB, maxRSS ${reportedKb === null ? "not reported" : `${(reportedKb / 1024).toFixed(0)} MB`})`,
        figure: `${peakMb.toFixed(0)} MB`,
        target: "<= 300 MB",
        pass: peakMb <= 300,
      },
    ];
  } finally {
    clearInterval(sampler);
    clearInterval(bursts);
    child.kill();
    await child.exited;
    child.removeLog();
    pc.context.store.onChange = previous;
    await Promise.allSettled([dv.close(), pc.close(), idp.close()]);
  }
}
