import type { FaultInjector as PartnerCenterFaults, OneShotFault } from "../emulators/partner-center/faultInjection";
import { FAULT_KINDS, type FaultKind } from "./eventPlan";

/**
 * Faults planned and faults that really happened, by kind. A one-shot fault queued in an emulator only counts
 * once a request met it (Partner Center: it left the queue; Dataverse: its rule fired); the other kinds count when
 * the driver performed them (a duplicate needs a delivery to duplicate, a kill a process to kill).
 */

const PARTNER_CENTER_ONE_SHOTS: Partial<Record<FaultKind, (f: OneShotFault) => boolean>> = {
  "pc-503": (f) => f.kind === "status" && f.status === 503,
  "pc-429": (f) => f.kind === "status" && f.status === 429,
  "pc-timeout": (f) => f.kind === "latency",
  "pc-drop": (f) => f.kind === "drop",
  "pc-lost-answer": (f) => f.kind === "lostAnswer",
};

export class FaultTally {
  readonly planned = zero();
  readonly injected = zero();
  private readonly queued = zero();

  plan(kind: FaultKind): void {
    this.planned[kind] += 1;
  }

  /** A fault the driver itself performed, or a Dataverse rule that fired. */
  happened(kind: FaultKind): void {
    this.injected[kind] += 1;
  }

  /** A one-shot fault put in the Partner Center emulator's queue. */
  queuedAtPartnerCenter(kind: FaultKind): void {
    this.queued[kind] += 1;
  }

  /** Partner Center one-shots that were consumed: queued minus still waiting. Call once, at the end. */
  settlePartnerCenter(faults: PartnerCenterFaults): void {
    const waiting = faults.pending();
    for (const [kind, matches] of Object.entries(PARTNER_CENTER_ONE_SHOTS) as [
      FaultKind,
      (f: OneShotFault) => boolean,
    ][]) {
      const left = waiting.filter(matches).reduce((n, f) => n + (f.times ?? 1), 0);
      this.injected[kind] += Math.max(0, this.queued[kind] - left);
    }
    faults.clear();
  }

  get totalInjected(): number {
    return Object.values(this.injected).reduce((a, b) => a + b, 0);
  }
}

function zero(): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
}
