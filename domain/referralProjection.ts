import type { DealPerson, OpportunitySnapshot } from "./opportunitySnapshot";
import {
  ASSISTANCE_REQUEST_CODES,
  type AssistanceRequestCode,
  type Referral,
  type ReferralAddress,
  type ReferralMember,
} from "./referral";
import { canonicalDate } from "./calendarDate";

/**
 * The part of a referral this product manages, in one canonical form whichever side it comes from:
 * mapped from the opportunity, or read back from Partner Center. Comparing projections (or their
 * fingerprints) is how the sync decides what changed; values are normalised so that formatting
 * differences between the two systems (date-time vs date, 1e3 vs 1000.0, CRLF, e-mail case) never
 * look like a change.
 */

export const PROJECTION_PATHS = [
  "/name",
  "/externalReferenceId",
  "/customerProfile/name",
  "/customerProfile/address",
  "/customerProfile/team",
  "/team",
  "/consent/consentToShareReferralWithMicrosoftSellers",
  "/inviteContext/assistanceRequestCode",
  "/details/notes",
  "/details/dealValue",
  "/details/currency",
  "/details/closingDateTime",
  "/details/requirements/solutions",
  "/status",
] as const;
export type ProjectionPath = (typeof PROJECTION_PATHS)[number];

export interface CanonicalMember {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber?: string;
}

export interface CanonicalSolution {
  id: string;
  name: string;
}

export type CanonicalAddress = Omit<ReferralAddress, "region">;

/** CRM-driven closing of the referral; open deals leave the status to Partner Center. */
export type ClosingStatus = "Closed/Won" | "Closed/Lost" | null;

export interface ReferralProjection {
  "/name": string;
  "/externalReferenceId": string;
  "/customerProfile/name": string;
  "/customerProfile/address": CanonicalAddress;
  "/customerProfile/team": CanonicalMember[];
  "/team": CanonicalMember[];
  "/consent/consentToShareReferralWithMicrosoftSellers": boolean;
  "/inviteContext/assistanceRequestCode": AssistanceRequestCode | null;
  "/details/notes": string;
  "/details/dealValue": number | null;
  "/details/currency": string | null;
  /** YYYY-MM-DD: Dataverse holds a date, Partner Center a UTC date-time at midnight. */
  "/details/closingDateTime": string | null;
  "/details/requirements/solutions": CanonicalSolution[];
  "/status": ClosingStatus;
}

/** Plain text: NFC, LF line ends, no control characters, trimmed. Markup is kept verbatim (it is text, not HTML). */
export function canonicalText(value: string | null | undefined): string {
  return (
    (value ?? "")
      .normalize("NFC")
      .replace(/\r\n?/g, "\n")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
      .trim()
  );
}

/** Money compares at Dataverse's finest precision (4 decimals). */
export function canonicalAmount(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Number(value.toFixed(4));
}

function canonicalMember(member: ReferralMember): CanonicalMember | null {
  const email = canonicalText(member.email).toLowerCase();
  if (!email) return null;
  const phone = canonicalText(member.phoneNumber);
  return {
    firstName: canonicalText(member.firstName),
    lastName: canonicalText(member.lastName),
    email,
    ...(phone ? { phoneNumber: phone } : {}),
  };
}

function canonicalMembers(members: readonly ReferralMember[] | undefined): CanonicalMember[] {
  const seen = new Set<string>();
  const out: CanonicalMember[] = [];
  for (const m of members ?? []) {
    const c = canonicalMember(m);
    if (c && !seen.has(c.email)) {
      seen.add(c.email);
      out.push(c);
    }
  }
  return out;
}

function canonicalAddress(address: ReferralAddress | undefined): CanonicalAddress {
  const out: CanonicalAddress = {};
  const set = (key: keyof CanonicalAddress, value: string | null | undefined) => {
    const v = canonicalText(value);
    if (v) out[key] = v;
  };
  set("addressLine1", address?.addressLine1);
  set("addressLine2", address?.addressLine2);
  set("city", address?.city);
  set("state", address?.state);
  set("postalCode", address?.postalCode);
  if (address?.country) out.country = canonicalText(address.country).toUpperCase();
  return out;
}

