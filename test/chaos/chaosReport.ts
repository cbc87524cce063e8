import type { ChaosOptions } from "./chaosOptions";
import { FAULT_KINDS, type FaultKind } from "./eventPlan";
import { VIOLATION_KINDS, type Violation, type ViolationKind } from "./invariantChecker";
import type { QuiescenceRun } from "./quiescence";

/** What a chaos run measured, and its summary table (pure formatting). */

export interface ChaosReport {
  options: ChaosOptions;
  eventsByKind: Record<string, number>;
  faults: { planned: Record<FaultKind, number>; injected: Record<FaultKind, number> };
  proxyInstances: { inProcess: number; processes: number; kills: number };
  partnerCenter: { calls: number; byStatus: Record<string, number>; clientRetries: number };
  syncAnswers: Record<string, number>;
  skipped: Record<string, number>;
  driverErrors: string[];
  /** Errors behind the in-process proxies' unexpected answers (not a violation by themselves). */
  serverErrors: string[];
  quiescence: QuiescenceRun;
  auditRows: number;
  ledgerWrites: number;
  violations: Violation[];
  violationCounts: Record<ViolationKind, number>;
  wallMs: { events: number; quiescence: number; total: number };
}

function table(title: string, rows: [string, string | number][]): string {
  const width = Math.max(title.length, ...rows.map(([k]) => k.length));
  const valueWidth = Math.max(0, ...rows.map(([, v]) => String(v).length));
  return [title, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${String(v).padStart(valueWidth)}`)].join("\n");
}

const entries = (counts: Record<string, number>) =>
  Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)) as [string, number][];

export function formatChaosReport(r: ChaosReport): string {
  const totalEvents = Object.values(r.eventsByKind).reduce((a, b) => a + b, 0);
  const violations = Object.values(r.violationCounts).reduce((a, b) => a + b, 0);
  const sections = [
    table(
      `Chaos run: seed ${r.options.seed}, ${r.options.events} events, fault rate ${r.options.faultRate}, ${r.options.deals} deals`,
      [
        ["events played", totalEvents],
        ...entries(r.eventsByKind).map(([k, v]): [string, number] => [`  ${k}`, v]),
        ["proxy instances in-process / processes", `${r.proxyInstances.inProcess} / ${r.proxyInstances.processes}`],
        ["proxy processes killed (SIGKILL)", r.proxyInstances.kills],
      ],
    ),
    table(
      "Faults (planned → injected)",
      FAULT_KINDS.map((k) => [k, `${r.faults.planned[k]} → ${r.faults.injected[k]}`]),
    ),
    table("Partner Center API", [
      ["calls", r.partnerCenter.calls],
      ["client retries (same call repeated)", r.partnerCenter.clientRetries],
      ...entries(r.partnerCenter.byStatus).map(([k, v]): [string, number] => [`  answered ${k}`, v]),
    ]),
    table("Form calls to POST /api/sync", entries(r.syncAnswers)),
    table("Quiescence", [
      ["rounds (2 h of job time each)", r.quiescence.rounds],
      ["due retries run", r.quiescence.retried],
      ["referrals applied by reconciliation", r.quiescence.reconciled],
      ["opportunities created by reconciliation", r.quiescence.createdOpportunities],
      ["quiet", r.quiescence.quiet ? "yes" : "NO"],
    ]),
    table("Invariants", [
      ...VIOLATION_KINDS.map((k): [string, number] => [k, r.violationCounts[k]]),
      ["violations in total", violations],
      ["audit rows / ledger writes checked", `${r.auditRows} / ${r.ledgerWrites}`],
    ]),
    table("Wall time", [
      ["events", `${(r.wallMs.events / 1000).toFixed(1)} s`],
      ["quiescence and checks", `${(r.wallMs.quiescence / 1000).toFixed(1)} s`],
      ["total", `${(r.wallMs.total / 1000).toFixed(1)} s`],
    ]),
  ];
  if (Object.keys(r.skipped).length)
    sections.push(table("Skipped (precondition not met at run time)", entries(r.skipped)));
  if (r.driverErrors.length || r.quiescence.errors.length) {
    sections.push(
      [
        "Driver and job errors (not product violations)",
        ...[...r.driverErrors, ...r.quiescence.errors].slice(0, 20).map((e) => `  ${e}`),
      ].join("\n"),
    );
  }
  if (r.serverErrors.length) {
    sections.push(
      [
        `Proxy errors behind unexpected answers (${r.serverErrors.length})`,
        ...r.serverErrors.slice(0, 20).map((e) => `  ${e}`),
      ].join("\n"),
    );
  }
  if (r.violations.length) {
    sections.push(
      ["Violations", ...r.violations.slice(0, 50).map((v) => `  ${v.kind} ${v.subject}: ${v.detail}`)].join("\n"),
    );
  }
  return sections.join("\n\n");
}
