import { formatFuzzReport, runFuzz, type FuzzReport } from "./fuzzRun";
import { parseFuzzOptions } from "./fuzzOptions";

/**
 * The short fuzz run of CI: 600 generated malformed requests (seed 1) against every route and both webhooks of a
 * proxy composed as in production. See test/fuzz/README.md for the full run (`npm run fuzz`).
 */

jest.setTimeout(120_000);

let report: FuzzReport;

beforeAll(async () => {
  report = await runFuzz(parseFuzzOptions(["--runs", "600", "--seed", "1"]));
});

/** The one open finding (test/fuzz/findings.test.ts): a signed event whose ResourceUri is not a URL gets a 500. */
const isKnownFinding = (f: FuzzReport["failures"][number]) =>
  f.kind === "server-error" &&
  f.route === "POST /api/webhooks/partner-center" &&
  f.label.endsWith(", signed") &&
  f.detail.startsWith("500:");

describe("fuzz, short run", () => {
  it("reached every route, over inject and over real HTTP", () => {
    expect(Object.keys(report.byRoute).sort()).toEqual(
      [
        "GET /api/health",
        "GET /api/quota",
        "POST /api/sync",
        "POST /api/webhooks/dataverse",
        "POST /api/webhooks/partner-center",
        "other",
      ].sort(),
    );
    expect(report.overHttp).toBeGreaterThan(50);
    expect(report.overHttp).toBeLessThan(report.runs);
  });

  it("refused bad input with 4xx: 400, 401, 413 and 415 all occur", () => {
    const statuses = new Set(Object.values(report.byRoute).flatMap((s) => Object.keys(s)));
    for (const status of ["400", "401", "413", "415"]) expect(statuses).toContain(status);
  });

  it("no crash, no connection left unanswered, no Dataverse or Partner Center write", () => {
    expect(report.aliveAfter).toBe(true);
    expect(report.failures.filter((f) => f.kind !== "server-error")).toEqual([]);
  });

  it("no 5xx other than the pinned ResourceUri finding", () => {
    expect(report.failures.filter((f) => !isKnownFinding(f)).map((f) => `${f.route} ${f.label}: ${f.detail}`)).toEqual(
      [],
    );
  });

  it("no 5xx at all", () => {
    expect(formatFuzzReport(report)).toContain("failures: 0");
  });

  it("parses its options strictly", () => {
    expect(parseFuzzOptions([])).toEqual({ runs: 2_000, seed: 1 });
    expect(() => parseFuzzOptions(["--runs", "0"])).toThrow("--runs needs an integer");
    expect(() => parseFuzzOptions(["--rnus", "5"])).toThrow('Unknown option "--rnus"');
  });
});
