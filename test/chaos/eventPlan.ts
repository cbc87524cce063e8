import type { ChaosDeal } from "./chaosSeed";
import { SeededRandom } from "./seededRandom";

/**
 * The chaos run as data, drawn from the seed before anything runs: which seller or Microsoft action happens to
 * which deal, through which proxy instance, and which fault goes with it. Pure, so a seed always means the same
 * plan; what the services make of it (timing, who wins a race) is the run's business.
 */

export const FAULT_KINDS = [
  "pc-503",
  "pc-429",
  "pc-timeout",
  "pc-drop",
  "pc-lost-answer",
  "dv-503",
  "dv-429",
  "dv-duplicate-webhook",
  "dv-reordered-webhooks",
  "pc-duplicate-webhook",
  "pc-reordered-webhooks",
  "race-412",
  "proxy-killed",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which proxy the form's POST /api/sync goes to: one of the in-process instances or the proxy process. */
export type Route = "A" | "B" | "process";

export interface FieldChanges {
  value?: number;
  closeDate?: string;
  notes?: string;
}

export type MicrosoftAction =
  | { action: "update"; changes: FieldChanges }
  | { action: "accept"; msxId: string }
  | { action: "tracking"; msxId: string }
  | { action: "decline" }
  | { action: "close"; outcome: "Won" | "Lost" }
  | { action: "expire" };

export type ChaosEvent = { index: number; fault: FaultKind | null } & (
  | { kind: "edit"; deal: number; changes: FieldChanges; route: Route }
  | { kind: "noop-save"; deal: number; route: Route }
  | { kind: "toggle"; deal: number; on: boolean; route: Route }
  | { kind: "microsoft"; deal: number; change: MicrosoftAction }
  | { kind: "incoming"; name: string; value: number }
  | { kind: "retry-worker"; instance: "A" | "B" }
);

export interface PlanOptions {
  events: number;
  seed: number;
  faultRate: number;
  deals: readonly ChaosDeal[];
  /** Whether a proxy process takes part (routes "process", the kill). */
  crash: boolean;
}

const EVENT_WEIGHTS = { edit: 42, "noop-save": 10, toggle: 8, microsoft: 28, incoming: 3, "retry-worker": 2 } as const;
// Closing is rare (about 3 %): a closed referral takes its deal out of the two-way checks for the rest of the run.
const MICROSOFT_WEIGHTS = { update: 75, accept: 14, tracking: 8, decline: 1, close: 1.5, expire: 0.5 } as const;
const CALL_FAULTS: FaultKind[] = ["pc-503", "pc-429", "pc-timeout", "pc-drop", "pc-lost-answer", "dv-503", "dv-429"];

function changesOf(random: SeededRandom, index: number): FieldChanges {
  const changes: FieldChanges = {};
  // At least one field; sometimes several in one save.
  do {
    const field = random.pick(["value", "closeDate", "notes"] as const);
    if (field === "value") changes.value = random.int(1, 2000) * 500;
    if (field === "closeDate")
      changes.closeDate = `2027-${String(random.int(1, 12)).padStart(2, "0")}-${String(random.int(1, 28)).padStart(2, "0")}`;
    if (field === "notes") changes.notes = `Notes of event ${index} (${random.int(1000, 9999)})`;
  } while (random.chance(0.25));
  return changes;
}

export function planChaos(options: PlanOptions): ChaosEvent[] {
  if (options.deals.length === 0) throw new Error("A chaos plan needs at least one deal.");
  const random = new SeededRandom(options.seed);
  const syncOn = options.deals.map(() => false);
  const routes: Route[] = options.crash ? ["A", "B", "A", "B", "process"] : ["A", "B"];
  const killAt = options.crash ? Math.floor(options.events * 0.4) : -1;
  const events: ChaosEvent[] = [];
  for (let index = 0; index < options.events; index++) {
    const deal = random.int(0, options.deals.length - 1);
    const faulty = random.chance(options.faultRate);
    const route = random.pick(routes);
    if (index === killAt) {
      // The process gets this deal's sync and is killed while Partner Center is still answering.
      events.push({
        index,
        fault: "proxy-killed",
        kind: "edit",
        deal,
        changes: changesOf(random, index),
        route: "process",
      });
      continue;
    }
    // A deal starts with sync off: its first event turns it on, as a seller does before anything is shared.
    const kind = syncOn[deal] ? random.weighted(EVENT_WEIGHTS) : "toggle";
    switch (kind) {
      case "edit":
        events.push({
          index,
          kind,
          deal,
          changes: changesOf(random, index),
          route,
          fault: faulty
            ? random.pick([...CALL_FAULTS, "dv-duplicate-webhook", "dv-reordered-webhooks", "race-412"])
            : null,
        });
        break;
      case "noop-save":
        events.push({ index, kind, deal, route, fault: faulty ? random.pick(["dv-503", "dv-429"] as const) : null });
        break;
      case "toggle": {
        // Mostly on: a deal spends most of the run shared, as in real use.
        const on = !syncOn[deal] || random.chance(0.15) ? !syncOn[deal] : true;
        syncOn[deal] = on;
        events.push({ index, kind, deal, on, route, fault: faulty && on ? random.pick(CALL_FAULTS) : null });
        break;
      }
      case "microsoft": {
        const action = random.weighted(MICROSOFT_WEIGHTS);
        const msxId = `7-${random.int(100000000, 999999999)}`;
        const change: MicrosoftAction =
          action === "update"
            ? { action, changes: changesOf(random, index) }
            : action === "accept" || action === "tracking"
              ? { action, msxId }
              : action === "close"
                ? { action, outcome: random.pick(["Won", "Lost"] as const) }
                : { action };
        events.push({
          index,
          kind,
          deal,
          change,
          fault: faulty ? random.pick(["pc-duplicate-webhook", "pc-reordered-webhooks"] as const) : null,
        });
        break;
      }
      case "incoming":
        events.push({ index, kind, name: `Microsoft lead ${index}`, value: random.int(5, 500) * 1000, fault: null });
        break;
      case "retry-worker":
        events.push({ index, kind, instance: random.pick(["A", "B"] as const), fault: null });
        break;
    }
  }
  return events;
}
