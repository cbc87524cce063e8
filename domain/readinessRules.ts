import { parseDateOnly, utcDateOf } from "./calendarDate";
import type { MessageKey, MessageParams } from "./messages";
import type { DealPerson, FieldRef, OpportunitySnapshot } from "./opportunitySnapshot";
import type { ReferenceData } from "./referenceData";

/**
 * Readiness rules (product-spec §4): what must be true before a deal may be shared.
 * The toggle, the form script and the proxy all call `evaluateReadiness`; each failure names
 * the rule, the field to fix and a message key, so all three say exactly the same thing.
 */

export const READINESS_RULE_IDS = ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"] as const;
export type ReadinessRuleId = (typeof READINESS_RULE_IDS)[number];

/** The checklist title of each rule. */
export function readinessRuleTitleKey(id: ReadinessRuleId): MessageKey {
  return `readiness.rule.${id}`;
}

export interface ReadinessFailure {
  ruleId: ReadinessRuleId;
  field: FieldRef;
  messageKey: MessageKey;
  params: MessageParams;
}

export interface ReadinessContext {
  /** Used for "close date in the past"; passed in so the rules stay pure. */
  now: Date;
  /** A referral already exists: closing the deal is then an update, not a new share. */
  hasReferral: boolean;
  /** Country and currency lookups (see defaultReferenceData). */
  reference: ReferenceData;
}

export interface ReadinessReport {
  ready: boolean;
  failures: ReadinessFailure[];
  /** Rules that passed, for a checklist that shows progress, not only gaps. */
  passed: ReadinessRuleId[];
  /** Normalised values the mapping uses once the deal is ready. */
  countryCode: string | null;
  currencyCode: string | null;
}

/** Dataverse column limits: opportunity.name 300, account.name 160, opportunity.description 2000. */
export const TEXT_LIMITS = { opportunityName: 300, accountName: 160, description: 2000 } as const;
/** The largest value a Dataverse money column holds. */
export const MAX_DEAL_VALUE = 922_337_203_685_477;

