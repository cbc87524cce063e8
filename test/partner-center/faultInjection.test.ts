import { DEFAULT_FAULTS, FaultInjector } from "../emulators/partner-center/faultInjection";

/** The fault dice: seeded (replayable), rates respected, latency distributions within bounds. */

function latencies(distribution: "uniform" | "exponential", seed: number): number[] {
  const f = new FaultInjector({ ...DEFAULT_FAULTS, seed, latencyMs: { min: 10, max: 410, distribution } });
  return Array.from({ length: 2000 }, () => f.choose("GET", "/v1.0/engagements/referrals")[0]!.latencyMs!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

it("keeps latencies within [min, max]; exponential ones crowd near min, uniform ones spread evenly", () => {
  const uniform = latencies("uniform", 3);
  const exponential = latencies("exponential", 3);
  for (const x of [...uniform, ...exponential]) {
    expect(x).toBeGreaterThanOrEqual(10);
    expect(x).toBeLessThanOrEqual(410);
  }
  expect(Math.abs(median(uniform) - 210)).toBeLessThan(30);
  expect(median(exponential)).toBeLessThan(120);
});

it("replays the same faults for the same seed and honours the rates", () => {
  const run = (seed: number) => {
    const f = new FaultInjector({ ...DEFAULT_FAULTS, seed, errorRates: { "503": 0.2 }, lostAnswerRate: 0.1 });
    return Array.from(
      { length: 1000 },
      () =>
        f
          .choose("POST", "/v1.0/engagements/referrals")
          .map((x) => x.kind)
          .join("+") || "none",
    );
  };
  expect(run(9)).toEqual(run(9));
  expect(run(9)).not.toEqual(run(10));
  const kinds = run(9);
  const share = (k: string) => kinds.filter((x) => x === k).length / kinds.length;
  expect(share("status")).toBeGreaterThan(0.15);
  expect(share("status")).toBeLessThan(0.25);
  // Lost answers are drawn only for requests not already failed: about 10% of the remaining 80%.
  expect(share("lostAnswer")).toBeGreaterThan(0.05);
  expect(share("lostAnswer")).toBeLessThan(0.11);
});

it("serves one-shot faults to matching requests first, the given number of times", () => {
  const f = new FaultInjector({ ...DEFAULT_FAULTS });
  f.enqueue({ kind: "drop", method: "POST", times: 2 });
  expect(f.choose("GET", "/v1.0/engagements/referrals")).toEqual([]);
  expect(f.choose("POST", "/v1.0/engagements/referrals").map((x) => x.kind)).toEqual(["drop"]);
  expect(f.choose("POST", "/v1.0/engagements/referrals").map((x) => x.kind)).toEqual(["drop"]);
  expect(f.choose("POST", "/v1.0/engagements/referrals")).toEqual([]);
});
