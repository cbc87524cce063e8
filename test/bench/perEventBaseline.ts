import type { DealState, TraceEvent } from "./replayTrace";

/**
 * The per-event baseline: the Power Automate co-sell connector's documented behaviour ("each create/update on either
 * side makes an API call", ../shared/reference/partner-center/notes.md §4 [S6]; its Partner Center → CRM flow GETs
 * the referral a webhook names [S1][S6]) as a small model, replayed on the same trace:
 *
 * - every Dataverse Create/Update event of a synced opportunity → one Partner Center call (POST the first time,
 *   then an update), which copies CRM's values; Partner Center then fires its webhook;
 * - every Partner Center webhook → one GET; when the referral differs from the opportunity, one Dataverse write,
 *   which is itself an Update event (the flows cannot tell their own writes from a seller's), and one PUT back to
 *   Partner Center with If-Match (the published sample flow writes the CRM id back, [S8]), which fires a webhook.
 *
 * Generous to the connector: no retries, no failed runs, and a GET that finds nothing new ends the chain.
 */

interface Side {
  value: number;
  notes: string;
  accepted: boolean;
}

type Pending = { kind: "dataverse-event"; deal: number } | { kind: "partner-center-webhook"; deal: number };

export function perEventBaselineCalls(events: readonly TraceEvent[], initial: (deal: number) => DealState): number {
  const crm = new Map<number, Side & { on: boolean; referral: boolean }>();
  const pc = new Map<number, Side>();
  const crmOf = (deal: number) => {
    let s = crm.get(deal);
    if (!s) {
      const i = initial(deal);
      crm.set(deal, (s = { value: i.value, notes: i.notes, accepted: i.accepted, on: i.on, referral: false }));
    }
    return s;
  };
  let calls = 0;
  const run = (first: Pending) => {
    const queue: Pending[] = [first];
    for (let next = queue.shift(); next; next = queue.shift()) {
      const c = crmOf(next.deal);
      if (next.kind === "dataverse-event") {
        if (!c.on) continue;
        calls++;
        c.referral = true;
        const p = pc.get(next.deal) ?? { value: c.value, notes: c.notes, accepted: c.accepted };
        pc.set(next.deal, { ...p, value: c.value, notes: c.notes });
        queue.push({ kind: "partner-center-webhook", deal: next.deal });
      } else {
        calls++;
        const p = pc.get(next.deal)!;
        if (p.value !== c.value || p.notes !== c.notes || p.accepted !== c.accepted) {
          Object.assign(c, { value: p.value, notes: p.notes, accepted: p.accepted });
          queue.push({ kind: "dataverse-event", deal: next.deal });
          calls++;
          queue.push({ kind: "partner-center-webhook", deal: next.deal });
        }
      }
    }
  };
  for (const e of events) {
    const c = crmOf(e.deal);
    switch (e.kind) {
      case "turn-on":
        c.on = true;
        run({ kind: "dataverse-event", deal: e.deal });
        break;
      case "noop-save":
        run({ kind: "dataverse-event", deal: e.deal });
        break;
      case "edit":
        if (e.field === "estimatedvalue") c.value = Number(e.value);
        else c.notes = String(e.value);
        run({ kind: "dataverse-event", deal: e.deal });
        break;
      case "pc-accept":
      case "pc-details": {
        const p = pc.get(e.deal);
        if (!p) continue; // Microsoft cannot act on a referral that does not exist
        if (e.kind === "pc-accept") p.accepted = true;
        else if (e.field === "dealValue") p.value = Number(e.value);
        else p.notes = String(e.value);
        run({ kind: "partner-center-webhook", deal: e.deal });
        break;
      }
    }
  }
  return calls;
}