const SOLUTION_ID = /^SOL-[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;
const EMAIL =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isValidEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

export function isValidSolutionId(value: string): boolean {
  return SOLUTION_ID.test(value);
}

function text(value: string | null | undefined): string {
  return (value ?? "").trim();
}

function personName(person: {
  fullName?: string | null;
  firstName: string | null;
  lastName: string | null;
  id: string;
}) {
  const joined = `${text(person.firstName)} ${text(person.lastName)}`.trim();
  return text(person.fullName) || joined || person.id;
}

function failure(
  ruleId: ReadinessRuleId,
  field: FieldRef,
  messageKey: MessageKey,
  params: MessageParams = {},
): ReadinessFailure {
  return { ruleId, field, messageKey, params };
}

function checkSolutions(s: OpportunitySnapshot): ReadinessFailure[] {
  if (s.solutions.length === 0) {
    return [
      failure(
        "R1",
        { table: "opportunity", column: "pcs_opportunity_microsoftsolution" },
        "readiness.solution.missing",
      ),
    ];
  }
  return s.solutions
    .filter((sol) => !isValidSolutionId(text(sol.solutionId)))
    .map((sol) =>
      failure(
        "R1",
        { table: "pcs_microsoftsolution", column: "pcs_solutionid", recordId: sol.id },
        "readiness.solution.invalidId",
        { name: text(sol.name) || sol.id, value: text(sol.solutionId) },
      ),
    );
}

function checkCountry(
  s: OpportunitySnapshot,
  reference: ReferenceData,
): { failures: ReadinessFailure[]; code: string | null } {
  if (!s.account) {
    return {
      failures: [failure("R2", { table: "opportunity", column: "customerid" }, "readiness.account.missing")],
      code: null,
    };
  }
  const field: FieldRef = { table: "account", column: "address1_country", recordId: s.account.id };
  const account = text(s.account.name) || s.account.id;
  const raw = text(s.account.address.country);
  const resolved = reference.resolveCountry(raw);
  if (resolved.ok) return { failures: [], code: resolved.code };
  switch (resolved.reason) {
    case "missing":
      return { failures: [failure("R2", field, "readiness.country.missing", { account })], code: null };
    case "ambiguous":
    case "suggest":
      return {
        failures: [
          failure("R2", field, `readiness.country.${resolved.reason}`, {
            account,
            value: raw,
            candidates: resolved.candidates.join(", "),
          }),
        ],
        code: null,
      };
    default:
      return { failures: [failure("R2", field, "readiness.country.unknown", { account, value: raw })], code: null };
  }
}

function checkContact(s: OpportunitySnapshot): ReadinessFailure[] {
  if (s.microsoftHelp === null) return [];
  const contact = s.customerContact;
  if (!contact)
    return [failure("R3", { table: "opportunity", column: "parentcontactid" }, "readiness.contact.missing")];
  const name = personName(contact);
  const on = (column: string): FieldRef => ({ table: "contact", column, recordId: contact.id });
  const out: ReadinessFailure[] = [];
  if (!text(contact.firstName))
    out.push(failure("R3", on("firstname"), "readiness.contact.firstName", { contact: name }));
  if (!text(contact.lastName)) out.push(failure("R3", on("lastname"), "readiness.contact.lastName", { contact: name }));
  const email = text(contact.email);
  if (!email) out.push(failure("R3", on("emailaddress1"), "readiness.contact.email", { contact: name }));
  else if (!isValidEmail(email))
    out.push(failure("R3", on("emailaddress1"), "readiness.contact.emailInvalid", { contact: name, value: email }));
  return out;
}

function checkCurrency(
  s: OpportunitySnapshot,
  reference: ReferenceData,
): { failures: ReadinessFailure[]; code: string | null } {
  if (!s.currency) {
    return {
      failures: [
        failure("R4", { table: "opportunity", column: "transactioncurrencyid" }, "readiness.currency.missing"),
      ],
      code: null,
    };
  }
  const field: FieldRef = { table: "transactioncurrency", column: "isocurrencycode", recordId: s.currency.id };
  const raw = text(s.currency.isoCode);
  const result = reference.validateCurrency(raw);
  if (result.ok) return { failures: [], code: result.code };
  if (result.reason === "missing")
    return { failures: [failure("R4", field, "readiness.currency.invalid", { value: raw })], code: null };
  if (result.reason === "suggest") {
    return {
      failures: [
        failure("R4", field, "readiness.currency.suggest", { value: raw, candidates: result.candidates.join(", ") }),
      ],
      code: null,
    };
  }
  return { failures: [failure("R4", field, "readiness.currency.invalid", { value: raw })], code: null };
}

function checkOpen(s: OpportunitySnapshot, ctx: ReadinessContext): ReadinessFailure[] {
  if (ctx.hasReferral || s.state === "open") return [];
  return [
    failure("R5", { table: "opportunity", column: "statecode" }, "readiness.state.closed", {
      state: s.state === "won" ? "Won" : "Lost",
    }),
  ];
}

function checkValueAndDate(s: OpportunitySnapshot, ctx: ReadinessContext): ReadinessFailure[] {
  const out: ReadinessFailure[] = [];
  const valueField: FieldRef = { table: "opportunity", column: "estimatedvalue" };
  const value = s.estimatedValue;
  if (value === null || Number.isNaN(value)) out.push(failure("R6", valueField, "readiness.value.missing"));
  else if (value <= 0) out.push(failure("R6", valueField, "readiness.value.notPositive", { value }));
  else if (!Number.isFinite(value) || value > MAX_DEAL_VALUE)
    out.push(failure("R6", valueField, "readiness.value.tooLarge", { value, max: MAX_DEAL_VALUE }));

  const dateField: FieldRef = { table: "opportunity", column: "estimatedclosedate" };
  const raw = text(s.estimatedCloseDate);
  if (!raw) {
    out.push(failure("R6", dateField, "readiness.closeDate.missing"));
  } else {
    const date = parseDateOnly(raw);
    if (!date) out.push(failure("R6", dateField, "readiness.closeDate.invalid", { value: raw }));
    else if (!ctx.hasReferral && s.state === "open") {
      // A day of slack: the seller's "today" may still be yesterday in UTC.
      const yesterday = utcDateOf(new Date(ctx.now.getTime() - 86_400_000));
      if (date < yesterday) out.push(failure("R6", dateField, "readiness.closeDate.past", { value: date }));
    }
  }
  return out;
}

function checkPerson(person: DealPerson, role: "owner" | "team"): ReadinessFailure[] {
  const name = personName(person);
  const field: FieldRef =
    person.kind === "systemuser"
      ? { table: "systemuser", column: "internalemailaddress", recordId: person.id }
      : role === "owner"
        ? { table: "opportunity", column: "ownerid" }
        : // The Sales Team is the opportunity's access team: the fix is its membership, not a column.
          { table: "team", column: "teammembership_association" };
  if (person.kind !== "systemuser") {
    return [
      failure("R7", field, role === "owner" ? "readiness.owner.notUser" : "readiness.team.notUser", {
        name,
        kind: person.kind,
      }),
    ];
  }
  const out: ReadinessFailure[] = [];
  if (person.isDisabled)
    out.push(
      failure("R7", { table: "systemuser", column: "isdisabled", recordId: person.id }, "readiness.person.disabled", {
        name,
      }),
    );
  const email = text(person.email);
  if (!email) out.push(failure("R7", field, "readiness.person.noEmail", { name }));
  else if (!isValidEmail(email))
    out.push(failure("R7", field, "readiness.person.emailInvalid", { name, value: email }));
  return out;
}

function checkPeople(s: OpportunitySnapshot): ReadinessFailure[] {
  if (!s.owner) return [failure("R7", { table: "opportunity", column: "ownerid" }, "readiness.owner.missing")];
  const owner = s.owner;
  const members = s.salesTeam.filter((m, i, all) => m.id !== owner.id && all.findIndex((x) => x.id === m.id) === i);
  return [...checkPerson(owner, "owner"), ...members.flatMap((m) => checkPerson(m, "team"))];
}

function checkText(s: OpportunitySnapshot): ReadinessFailure[] {
  const out: ReadinessFailure[] = [];
  const name = text(s.name);
  const nameField: FieldRef = { table: "opportunity", column: "name" };
  if (!name) out.push(failure("R8", nameField, "readiness.name.missing"));
  else if (name.length > TEXT_LIMITS.opportunityName)
    out.push(
      failure("R8", nameField, "readiness.name.tooLong", { length: name.length, max: TEXT_LIMITS.opportunityName }),
    );
  if (s.account) {
    const accountName = text(s.account.name);
    const field: FieldRef = { table: "account", column: "name", recordId: s.account.id };
    if (!accountName) out.push(failure("R8", field, "readiness.accountName.missing"));
    else if (accountName.length > TEXT_LIMITS.accountName)
      out.push(
        failure("R8", field, "readiness.accountName.tooLong", {
          length: accountName.length,
          max: TEXT_LIMITS.accountName,
        }),
      );
  }
  const description = text(s.description);
  if (description.length > TEXT_LIMITS.description) {
    out.push(
      failure("R8", { table: "opportunity", column: "description" }, "readiness.description.tooLong", {
        length: description.length,
        max: TEXT_LIMITS.description,
      }),
    );
  }
  return out;
}

export function evaluateReadiness(snapshot: OpportunitySnapshot, ctx: ReadinessContext): ReadinessReport {
  const country = checkCountry(snapshot, ctx.reference);
  const currency = checkCurrency(snapshot, ctx.reference);
  const failures = [
    ...checkSolutions(snapshot),
    ...country.failures,
    ...checkContact(snapshot),
    ...currency.failures,
    ...checkOpen(snapshot, ctx),
    ...checkValueAndDate(snapshot, ctx),
    ...checkPeople(snapshot),
    ...checkText(snapshot),
  ];
  const failed = new Set(failures.map((f) => f.ruleId));
  return {
    ready: failures.length === 0,
    failures,
    passed: READINESS_RULE_IDS.filter((id) => !failed.has(id)),
    countryCode: country.code,
    currencyCode: currency.code,
  };
}
