import { utcDayAfter } from "./benchDates";
import { HANDLED_HEADER, OUTBOUND_HEADER } from "./benchMarkers";
import { startBenchStack, ADMIN_AAD, SELLER_AAD } from "./benchStack";
import type { BenchRow } from "./benchTable";
import { benchOpportunityId, withBenchOpportunities } from "./bulkSeed";
import { secondHalf, slope } from "./linearTrend";
import { percentile } from "./percentiles";

/**
 * Benchmark 5: the proxy (its own process, so its RSS is its own) under a steady stream of POST /api/sync calls
 * from a signed-in seller, over `deals` opportunities in turn; every `editEvery`-th sync follows an edit of the
 * deal's value, so it PATCHes Partner Center. The timing preload in the proxy answers, per request, the time the
 * proxy held it and the time at least one Dataverse or Partner Center call was in flight: their difference is the
 * proxy's own overhead. Resident memory is read from /proc every `sampleEvery` syncs (often, because a single
 * reading lands anywhere on the garbage collector's sawtooth); the least-squares slope over the second half of the
 * samples says whether it still grows, and the table shows the last reading and the second half's range.
 */

const BENCHMARK = "5 proxy overhead";

export interface OverheadSpec {
  syncs: number;
  deals: number;
  editEvery: number;
  /** Requests in flight at any time (a closed loop: a steady rate at what the machine sustains). */
  inFlight: number;
  sampleEvery: number;
  /** Samples shown in the table (every n-th syncs). */
  showEvery: number;
}

export const STANDARD_OVERHEAD: OverheadSpec = {
  syncs: 100_000,
  deals: 500,
  editEvery: 10,
  inFlight: 4,
  sampleEvery: 1_000,
  showEvery: 10_000,
};
export const QUICK_OVERHEAD: OverheadSpec = { ...STANDARD_OVERHEAD, syncs: 10_000, sampleEvery: 250, showEvery: 1_000 };

/** Growth allowed over the second half, in MB per 10,000 syncs: GC sawtooth, not a leak. */
export const MAX_GROWTH_MB_PER_10K = 2;

export async function runProxyOverheadBench(spec: OverheadSpec): Promise<BenchRow[]> {
  const stack = await startBenchStack({
    seed: (base) =>
      withBenchOpportunities(base, { count: spec.deals, syncOn: true, closeDate: utcDayAfter(new Date(), 180) }),
    partnerCenter: { throttle: { dailyQuota: null } },
    proxyEnv: { PCS_DAILY_BUDGET: String(10 * spec.syncs) },
    webhooks: false,
  });
  try {
    // For scale: the proxy's resident memory once it listens, before any sync.
    const idleMb = (stack.proxy.memory()?.rssKb ?? Number.NaN) / 1024;
    const admin = stack.client(ADMIN_AAD);
    let token = await stack.idp.issue({ oid: SELLER_AAD });
    let tokenIssuedAt = Date.now();
    const sync = async (deal: number) => {
      if (Date.now() - tokenIssuedAt > 30 * 60_000) {
        token = await stack.idp.issue({ oid: SELLER_AAD });
        tokenIssuedAt = Date.now();
      }
      const res = await fetch(`${stack.proxyUrl}/api/sync`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ opportunityId: benchOpportunityId(deal), trigger: "save" }),
      });
      const body = (await res.json()) as { outcome?: string };
      if (res.status !== 200) throw new Error(`sync of deal ${deal} answered ${res.status}: ${JSON.stringify(body)}`);
      const handled = Number(res.headers.get(HANDLED_HEADER));
      const outbound = Number(res.headers.get(OUTBOUND_HEADER));
      if (!Number.isFinite(handled) || !Number.isFinite(outbound) || res.headers.get(HANDLED_HEADER) === null) {
        throw new Error("the proxy's answer carries no timing headers: is the timing preload loaded?");
      }
      return { overheadMs: (handled - outbound) / 1000, outcome: body.outcome ?? "?" };
    };

    // Warm-up: every deal gets its referral, so the measured syncs are the steady state (updates and no-ops).
    for (let d = 0; d < spec.deals; d += spec.inFlight) {
      await Promise.all([...Array(Math.min(spec.inFlight, spec.deals - d)).keys()].map((k) => sync(d + k)));
    }
    const overheads: number[] = [];
    const outcomes: Record<string, number> = {};
    const samples: { x: number; y: number }[] = [];
    let next = 0;
    let done = 0;
    const started = performance.now();
    const worker = async () => {
      for (let i = next++; i < spec.syncs; i = next++) {
        const deal = i % spec.deals;
        if (i % spec.editEvery === 0) {
          await admin.update({
            collection: "opportunities",
            key: benchOpportunityId(deal),
            data: { estimatedvalue: 20_000 + i },
          });
        }
        const result = await sync(deal);
        overheads.push(result.overheadMs);
        outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
        done++;
        if (done % spec.sampleEvery === 0) {
          const memory = stack.proxy.memory();
          if (!memory) throw new Error(`the proxy process is gone:\n${stack.proxy.log().slice(-2000)}`);
          samples.push({ x: done, y: memory.rssKb / 1024 });
        }
      }
    };
    await Promise.all([...Array(spec.inFlight)].map(worker));
    const seconds = (performance.now() - started) / 1000;
    const p50 = percentile(overheads, 50);
    const p90 = percentile(overheads, 90);
    const last = samples[samples.length - 1]!;
    const half = secondHalf(samples);
    const growth = slope(half) * 10_000;
    const series = samples
      .filter((s) => s.x % spec.showEvery === 0)
      .map((s) => `${(s.x / 1000).toFixed(0)}k:${s.y.toFixed(0)}`)
      .join(" ");
    const low = Math.min(...half.map((s) => s.y));
    const high = Math.max(...half.map((s) => s.y));
    const mix = Object.entries(outcomes)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    return [
      {
        benchmark: BENCHMARK,
        metric: `median proxy time beyond its outbound calls (p90 ${p90.toFixed(2)} ms; ${spec.syncs} syncs, ${spec.inFlight} in flight, ${(spec.syncs / seconds).toFixed(0)}/s; ${mix})`,
        figure: `${p50.toFixed(2)} ms`,
        target: "<= 2 ms",
        pass: p50 <= 2,
      },
      {
        benchmark: BENCHMARK,
        metric: `proxy RSS after ${last.x} syncs (MB every ${spec.showEvery / 1000}k: ${series}; second half ${low.toFixed(0)}–${high.toFixed(0)} MB over ${half.length} samples; ${idleMb.toFixed(0)} MB idle at start)`,
        figure: `${last.y.toFixed(0)} MB`,
        target: "<= 150 MB",
        pass: last.y <= 150,
      },
      {
        benchmark: BENCHMARK,
        metric: `RSS slope over the second half (least squares over ${half.length} samples, every ${spec.sampleEvery} syncs), MB per 10k syncs`,
        figure: growth.toFixed(2),
        target: `<= ${MAX_GROWTH_MB_PER_10K}`,
        pass: growth <= MAX_GROWTH_MB_PER_10K,
      },
    ];
  } finally {
    await stack.close();
  }
}
