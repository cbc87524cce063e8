import { digestOf, serializeFingerprint, type Fingerprint } from "./fingerprint";
import type { OpportunityState } from "./opportunitySnapshot";
import type { Referral, ReferralStatus, ReferralSubstatus } from "./referral";
import { PROJECTION_PATHS, projectReferral, type ProjectionPath, type ReferralProjection } from "./referralProjection";
import { crmEffectOfReferralStatus, type CrmStatusEffect } from "./statusMapping";

/**
 * Partner Center → CRM under the field-ownership rules (product-spec §5):
 * - Partner Center owns the referral status/substatus and Microsoft's CRM id: always mirrored.
 * - CRM owns name, customer, contacts, solutions, help request, consent and Won/Lost closing:
 *   a Partner Center-side change to them is not applied.
 * - Deal value, currency, close date and notes go both ways. A three-way comparison with the last
 *   agreed state (the fingerprint) finds who changed what; when both did, the later writer wins.
 * The new fingerprint is written in the same Dataverse update, which is what makes the resulting
 * Dataverse change recognisable as an echo.
 */

export const BIDIRECTIONAL_PATHS = [
  "/details/notes",
  "/details/dealValue",
  "/details/currency",
  "/details/closingDateTime",
] as const satisfies readonly ProjectionPath[];
type BidirectionalPath = (typeof BIDIRECTIONAL_PATHS)[number];

export type Side = "crm" | "partnerCenter";
export type DecisionReason =
  | "crmOwned"
  | "onlyCrmChanged"
  | "onlyPartnerCenterChanged"
  | "bothChangedCrmLater"
  | "bothChangedPartnerCenterLater"
  | "noHistoryCrmLater"
  | "noHistoryPartnerCenterLater"
  | "partnerCenterEmpty";

export interface MergeDecision {
  path: ProjectionPath;
  winner: Side;
  reason: DecisionReason;
}

/** Opportunity columns to write; only what changes is present. */
export interface CrmUpdate {
  description?: string;
  estimatedValue?: number;
  currencyCode?: string;
  estimatedCloseDate?: string;
  referralStatus?: ReferralStatus | null;
  referralSubstatus?: ReferralSubstatus | null;
  microsoftCrmId?: string | null;
}

export interface CrmMirror {
  referralStatus: ReferralStatus | null;
  referralSubstatus: ReferralSubstatus | null;
  microsoftCrmId: string | null;
}

export interface InboundMergeInput {
  /** Last agreed state; null when unknown (first contact or lost fingerprint). */
  base: Fingerprint | null;
  /** The opportunity projected now. */
  crm: ReferralProjection;
  /** modifiedon of the opportunity (ISO), the CRM side's write time. */
  crmModifiedOn: string | null;
  /** What the opportunity currently mirrors of the referral. */
  mirror: CrmMirror;
  opportunityState: OpportunityState;
  referral: Referral;
}

export interface InboundMerge {
  crmUpdate: CrmUpdate;
  /** CRM values that won but Partner Center does not have yet: the next CRM → PC update sends them. */
  pendingForPartnerCenter: ProjectionPath[];
  /** Where the sides differed and who won, for the audit row. */
  decisions: MergeDecision[];
  statusEffect: CrmStatusEffect;
  /** Whether the status changed, so the seller is told once, not on every webhook. */
  statusChanged: boolean;
  fingerprint: string;
}

function isBidirectional(path: ProjectionPath): path is BidirectionalPath {
  return (BIDIRECTIONAL_PATHS as readonly string[]).includes(path);
}

function time(value: string | null | undefined): number {
  const t = Date.parse(value ?? "");
  return Number.isNaN(t) ? -Infinity : t;
}

function applyToCrm(update: CrmUpdate, path: BidirectionalPath, pc: ReferralProjection): void {
  switch (path) {
    case "/details/notes":
      update.description = pc[path];
      break;
    case "/details/dealValue":
      update.estimatedValue = pc[path]!;
      break;
    case "/details/currency":
      update.currencyCode = pc[path]!;
      break;
    case "/details/closingDateTime":
      update.estimatedCloseDate = pc[path]!;
      break;
  }
}

export function mergeInbound(input: InboundMergeInput): InboundMerge {
  const pc = projectReferral(input.referral);
  const crmTime = time(input.crmModifiedOn);
  const pcTime = time(input.referral.updatedDateTime);
  const crmUpdate: CrmUpdate = {};
  const decisions: MergeDecision[] = [];
  const pending: ProjectionPath[] = [];
  const next = {} as Record<ProjectionPath, string>;

  for (const path of PROJECTION_PATHS) {
    const crmDigest = digestOf(path, input.crm[path]);
    const pcDigest = digestOf(path, pc[path]);
    const baseDigest = input.base?.[path] ?? null;
    if (crmDigest === pcDigest) {
      next[path] = crmDigest;
      continue;
    }
    const crmChanged = baseDigest === null || crmDigest !== baseDigest;
    const pcChanged = baseDigest === null || pcDigest !== baseDigest;

    if (!isBidirectional(path)) {
      // CRM owns it. A CRM change not yet in Partner Center stays pending; a Partner Center-only change is not applied.
      decisions.push({ path, winner: "crm", reason: "crmOwned" });
      if (crmChanged && baseDigest !== null) {
        next[path] = baseDigest;
        pending.push(path);
      } else {
        next[path] = crmDigest;
      }
      continue;
    }

    let winner: Side;
    let reason: DecisionReason;
    if (path !== "/details/notes" && pc[path] === null) {
      [winner, reason] = ["crm", "partnerCenterEmpty"];
    } else if (baseDigest === null) {
      [winner, reason] =
        pcTime > crmTime ? ["partnerCenter", "noHistoryPartnerCenterLater"] : ["crm", "noHistoryCrmLater"];
    } else if (pcChanged && !crmChanged) {
      [winner, reason] = ["partnerCenter", "onlyPartnerCenterChanged"];
    } else if (crmChanged && !pcChanged) {
      [winner, reason] = ["crm", "onlyCrmChanged"];
    } else {
      // Both changed: last writer wins; a tie goes to CRM, the seller's system of record.
      [winner, reason] =
        pcTime > crmTime ? ["partnerCenter", "bothChangedPartnerCenterLater"] : ["crm", "bothChangedCrmLater"];
    }
    decisions.push({ path, winner, reason });
    if (winner === "partnerCenter") {
      applyToCrm(crmUpdate, path, pc);
      next[path] = pcDigest;
    } else {
      pending.push(path);
      // Keep the old agreed digest so the CRM → PC diff still sees this as a change to send.
      next[path] = baseDigest ?? digestOf(path, pc[path]);
    }
  }

  const status = input.referral.status ?? "None";
  const substatus = input.referral.substatus ?? "None";
  const statusEffect = crmEffectOfReferralStatus({ status, substatus }, input.opportunityState);
  const statusChanged =
    statusEffect.referralStatus !== input.mirror.referralStatus ||
    statusEffect.referralSubstatus !== input.mirror.referralSubstatus;
  if (statusChanged) {
    crmUpdate.referralStatus = statusEffect.referralStatus;
    crmUpdate.referralSubstatus = statusEffect.referralSubstatus;
  }
  const msxId = input.referral.trackingInfo?.microsoftMsxId?.trim() || null;
  if (msxId !== input.mirror.microsoftCrmId) crmUpdate.microsoftCrmId = msxId;

  return {
    crmUpdate,
    pendingForPartnerCenter: pending,
    decisions,
    statusEffect,
    statusChanged,
    fingerprint: serializeFingerprint(next),
  };
}
