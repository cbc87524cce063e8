/**
 * The emulator's own reading of the status rules, written from the "Status & Substatus transition
 * states" table of create-a-referral.md / update-a-referral.md (partner-rest, 2019) — deliberately
 * not imported from domain/, so a mistake in the product's rules cannot hide behind the emulator.
 *
 * | Status | Allowed status transition | Allowed substatus            |
 * | New    | New, Active, Closed       | Pending, Received            |
 * | Active | Active, Closed            | Accepted                     |
 * | Closed | Closed                    | Won, Lost, Declined, Expired |
 */

const TRANSITIONS: Record<string, readonly string[]> = {
  None: ["None", "New", "Active", "Closed"],
  New: ["New", "Active", "Closed"],
  Active: ["Active", "Closed"],
  Closed: ["Closed"],
};

const SUBSTATUSES: Record<string, readonly string[]> = {
  None: ["None"],
  New: ["Pending", "Received"],
  Active: ["Accepted"],
  Closed: ["Won", "Lost", "Declined", "Expired"],
};

export function isTerminal(status: unknown): boolean {
  return status === "Closed";
}

/** Why moving from one status pair to another is not allowed, or null when it is. */
export function transitionProblem(
  from: { status: string; substatus: string },
  to: { status: string; substatus: string },
): string | null {
  const allowedSub = SUBSTATUSES[to.status];
  if (!allowedSub) return `status ${to.status} is not one of ${Object.keys(SUBSTATUSES).join(", ")}`;
  if (!allowedSub.includes(to.substatus)) {
    return `substatus ${to.substatus} is not allowed with status ${to.status} (allowed: ${allowedSub.join(", ")})`;
  }
  // Closed is terminal: "no actions permitted once a deal reaches a terminal state".
  if (from.status === "Closed") {
    return from.substatus === to.substatus && to.status === "Closed"
      ? null
      : `referral is Closed/${from.substatus}; a closed referral cannot change status`;
  }
  const allowed = TRANSITIONS[from.status] ?? [];
  if (!allowed.includes(to.status)) return `status cannot move from ${from.status} to ${to.status}`;
  return null;
}
