import { buildSync } from "esbuild";
import { join } from "node:path";
import { createContext, runInContext } from "node:vm";
import * as nodeDomain from "../../domain";
import type * as Domain from "../../domain";
import { readySnapshot } from "./fixtures";

/**
 * The domain core ships inside the browser bundles (web resource, controls). Bundle it for the browser,
 * run it where no Node API exists, and check the rules still answer.
 */
describe("domain core in a browser bundle", () => {
  const result = buildSync({
    entryPoints: [join(__dirname, "..", "..", "domain", "index.ts")],
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "PcsDomain",
    target: "es2017",
    minify: true,
    write: false,
  });
  const code = result.outputFiles[0]!.text;

  function domain(): typeof Domain {
    // TextEncoder is the only platform API the hashing needs; browsers have it.
    const context = createContext({ TextEncoder });
    runInContext(`${code};this.PcsDomain=PcsDomain;`, context);
    return (context as { PcsDomain: typeof Domain }).PcsDomain;
  }

  it("needs no Node module", () => {
    expect(code).not.toMatch(/require\(["'](?:node:)?(?:fs|path|crypto|util|buffer)["']\)/);
  });

  it("resolves countries and evaluates readiness like the Node build", () => {
    const d = domain();
    expect(d.resolveCountry("대한민국")).toEqual({ ok: true, code: "KR" });
    const now = new Date("2026-11-25T00:00:00Z");
    const inBundle = d.mapToReferralCreate(readySnapshot(), now, d.defaultReferenceData());
    const inNode = nodeDomain.mapToReferralCreate(readySnapshot(), now, nodeDomain.defaultReferenceData());
    expect(JSON.stringify(inBundle)).toBe(JSON.stringify(inNode));
  });

  it("leaves the ISO datasets out of code that imports only the rules (the toggle loads them as JSON)", () => {
    const rulesOnly = buildSync({
      stdin: {
        contents:
          'export { evaluateReadiness } from "./readinessRules"; export { createReferenceData } from "./referenceData";',
        resolveDir: join(__dirname, "..", "..", "domain"),
        loader: "ts",
      },
      bundle: true,
      platform: "browser",
      format: "iife",
      minify: true,
      write: false,
    }).outputFiles[0]!.text;
    expect(rulesOnly).not.toContain("Afghanistan");
    expect(rulesOnly).not.toContain("Zimbabwe");
    expect(rulesOnly.length).toBeLessThan(code.length / 3);
  });
});