function canonicalSolutions(solutions: readonly { id?: string | null; name?: string | null }[]): CanonicalSolution[] {
  const byId = new Map<string, CanonicalSolution>();
  for (const s of solutions) {
    const id = canonicalText(s.id);
    if (id && !byId.has(id)) byId.set(id, { id, name: canonicalText(s.name) });
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function personAsMember(p: DealPerson): ReferralMember {
  return {
    firstName: p.firstName ?? undefined,
    lastName: p.lastName ?? undefined,
    email: p.email ?? undefined,
    phoneNumber: p.phone ?? undefined,
  };
}

export interface ResolvedCodes {
  countryCode: string | null;
  currencyCode: string | null;
}

/** The opportunity as the referral it should be. Country and currency come already resolved by the readiness rules. */
export function projectSnapshot(s: OpportunitySnapshot, codes: ResolvedCodes): ReferralProjection {
  const owner = s.owner?.kind === "systemuser" ? [s.owner] : [];
  const others = s.salesTeam
    .filter((m) => m.kind === "systemuser")
    .slice()
    .sort((a, b) => ((a.email ?? "").toLowerCase() < (b.email ?? "").toLowerCase() ? -1 : 1));
  const contact = s.customerContact;
  return {
    "/name": canonicalText(s.name),
    "/externalReferenceId": s.id.toLowerCase(),
    "/customerProfile/name": canonicalText(s.account?.name),
    "/customerProfile/address": canonicalAddress({
      addressLine1: s.account?.address.line1 ?? undefined,
      addressLine2: s.account?.address.line2 ?? undefined,
      city: s.account?.address.city ?? undefined,
      state: s.account?.address.stateOrProvince ?? undefined,
      postalCode: s.account?.address.postalCode ?? undefined,
      country: codes.countryCode ?? undefined,
    }),
    "/customerProfile/team": canonicalMembers(
      contact
        ? [
            {
              firstName: contact.firstName ?? undefined,
              lastName: contact.lastName ?? undefined,
              email: contact.email ?? undefined,
              phoneNumber: contact.phone ?? undefined,
            },
          ]
        : [],
    ),
    "/team": canonicalMembers([...owner, ...others].map(personAsMember)),
    // Asking Microsoft for help shares the deal with Microsoft sellers; the connector documents the same.
    "/consent/consentToShareReferralWithMicrosoftSellers": s.shareWithMicrosoftSellers || s.microsoftHelp !== null,
    "/inviteContext/assistanceRequestCode": s.microsoftHelp,
    "/details/notes": canonicalText(s.description),
    "/details/dealValue": canonicalAmount(s.estimatedValue),
    "/details/currency": codes.currencyCode,
    "/details/closingDateTime": canonicalDate(s.estimatedCloseDate),
    "/details/requirements/solutions": canonicalSolutions(s.solutions.map((x) => ({ id: x.solutionId, name: x.name }))),
    "/status": s.state === "won" ? "Closed/Won" : s.state === "lost" ? "Closed/Lost" : null,
  };
}

/** A referral read from Partner Center, in the same canonical form. */
export function projectReferral(r: Referral): ReferralProjection {
  const code = r.inviteContext?.assistanceRequestCode;
  const closing =
    r.status === "Closed" && (r.substatus === "Won" || r.substatus === "Lost")
      ? (`Closed/${r.substatus}` as const)
      : null;
  return {
    "/name": canonicalText(r.name),
    "/externalReferenceId": canonicalText(r.externalReferenceId).toLowerCase(),
    "/customerProfile/name": canonicalText(r.customerProfile?.name),
    "/customerProfile/address": canonicalAddress(r.customerProfile?.address),
    "/customerProfile/team": canonicalMembers(r.customerProfile?.team),
    "/team": canonicalMembers(r.team),
    "/consent/consentToShareReferralWithMicrosoftSellers":
      r.consent?.consentToShareReferralWithMicrosoftSellers === true,
    "/inviteContext/assistanceRequestCode":
      code && (ASSISTANCE_REQUEST_CODES as readonly string[]).includes(code) ? (code as AssistanceRequestCode) : null,
    "/details/notes": canonicalText(r.details?.notes),
    "/details/dealValue": canonicalAmount(r.details?.dealValue),
    "/details/currency": r.details?.currency ? canonicalText(r.details.currency).toUpperCase() : null,
    "/details/closingDateTime": canonicalDate(r.details?.closingDateTime),
    "/details/requirements/solutions": canonicalSolutions(r.details?.requirements?.solutions ?? []),
    "/status": closing,
  };
}

/**
 * What counts as a change for each path. Team order and phone numbers, and solution display names
 * (Partner Center's catalogue may spell them differently), do not.
 */
export function comparableValue<P extends ProjectionPath>(path: P, value: ReferralProjection[P]): unknown {
  switch (path) {
    case "/team":
    case "/customerProfile/team":
      return (value as CanonicalMember[]).map((m) => `${m.email}|${m.firstName}|${m.lastName}`).sort();
    case "/details/requirements/solutions":
      return (value as CanonicalSolution[]).map((s) => s.id);
    default:
      return value;
  }
}
