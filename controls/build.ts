/**
 * Builds each PCF control folder on its own with pcf-scripts (one control per run avoids the ManifestTypes
 * bug of multi-control builds), checks that the build really succeeded (pcf-scripts exits 0 on failure), and
 * bundles the readiness pack the toggle loads lazily (the domain rules and the ISO tables; see
 * controls/shared/readinessPack.ts).
 *
 *   tsx controls/build.ts                # development build
 *   tsx controls/build.ts --production   # production build, prints bundle sizes against the budgets
 *   tsx controls/build.ts --production --strict-budget   # ... and fails when a bundle is over its budget
 *
 * Outputs: out/controls/<Control>/{bundle.js, ControlManifest.xml, strings/*.resx}
 *          out/controls/webresources/pcs_/scripts/readinessPack.js (web resource pcs_/scripts/readinessPack.js)
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { buildReadinessPack, READINESS_PACK_FILE } from "./tools/readinessPackBuild";
import { BUDGETS } from "./tools/budgets";
import { CONTROLS, staleResx } from "./tools/resx";
import { standardEquivalentBytes } from "./tools/standardEquivalent";

const ROOT = join(__dirname, "..");
const OUT = join(ROOT, "out", "controls");
const PCF_SCRIPTS = join(ROOT, "node_modules", "pcf-scripts", "bin", "pcf-scripts.js");

const production = process.argv.includes("--production");
const strictBudget = process.argv.includes("--strict-budget");
const mode = production ? "production" : "development";

function fail(message: string): never {
  console.error(`controls build: ${message}`);
  process.exit(1);
}

const stale = staleResx();
if (stale.length > 0) fail(`resx files are out of date; run npm run resx:controls\n  ${stale.join("\n  ")}`);

const results: { control: string; bytes: number; gzip: number }[] = [];
for (const control of CONTROLS) {
  const folder = join(__dirname, control);
  const outDir = join(OUT, control);
  rmSync(outDir, { recursive: true, force: true }); // pcf-scripts never cleans (stale maps/licences)
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    // outDir and babel targets come from <control>/pcfconfig.json
    [PCF_SCRIPTS, "build", "--buildMode", mode, "--noColor"],
    { cwd: folder, encoding: "utf8", env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: "true" } },
  );
  // eslint-disable-next-line no-control-regex
  const log = `${run.stdout ?? ""}${run.stderr ?? ""}`.replace(/\x1b\[[0-9;]*m/g, "");
  const bundle = join(outDir, "bundle.js");
  const ok =
    run.status === 0 &&
    log.includes("[build] Succeeded") &&
    existsSync(bundle) &&
    existsSync(join(outDir, "ControlManifest.xml"));
  if (!ok) {
    console.error(log);
    fail(`${control} failed (${mode})`);
  }
  const code = readFileSync(bundle);
  results.push({ control, bytes: code.length, gzip: gzipSync(code).length });
  console.log(
    `${control}: built (${mode}) in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${relative(ROOT, outDir)}`,
  );
}

async function main(): Promise<void> {
  rmSync(join(OUT, "webresources"), { recursive: true, force: true });
  const pack = await buildReadinessPack(join(OUT, "webresources"), production);
  console.log(
    `readinessPack.js: ${pack.bytes} bytes (gzip ${pack.gzip} B) -> ${relative(ROOT, join(OUT, "webresources", READINESS_PACK_FILE))}`,
  );

  console.log(`\nbundle.js sizes (${mode}${production ? ", minified" : ", not minified"}):`);
  let over = false;
  for (const r of results) {
    const budget = BUDGETS[r.control] ?? Infinity;
    const within = r.bytes <= budget;
    over ||= production && !within;
    console.log(
      `  ${r.control.padEnd(16)} ${(r.bytes / 1024).toFixed(1).padStart(6)} KiB (${r.bytes} B, gzip ${r.gzip} B)` +
        (production ? `  budget ${(budget / 1024).toFixed(0)} KiB: ${within ? "ok" : "OVER BUDGET"}` : ""),
    );
  }
  writeFileSync(join(OUT, "build.json"), JSON.stringify({ mode, results }, null, 2));

  if (production) {
    console.log("\nthe same components as standard controls (React, ReactDOM and Fluent bundled; esbuild, minified):");
    for (const r of results) {
      const standard = standardEquivalentBytes(r.control);
      console.log(
        `  ${r.control.padEnd(16)} ${(standard / 1024).toFixed(1).padStart(6)} KiB; virtual/standard = ${(r.bytes / standard).toFixed(3)}`,
      );
    }
  }
  if (over) {
    if (strictBudget) fail("a production bundle is over its budget");
    console.warn("controls build: WARNING a production bundle is over its budget (see controls/README.md)");
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
