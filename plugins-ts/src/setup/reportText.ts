import type { DoctorReport } from "./doctorCheck";
import type { SetupResult } from "./setup";

/** Plain-text renderings of the doctor's report and setup's step list, for terminals and CI logs. */

const MARK = { pass: "✓", warn: "!", fail: "✗" } as const;

export function doctorText(report: DoctorReport): string {
  const lines = [`doctor (${report.mode} mode, ${report.checkedAt}): ${report.status.toUpperCase()}`];
  for (const c of report.checks) {
    lines.push(`${MARK[c.status]} ${c.title} [${c.id}]`);
    lines.push(`    ${c.detail}`);
    if (c.fix) lines.push(`    fix: ${c.fix}`);
  }
  const counts = (["pass", "warn", "fail"] as const).map(
    (s) => `${report.checks.filter((c) => c.status === s).length} ${s}`,
  );
  lines.push(counts.join(", "));
  return lines.join("\n");
}

export function setupText(result: SetupResult): string {
  const lines = ["setup:"];
  for (const step of result.steps) {
    lines.push(`${step.ok ? "✓" : "✗"} ${step.title}: ${step.summary}`);
    for (const change of step.changes) lines.push(`    ${change}`);
  }
  lines.push(
    result.writes === 0
      ? "nothing changed (already set up)"
      : `${result.writes} change${result.writes === 1 ? "" : "s"} made`,
  );
  if (result.doctor) lines.push("", doctorText(result.doctor));
  return lines.join("\n");
}
