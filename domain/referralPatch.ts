import { dateToUtcMidnight } from "./calendarDate";
import { digestOf, fingerprintDigests, type Fingerprint } from "./fingerprint";
import type { MessageKey, MessageParams } from "./messages";
import type { JsonPatchOperation, PatchablePath } from "./referral";
import { membersOnWire, solutionsOnWire } from "./referralMapping";
import { PROJECTION_PATHS, type ProjectionPath, type ReferralProjection } from "./referralProjection";
import { checkTransition, type StatusPair } from "./statusMapping";

/**
 * (last synced state, desired state) → the smallest JSON Patch Partner Center accepts.
 * Only `replace`/`add` on the swagger's PATCH-able paths; changes Partner Center cannot take after
 * creation are reported, and changes it forbids (un-sharing, reopening a closed referral) are
 * refused here with a reason instead of being sent to fail.
 */

export interface PatchRefusal {
  path: ProjectionPath;
  messageKey: MessageKey;
  params: MessageParams;
}

export interface PatchPlan {
  operations: JsonPatchOperation[];
  /** Every path whose value differs from the last synced state. */
  changed: ProjectionPath[];
  /** Changed, but Partner Center has no PATCH path for it: the change stays in CRM. */
  unpatchable: ProjectionPath[];
  refusals: PatchRefusal[];
}

const WIRE_PATH: Partial<Record<ProjectionPath, PatchablePath>> = {
  "/externalReferenceId": "/externalReferenceId",
  "/customerProfile/team": "/customerProfile/team",
  "/team": "/team",
  "/consent/consentToShareReferralWithMicrosoftSellers": "/consent/consentToShareReferralWithMicrosoftSellers",
  "/details/notes": "/details/notes",
  "/details/dealValue": "/details/dealValue",
  "/details/currency": "/details/currency",
  "/details/closingDateTime": "/details/closingDateTime",
  "/details/requirements/solutions": "/details/requirements/solutions",
};

const EMPTY: { [P in ProjectionPath]: ReferralProjection[P] } = {
  "/name": "",
  "/externalReferenceId": "",
  "/customerProfile/name": "",
  "/customerProfile/address": {},
  "/customerProfile/team": [],
  "/team": [],
  "/consent/consentToShareReferralWithMicrosoftSellers": false,
  "/inviteContext/assistanceRequestCode": null,
  "/details/notes": "",
  "/details/dealValue": null,
  "/details/currency": null,
  "/details/closingDateTime": null,
  "/details/requirements/solutions": [],
  "/status": null,
};

function wireValue(path: ProjectionPath, p: ReferralProjection): unknown {
  switch (path) {
    case "/team":
    case "/customerProfile/team":
      return membersOnWire(p[path]);
    case "/details/requirements/solutions":
      return solutionsOnWire(p[path]);
    case "/details/closingDateTime":
      return p[path] === null ? null : dateToUtcMidnight(p[path]);
    default:
      return p[path];
  }
}

function isProjection(x: Fingerprint | ReferralProjection): x is ReferralProjection {
  return typeof (x as ReferralProjection)["/consent/consentToShareReferralWithMicrosoftSellers"] === "boolean";
}

function parseClosing(value: ReferralProjection["/status"]): StatusPair | null {
  if (value === "Closed/Won") return { status: "Closed", substatus: "Won" };
  if (value === "Closed/Lost") return { status: "Closed", substatus: "Lost" };
  return null;
}

/**
 * @param previous what both sides last agreed on: the stored fingerprint, or a referral read back (after a 412)
 * @param desired  the opportunity projected as a referral
 * @param current  the referral's status as last seen in Partner Center (null: not known, taken as New/Pending)
 */
export function planReferralPatch(
  previous: Fingerprint | ReferralProjection,
  desired: ReferralProjection,
  current: StatusPair | null,
): PatchPlan {
  const before = isProjection(previous) ? fingerprintDigests(previous) : previous;
  const wasEmpty = (path: ProjectionPath) => before[path] === digestOf(path, EMPTY[path]);
  const changed = PROJECTION_PATHS.filter((p) => before[p] !== digestOf(p, desired[p]));
  const plan: PatchPlan = { operations: [], changed, unpatchable: [], refusals: [] };

  // A closed referral is terminal: Partner Center answers 400 to any change, so none is sent (no call spent).
  const closed = current?.status === "Closed" ? `Closed/${current.substatus}` : null;
  for (const path of changed) {
    if (path === "/status") continue; // handled last, after the field updates
    if (closed) {
      plan.refusals.push({ path, messageKey: "patch.referralClosed", params: { status: closed } });
      continue;
    }
    if (path === "/consent/consentToShareReferralWithMicrosoftSellers" && !desired[path]) {
      plan.refusals.push({ path, messageKey: "patch.consentIrreversible", params: {} });
      continue;
    }
    const wirePath = WIRE_PATH[path];
    const value = wireValue(path, desired);
    if (!wirePath) plan.unpatchable.push(path);
    else if (value !== null) plan.operations.push({ op: wasEmpty(path) ? "add" : "replace", path: wirePath, value });
  }

  if (changed.includes("/status")) {
    const from: StatusPair = current ?? { status: "New", substatus: "Pending" };
    const to = parseClosing(desired["/status"]);
    if (to) {
      const check = checkTransition(from, to);
      if (check.ok) {
        if (from.status !== "Closed") {
          plan.operations.push({ op: "replace", path: "/status", value: to.status });
          plan.operations.push({ op: "replace", path: "/substatus", value: to.substatus });
        }
      } else {
        plan.refusals.push({ path: "/status", messageKey: check.messageKey, params: check.params });
      }
    } else if (from.status === "Closed") {
      // The deal was reopened in CRM; Partner Center cannot reopen a closed referral.
      plan.refusals.push({
        path: "/status",
        messageKey: "transition.terminal",
        params: { from: `Closed/${from.substatus}`, to: "New" },
      });
    }
  }
  return plan;
}

/**
 * After a 412 the referral is read back: plan on top of it, but send only what CRM changed since the last agreed
 * state (`base`), so a field only Microsoft changed keeps Microsoft's value (the inbound merge brings it to CRM).
 */
export function crmChangesOnto(
  remote: ReferralProjection,
  desired: ReferralProjection,
  base: Fingerprint,
): ReferralProjection {
  const merged = { ...remote } as Record<ProjectionPath, unknown>;
  for (const path of PROJECTION_PATHS) {
    if (digestOf(path, desired[path]) !== base[path]) merged[path] = desired[path];
  }
  return merged as unknown as ReferralProjection;
}
