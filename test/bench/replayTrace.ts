import { mulberry32 } from "../support/mulberry32";

/**
 * The standard replay trace of benchmark 1: what sellers and Microsoft do to a set of deals, generated from a
 * seed (the committed input is the generator and STANDARD_TRACE, never a list of events or a figure).
 */

export type TraceEvent =
  /** A seller turns "Sync with Partner Center" on (Dataverse Update of pcs_syncwithpartnercenter). */
  | { kind: "turn-on"; deal: number }
  /** A seller saves a new value of a CRM-owned field that Partner Center holds. `burst`: no pause before it. */
  | { kind: "edit"; deal: number; field: "estimatedvalue" | "description"; value: number | string; burst: boolean }
  /** A seller saves the form without changing anything Partner Center holds (rewrites the current value). */
  | { kind: "noop-save"; deal: number }
  /** Microsoft accepts the referral (Partner Center status change, echoed back to CRM). */
  | { kind: "pc-accept"; deal: number }
  /** Microsoft changes the deal value or the notes in Partner Center. */
  | { kind: "pc-details"; deal: number; field: "dealValue" | "notes"; value: number | string };

export interface TraceSpec {
  seed: number;
  deals: number;
  /** Events before bursts are expanded (a burst counts as one step). */
  steps: number;
}

export const STANDARD_TRACE: TraceSpec = { seed: 20261125, deals: 30, steps: 240 };
export const QUICK_TRACE: TraceSpec = { seed: 20261125, deals: 10, steps: 60 };

/** The deal's state both sides agree on after a sync (what the genuine-change test compares with). */
export interface DealState {
  on: boolean;
  accepted: boolean;
  value: number;
  notes: string;
}

export function generateTrace(spec: TraceSpec, initial: (deal: number) => DealState): TraceEvent[] {
  if (!Number.isInteger(spec.deals) || spec.deals < 1) throw new Error(`deals must be at least 1, got ${spec.deals}.`);
  if (!Number.isInteger(spec.steps) || spec.steps < 1) throw new Error(`steps must be at least 1, got ${spec.steps}.`);
  const random = mulberry32(spec.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const on = new Set<number>();
  const accepted = new Set<number>();
  for (let d = 0; d < spec.deals; d++) {
    const state = initial(d);
    if (state.on) on.add(d);
    if (state.accepted) accepted.add(d);
  }
  const events: TraceEvent[] = [];
  let serial = 0;
  const newValue = () => 1_000 * (10 + pick(990));
  for (let step = 0; step < spec.steps; step++) {
    const off = [...Array(spec.deals).keys()].filter((d) => !on.has(d));
    const live = [...on];
    const roll = random();
    if (live.length === 0 || (off.length > 0 && roll < 0.15)) {
      const deal = off[pick(off.length)]!;
      on.add(deal);
      events.push({ kind: "turn-on", deal });
      continue;
    }
    const deal = live[pick(live.length)]!;
    if (roll < 0.45) {
      const field = random() < 0.7 ? "estimatedvalue" : "description";
      events.push({
        kind: "edit",
        deal,
        field,
        value: field === "description" ? `Seller note ${++serial}` : newValue(),
        burst: false,
      });
    } else if (roll < 0.65) {
      events.push({ kind: "noop-save", deal });
    } else if (roll < 0.75) {
      // A seller editing one deal several times in a row (autosave, tabbing through fields).
      const size = 3 + pick(4);
      for (let i = 0; i < size; i++) {
        events.push({ kind: "edit", deal, field: "estimatedvalue", value: newValue(), burst: i > 0 });
      }
    } else if (roll < 0.85 && !accepted.has(deal)) {
      accepted.add(deal);
      events.push({ kind: "pc-accept", deal });
    } else {
      const field = random() < 0.5 ? "dealValue" : "notes";
      events.push({
        kind: "pc-details",
        deal,
        field,
        value: field === "notes" ? `Microsoft note ${++serial}` : newValue(),
      });
    }
  }
  return events;
}

/**
 * A genuine change is an event that changes what one side must learn from the other: a CRM-owned value that
 * Partner Center holds (sync turned on for a ready deal: the referral itself; a new deal value or notes) or a
 * Microsoft-side change that CRM must receive (status on accept; a new value or notes). Saving a value the deal
 * already has, or repeating what the other side already holds, is not one. Returns one flag per event.
 */
export function genuineChanges(events: readonly TraceEvent[], initial: (deal: number) => DealState): boolean[] {
  const states = new Map<number, DealState>();
  const state = (deal: number) => {
    let s = states.get(deal);
    if (!s) states.set(deal, (s = { ...initial(deal) }));
    return s;
  };
  return events.map((e) => {
    const s = state(e.deal);
    switch (e.kind) {
      case "turn-on": {
        const genuine = !s.on;
        s.on = true;
        return genuine;
      }
      case "noop-save":
        return false;
      case "pc-accept": {
        const genuine = s.on && !s.accepted;
        s.accepted = true;
        return genuine;
      }
      case "edit":
      case "pc-details": {
        const isValue = e.field === "estimatedvalue" || e.field === "dealValue";
        const genuine = s.on && (isValue ? s.value !== e.value : s.notes !== e.value);
        if (isValue) s.value = Number(e.value);
        else s.notes = String(e.value);
        return genuine;
      }
    }
  });
}

/** The next event is an edit of the same burst (so nothing waits in between). */
export function burstContinues(events: readonly TraceEvent[], i: number): boolean {
  const next = events[i + 1];
  return next !== undefined && next.kind === "edit" && next.burst;
}

/** The event is one of a burst's edits, its first included. */
export function inBurst(events: readonly TraceEvent[], i: number): boolean {
  const e = events[i];
  return e !== undefined && e.kind === "edit" && (e.burst || burstContinues(events, i));
}
