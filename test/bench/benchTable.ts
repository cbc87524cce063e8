/** One line of the bench table: a measured figure against its target. `pass: null` is a figure without a target. */
export interface BenchRow {
  benchmark: string;
  metric: string;
  figure: string;
  target: string;
  pass: boolean | null;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  node: string;
}

export const verdict = (pass: boolean | null): string => (pass === null ? "-" : pass ? "pass" : "FAIL");

/** The table as Markdown (the same text goes to the terminal and into the README). */
export function formatTable(rows: readonly BenchRow[], date: Date, machine: MachineInfo): string {
  const header = ["benchmark", "metric", "figure", "target", "result"];
  const body = rows.map((r) => [r.benchmark, r.metric, r.figure, r.target, verdict(r.pass)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [
    `Date: ${date.toISOString()}  `,
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB.toFixed(1)} GiB RAM, Node ${machine.node}`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
  ].join("\n");
}

/** Every row with a target passed; a run without any row does not pass. */
export function allPassed(rows: readonly BenchRow[]): boolean {
  return rows.length > 0 && rows.every((r) => r.pass !== false);
}
