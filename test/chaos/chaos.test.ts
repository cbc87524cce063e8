import { runChaos } from "./chaosRun";
import { DEFAULT_CHAOS_OPTIONS, parseChaosOptions } from "./chaosOptions";
import type { ChaosReport } from "./chaosReport";
import { FAULT_KINDS } from "./eventPlan";

/**
 * The short chaos run of CI: 500 events with 20 % faults against the product over real HTTP (two in-process
 * instances and a proxy process killed mid-run), then the invariant checker. It must not pass vacuously: every
 * kind of fault has to have really happened. See test/chaos/README.md for the full run (`npm run chaos`).
 */

jest.setTimeout(240_000);

let report: ChaosReport;

beforeAll(async () => {
  report = await runChaos(parseChaosOptions(["--events", "500", "--seed", "1", "--concurrency", "8"]));
});

describe("chaos, short run", () => {
  it("injected every kind of fault, and played every kind of event", () => {
    const missing = FAULT_KINDS.filter((kind) => report.faults.injected[kind] === 0);
    expect(missing).toEqual([]);
    expect(Object.keys(report.eventsByKind).sort()).toEqual(
      ["edit", "incoming", "microsoft", "noop-save", "retry-worker", "toggle"].sort(),
    );
    expect(report.proxyInstances).toMatchObject({ inProcess: 2, kills: 1 });
    expect(report.partnerCenter.calls).toBeGreaterThan(500);
    expect(report.driverErrors).toEqual([]);
  });

  it("went quiet: the retry worker and reconciliation left nothing due", () => {
    expect(report.quiescence.quiet).toBe(true);
  });

  it("never made two referrals for a deal nor two deals for a referral, and imported every Microsoft referral", () => {
    const c = report.violationCounts;
    expect([c["duplicate-referral"], c["duplicate-opportunity"], c["missing-opportunity"], c["wrong-link"]]).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it("no violation of any kind (lost updates, divergence, stuck syncs, unaudited attempts)", () => {
    expect(report.violations).toEqual([]);
  });

  it("parses its options strictly", () => {
    expect(parseChaosOptions([])).toMatchObject({ ...DEFAULT_CHAOS_OPTIONS, deals: 80 });
    expect(() => parseChaosOptions(["--fault-rate", "1.5"])).toThrow("--fault-rate needs a number from 0 to 1");
    expect(() => parseChaosOptions(["--events"])).toThrow("--events needs an integer");
    expect(() => parseChaosOptions(["--evnts", "5"])).toThrow('Unknown option "--evnts"');
  });
});
