/**
 * `npm run bench:controls` (and the controls rows of `npm run bench`): for each control, the production bundle
 * size against its budget and its ratio to the same component built as a standard control (React, ReactDOM and
 * Fluent bundled); then the panel's first render of 5,000 audit rows in headless Chromium and the number of
 * rows in the DOM.
 *
 *   tsx controls/tools/bench.ts [--json] [--runs <n>]
 *
 * With --json the last line of stdout is {"rows":[{metric, figure, target, pass}]}. Exits 1 when a target is
 * missed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { BUDGETS } from "./budgets";
import { measurePanelRender } from "./panelRenderBench";
import { CONTROLS } from "./resx";
import { standardEquivalentBytes } from "./standardEquivalent";

const OUT = join(__dirname, "..", "..", "out", "controls");
const ROWS = 5000;
const RENDER_TARGET_MS = 50;
const DOM_ROWS_TARGET = 100;

export interface BenchRow {
  metric: string;
  figure: string;
  target: string;
  pass: boolean;
}

/** The sizes are those of a production build: build one unless the last build was. */
function ensureProductionBuild(log: (line: string) => void): void {
  const info = join(OUT, "build.json");
  const mode = existsSync(info) ? (JSON.parse(readFileSync(info, "utf8")) as { mode?: string }).mode : null;
  if (mode === "production") return;
  log("building the controls in production mode first…");
  const run = spawnSync(
    process.execPath,
    [require.resolve("tsx/cli"), join(__dirname, "..", "build.ts"), "--production"],
    {
      stdio: ["ignore", "pipe", "inherit"],
      encoding: "utf8",
    },
  );
  if (run.status !== 0) throw new Error(`controls build failed:\n${run.stdout}`);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function sizeRows(): BenchRow[] {
  return CONTROLS.flatMap((control) => {
    const bytes = statSync(join(OUT, control, "bundle.js")).size;
    const standard = standardEquivalentBytes(control);
    const budget = BUDGETS[control] ?? Infinity;
    return [
      {
        metric: `${control} bundle.js (production, minified; React and Fluent from the platform)`,
        figure: `${kib(bytes)} (${bytes} B)`,
        target: `<= ${kib(budget)}`,
        pass: bytes <= budget,
      },
      {
        metric: `${control} size vs the same component as a standard control (${kib(standard)})`,
        figure: `${(bytes / standard).toFixed(3)}`,
        target: "< 1 (React and Fluent not bundled)",
        pass: bytes < standard,
      },
    ];
  });
}

async function renderRows(runs: number): Promise<BenchRow[]> {
  const cold = await measurePanelRender({ rows: ROWS, runs });
  const warm = await measurePanelRender({ rows: ROWS, runs, warmFluent: true });
  const ms = (values: number[]) => values.map((v) => v.toFixed(0)).join(", ");
  return [
    {
      metric: `SyncStatusPanel first render, ${ROWS} audit rows, headless Chromium, fresh page (median of ${runs}: ${ms(cold.renderMs)} ms)`,
      figure: `${cold.medianMs.toFixed(1)} ms`,
      target: `<= ${RENDER_TARGET_MS} ms`,
      pass: cold.medianMs <= RENDER_TARGET_MS,
    },
    {
      metric: `SyncStatusPanel first render, ${ROWS} audit rows, Fluent already on the page (median of ${runs}: ${ms(warm.renderMs)} ms)`,
      figure: `${warm.medianMs.toFixed(1)} ms`,
      target: `<= ${RENDER_TARGET_MS} ms`,
      pass: warm.medianMs <= RENDER_TARGET_MS,
    },
    {
      metric: `SyncStatusPanel audit rows in the DOM after that render (of ${ROWS})`,
      figure: String(cold.rowsInDom),
      target: `<= ${DOM_ROWS_TARGET}`,
      pass: cold.rowsInDom > 0 && cold.rowsInDom <= DOM_ROWS_TARGET,
    },
  ];
}

function table(rows: BenchRow[]): string {
  const width = Math.max(...rows.map((r) => r.metric.length));
  return rows
    .map((r) => `${r.pass ? "ok  " : "MISS"}  ${r.metric.padEnd(width)}  ${r.figure.padStart(18)}  target ${r.target}`)
    .join("\n");
}

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const runsAt = process.argv.indexOf("--runs");
  const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 7;
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");
  // In JSON mode only the last line is the result; progress goes to stderr.
  const log = (line: string) => (json ? console.error(line) : console.log(line));
  ensureProductionBuild(log);
  const rows = [...sizeRows(), ...(await renderRows(runs))];
  if (json) console.log(JSON.stringify({ rows }));
  else console.log(table(rows));
  process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
