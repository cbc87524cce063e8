import type { MessageKey, MessageParams } from "./messages";
import type { OpportunityState } from "./opportunitySnapshot";
import type { ReferralStatus, ReferralSubstatus } from "./referral";

/**
 * Referral status rules (Partner Center referral resource docs) and how they map to the opportunity.
 * Closed is terminal: once Won, Lost, Declined or Expired, nothing about the status may change.
 */

export interface StatusPair {
  status: ReferralStatus;
  substatus: ReferralSubstatus;
}

export const ALLOWED_SUBSTATUSES: Readonly<Record<ReferralStatus, readonly ReferralSubstatus[]>> = {
  None: ["None"],
  New: ["Pending", "Received"],
  Active: ["Accepted"],
  Closed: ["Won", "Lost", "Declined", "Expired"],
};

export const ALLOWED_TRANSITIONS: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  None: ["None", "New", "Active", "Closed"],
  New: ["New", "Active", "Closed"],
  Active: ["Active", "Closed"],
  Closed: ["Closed"],
};

export type TransitionCheck = { ok: true } | { ok: false; messageKey: MessageKey; params: MessageParams };

function label(pair: StatusPair): string {
  return pair.substatus === "None" ? pair.status : `${pair.status}/${pair.substatus}`;
}

export function isValidPair(pair: StatusPair): boolean {
  return ALLOWED_SUBSTATUSES[pair.status]?.includes(pair.substatus) ?? false;
}

export function checkTransition(from: StatusPair, to: StatusPair): TransitionCheck {
  if (!isValidPair(to)) {
    return {
      ok: false,
      messageKey: "transition.badSubstatus",
      params: {
        status: to.status,
        substatus: to.substatus,
        allowed: (ALLOWED_SUBSTATUSES[to.status] ?? []).join(", "),
      },
    };
  }
  if (from.status === "Closed") {
    return from.substatus === to.substatus && to.status === "Closed"
      ? { ok: true }
      : { ok: false, messageKey: "transition.terminal", params: { from: label(from), to: label(to) } };
  }
  if (!ALLOWED_TRANSITIONS[from.status].includes(to.status)) {
    return { ok: false, messageKey: "transition.notAllowed", params: { from: label(from), to: label(to) } };
  }
  return { ok: true };
}

/** What the opportunity's state asks of the referral: open deals start as New/Pending, closed ones close it. */
export function referralStatusForOpportunity(state: OpportunityState): StatusPair {
  switch (state) {
    case "won":
      return { status: "Closed", substatus: "Won" };
    case "lost":
      return { status: "Closed", substatus: "Lost" };
    default:
      return { status: "New", substatus: "Pending" };
  }
}

/** How a Partner Center status shows on the opportunity: mirrored columns plus, when needed, a notice. */
export interface CrmStatusEffect {
  referralStatus: ReferralStatus | null;
  referralSubstatus: ReferralSubstatus | null;
  /** Set when the seller must act; the opportunity itself is never closed automatically. */
  notice: { messageKey: MessageKey; params: MessageParams } | null;
}

export function crmEffectOfReferralStatus(pair: StatusPair, opportunityState: OpportunityState): CrmStatusEffect {
  const referralStatus = pair.status === "None" ? null : pair.status;
  const referralSubstatus = pair.substatus === "None" ? null : pair.substatus;
  let notice: CrmStatusEffect["notice"] = null;
  if (pair.status === "Closed" && opportunityState === "open") {
    if (pair.substatus === "Declined") notice = { messageKey: "status.declinedByMicrosoft", params: {} };
    else if (pair.substatus === "Expired") notice = { messageKey: "status.expired", params: {} };
    else notice = { messageKey: "status.closedInPartnerCenter", params: { substatus: pair.substatus } };
  }
  return { referralStatus, referralSubstatus, notice };
}
