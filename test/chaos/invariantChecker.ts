import type { LedgerField, WriteLedger } from "./writeLedger";

/**
 * Compares both sides after a chaos run has gone quiet. Pure: `bothSides.ts` reads the state, the driver keeps
 * the ledger. The invariants (product-spec §5):
 * - one referral per opportunity and one opportunity per referral; every Microsoft-initiated referral imported;
 * - no lost update: each bidirectional field ends with the last value written to it, on both sides (writes from
 *   the two sides closer together than `concurrentWithinMs` are concurrent and either may win);
 * - no divergence: an opportunity with sync on and an open referral holds the same values as the referral, and
 *   always mirrors the status, substatus and Microsoft CRM id Partner Center owns;
 * - nothing stuck: sync on means Synced with a referral (Error only where Partner Center closed the referral);
 * - every attempt audited: each correlation id of a Partner Center write appears in the audit table.
 */

export const VIOLATION_KINDS = [
  "duplicate-referral",
  "duplicate-opportunity",
  "missing-opportunity",
  "missing-referral",
  "wrong-link",
  "lost-update",
  "divergent-field",
  "stuck-sync",
  "unaudited-attempt",
] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

export interface Violation {
  kind: ViolationKind;
  subject: string;
  detail: string;
}

export interface FinalOpportunity {
  opportunityId: string;
  syncOn: boolean;
  syncState: string | null;
  lastSyncError: string | null;
  nextRetryOn: string | null;
  referralId: string | null;
  value: number | null;
  closeDate: string | null;
  notes: string | null;
  referralStatus: string | null;
  referralSubstatus: string | null;
  microsoftCrmId: string | null;
}

export interface FinalReferral {
  id: string;
  externalReferenceId: string | null;
  direction: string | null;
  status: string | null;
  substatus: string | null;
  microsoftCrmId: string | null;
  value: number | null;
  closeDate: string | null;
  notes: string | null;
}

export interface PartnerCenterWrite {
  method: string;
  correlationId: string;
  startedAt: number;
  endedAt: number;
}

export interface CheckInput {
  /** The deals the driver worked on (the checker ignores other opportunities except for links). */
  deals: readonly string[];
  opportunities: readonly FinalOpportunity[];
  referrals: readonly FinalReferral[];
  /** Referrals Microsoft started during the run. */
  incomingReferralIds: readonly string[];
  auditCorrelationIds: ReadonlySet<string>;
  partnerCenterWrites: readonly PartnerCenterWrite[];
  /** When a proxy process was killed: writes in flight then, or answered just before, may lack their audit row. */
  killedAt: readonly number[];
  ledger: WriteLedger;
  concurrentWithinMs: number;
}

const FIELDS: LedgerField[] = ["value", "closeDate", "notes"];
/** A killed process answers nothing after its death; its last writes may be unaudited for this long before it. */
const KILL_GRACE_MS = 3_000;

function same(field: LedgerField, a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (field === "value") return Math.abs(Number(a) - Number(b)) < 0.00005;
  if (field === "closeDate") return String(a).slice(0, 10) === String(b).slice(0, 10);
  return String(a).replace(/\r\n/g, "\n") === String(b).replace(/\r\n/g, "\n");
}

