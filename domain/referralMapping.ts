import { dateToUtcMidnight } from "./calendarDate";
import { fingerprintOf } from "./fingerprint";
import type { OpportunitySnapshot } from "./opportunitySnapshot";
import { evaluateReadiness, type ReadinessFailure } from "./readinessRules";
import type { ReferenceData } from "./referenceData";
import type { CustomerSize, ReferralCreateBody, ReferralMember, ReferralSolution } from "./referral";
import {
  projectSnapshot,
  type CanonicalMember,
  type CanonicalSolution,
  type ReferralProjection,
} from "./referralProjection";

/**
 * Opportunity → the body of POST /v1.0/engagements/referrals. Readiness is evaluated first, so an
 * invalid body is never produced: the caller gets either a body or the list of what to fix.
 */

export type CreateMapping =
  | { ok: true; body: ReferralCreateBody; projection: ReferralProjection; fingerprint: string }
  | { ok: false; failures: ReadinessFailure[] };

const SIZE_BUCKETS: readonly [number, CustomerSize][] = [
  [9, "1to9employees"],
  [50, "10to50employees"],
  [250, "51to250employees"],
  [1000, "251to1000employees"],
  [5000, "1001to5000employees"],
  [10000, "5001to10000employees"],
  [20000, "10001to20000employees"],
];

/** account.numberofemployees → customerProfile.size; unknown or nonsense counts leave the size out. */
export function customerSize(employees: number | null | undefined): CustomerSize | undefined {
  if (employees === null || employees === undefined || !Number.isInteger(employees) || employees < 1) return undefined;
  return SIZE_BUCKETS.find(([max]) => employees <= max)?.[1] ?? "Morethan20000employees";
}

export function membersOnWire(members: readonly CanonicalMember[]): ReferralMember[] {
  return members.map((m) => ({ ...m }));
}

export function solutionsOnWire(solutions: readonly CanonicalSolution[]): ReferralSolution[] {
  // type "Name": a solution from Microsoft's catalogue, identified by its SOL- id.
  return solutions.map((s) => ({ id: s.id, ...(s.name ? { name: s.name } : {}), type: "Name" }));
}

export function mapToReferralCreate(snapshot: OpportunitySnapshot, now: Date, reference: ReferenceData): CreateMapping {
  const readiness = evaluateReadiness(snapshot, { now, hasReferral: false, reference });
  if (!readiness.ready) return { ok: false, failures: readiness.failures };
  const p = projectSnapshot(snapshot, readiness);
  const shared = p["/consent/consentToShareReferralWithMicrosoftSellers"];
  const size = customerSize(snapshot.account?.numberOfEmployees);
  const help = p["/inviteContext/assistanceRequestCode"];
  const body: ReferralCreateBody = {
    name: p["/name"],
    externalReferenceId: p["/externalReferenceId"],
    type: shared ? "Shared" : "Independent",
    status: "New",
    substatus: "Pending",
    customerProfile: {
      name: p["/customerProfile/name"],
      address: { ...p["/customerProfile/address"], country: readiness.countryCode! },
      ...(size ? { size } : {}),
      team: membersOnWire(p["/customerProfile/team"]),
    },
    consent: {
      consentToShareReferralWithMicrosoftSellers: shared,
      consentToContact: shared,
      consentToToShareInfoWithOthers: shared,
    },
    details: {
      ...(p["/details/notes"] ? { notes: p["/details/notes"] } : {}),
      dealValue: p["/details/dealValue"]!,
      currency: p["/details/currency"]!,
      closingDateTime: dateToUtcMidnight(p["/details/closingDateTime"]!),
      requirements: { solutions: solutionsOnWire(p["/details/requirements/solutions"]) },
    },
    team: membersOnWire(p["/team"]),
    ...(help ? { inviteContext: { assistanceRequestCode: help } } : {}),
  };
  return { ok: true, body, projection: p, fingerprint: fingerprintOf(p) };
}
