import { spawn } from "node:child_process";
import { join } from "node:path";
import type { BenchRow } from "./benchTable";

/**
 * Benchmark 3: the controls' own bench (controls/tools/bench.ts: bundle sizes against budgets and standard
 * controls, the panel's first render) as a child process. With `--json` it prints
 * {"rows":[{metric,figure,target,pass}]} as its last line; a version without that flag is passed through as text
 * and gives one row that says so (and fails, since nothing was checked here).
 */

const BENCHMARK = "3 controls";

export interface ControlsRowJson {
  metric: string;
  figure: string;
  target: string;
  pass: boolean;
}

/** The rows from the last line of the controls bench's output, or null when that line is not its JSON. */
export function parseControlsJson(stdout: string): BenchRow[] | null {
  const last = stdout.trim().split("\n").pop() ?? "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    return null;
  }
  const rows = (parsed as { rows?: unknown }).rows;
  if (!Array.isArray(rows)) return null;
  return rows.map((row: unknown, i) => {
    const r = row as Partial<ControlsRowJson>;
    if (
      typeof r.metric !== "string" ||
      typeof r.figure !== "string" ||
      typeof r.target !== "string" ||
      typeof r.pass !== "boolean"
    ) {
      throw new Error(`controls bench row ${i} is not {metric, figure, target, pass}: ${JSON.stringify(row)}`);
    }
    return { benchmark: BENCHMARK, metric: r.metric, figure: r.figure, target: r.target, pass: r.pass };
  });
}

export async function runControlsBench(): Promise<{ rows: BenchRow[]; text: string | null }> {
  const root = join(__dirname, "..", "..");
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "controls/tools/bench.ts"), "--json"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const rows = parseControlsJson(stdout);
  if (rows && rows.length > 0) return { rows, text: null };
  return {
    rows: [
      {
        benchmark: BENCHMARK,
        metric: `controls bench gave no --json rows (exit ${code}); its text output is printed above the table`,
        figure: "text only",
        target: "rows with targets",
        pass: false,
      },
    ],
    text: `${stdout}${stderr}`,
  };
}