export function checkInvariants(input: CheckInput): Violation[] {
  const violations: Violation[] = [];
  const add = (kind: ViolationKind, subject: string, detail: string) => violations.push({ kind, subject, detail });
  const deals = new Set(input.deals);

  const referralsByOpportunity = new Map<string, FinalReferral[]>();
  for (const r of input.referrals) {
    if (!r.externalReferenceId || r.direction === "Incoming") continue;
    const key = r.externalReferenceId.toLowerCase();
    referralsByOpportunity.set(key, [...(referralsByOpportunity.get(key) ?? []), r]);
  }
  for (const [opportunityId, list] of referralsByOpportunity) {
    if (list.length > 1)
      add("duplicate-referral", opportunityId, `${list.length} referrals: ${list.map((r) => r.id).join(", ")}`);
  }
  const opportunitiesByReferral = new Map<string, FinalOpportunity[]>();
  for (const o of input.opportunities) {
    if (!o.referralId) continue;
    opportunitiesByReferral.set(o.referralId, [...(opportunitiesByReferral.get(o.referralId) ?? []), o]);
  }
  for (const [referralId, list] of opportunitiesByReferral) {
    if (list.length > 1) {
      add(
        "duplicate-opportunity",
        referralId,
        `${list.length} opportunities: ${list.map((o) => o.opportunityId).join(", ")}`,
      );
    }
  }
  for (const id of input.incomingReferralIds) {
    if (!opportunitiesByReferral.has(id)) add("missing-opportunity", id, "Microsoft's referral has no opportunity");
  }

  const referralById = new Map(input.referrals.map((r) => [r.id, r]));
  for (const o of input.opportunities) {
    if (!deals.has(o.opportunityId)) continue;
    const own = referralsByOpportunity.get(o.opportunityId)?.[0] ?? null;
    if (o.referralId && own && o.referralId !== own.id) {
      add("wrong-link", o.opportunityId, `records ${o.referralId}, but its referral is ${own.id}`);
    }
    const referral = o.referralId ? (referralById.get(o.referralId) ?? null) : null;
    if (o.referralId && !referral) add("wrong-link", o.opportunityId, `records ${o.referralId}, which does not exist`);
    const closed = referral?.status === "Closed";

    if (o.syncOn) {
      if (!o.referralId) {
        add("missing-referral", o.opportunityId, `sync is on but nothing was shared (state ${o.syncState ?? "none"})`);
      }
      const errorAllowed = o.syncState === "Error" && closed;
      if (o.syncState !== "Synced" && !errorAllowed) {
        add(
          "stuck-sync",
          o.opportunityId,
          `state ${o.syncState ?? "none"}, next retry ${o.nextRetryOn ?? "none"}: ${o.lastSyncError ?? ""}`.trim(),
        );
      }
    }
    if (!referral) continue;

    const mirrored: [string, string | null, string | null][] = [
      ["status", o.referralStatus, referral.status],
      ["substatus", o.referralSubstatus, referral.substatus],
      ["Microsoft CRM id", o.microsoftCrmId, referral.microsoftCrmId],
    ];
    for (const [name, crm, pc] of mirrored) {
      if ((crm ?? null) !== (pc ?? null)) {
        add("divergent-field", o.opportunityId, `${name}: CRM ${crm ?? "empty"}, Partner Center ${pc ?? "empty"}`);
      }
    }
    // Sync off, or a closed referral (changes are refused locally, and the seller is told): the sides may differ.
    if (!o.syncOn || closed) continue;
    for (const field of FIELDS) {
      const crm = o[field];
      const pc = referral[field];
      const writes = input.ledger.of(o.opportunityId, field);
      const last = writes[writes.length - 1];
      if (last) {
        const acceptable = writes.filter(
          (w) => w === last || (w.side !== last.side && last.at - w.at < input.concurrentWithinMs),
        );
        const holds = (v: unknown) => acceptable.some((w) => same(field, w.value, v));
        const wanted = `${String(last.value)} (${last.side === "crm" ? "CRM" : "Partner Center"}, event ${last.event})`;
        if (!holds(crm))
          add("lost-update", o.opportunityId, `${field}: CRM has ${String(crm)}, last write was ${wanted}`);
        if (!holds(pc)) {
          add("lost-update", o.opportunityId, `${field}: Partner Center has ${String(pc)}, last write was ${wanted}`);
        }
      }
      if (!same(field, crm, pc)) {
        add("divergent-field", o.opportunityId, `${field}: CRM ${String(crm)}, Partner Center ${String(pc)}`);
      }
    }
  }

  const excused = (w: PartnerCenterWrite) =>
    input.killedAt.some((k) => w.startedAt <= k && w.endedAt >= k - KILL_GRACE_MS);
  const unaudited = new Map<string, PartnerCenterWrite>();
  for (const w of input.partnerCenterWrites) {
    if (!input.auditCorrelationIds.has(w.correlationId) && !excused(w)) unaudited.set(w.correlationId, w);
  }
  for (const [correlationId, w] of unaudited) {
    add("unaudited-attempt", correlationId, `${w.method} to Partner Center without an audit row`);
  }
  return violations;
}

export function countByKind(violations: readonly Violation[]): Record<ViolationKind, number> {
  const counts = Object.fromEntries(VIOLATION_KINDS.map((k) => [k, 0])) as Record<ViolationKind, number>;
  for (const v of violations) counts[v.kind] += 1;
  return counts;
}
