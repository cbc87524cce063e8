import {
  evaluateReadiness,
  formatMessage,
  readinessRuleTitleKey,
  READINESS_RULE_IDS,
  type OpportunitySnapshot,
} from "../../domain";
import { NOW, readySnapshot, snapshotWith, user, REFERENCE } from "./fixtures";

type Expected = [ruleId: string, messageKey: string, column: string][];

function failuresOf(s: OpportunitySnapshot, hasReferral = false): Expected {
  return evaluateReadiness(s, { now: NOW, reference: REFERENCE, hasReferral }).failures.map((f) => [
    f.ruleId,
    f.messageKey,
    f.field.column,
  ]);
}

describe("evaluateReadiness", () => {
  it("passes a ready deal and hands back the normalised codes", () => {
    const report = evaluateReadiness(readySnapshot(), { now: NOW, reference: REFERENCE, hasReferral: false });
    expect(report).toMatchObject({ ready: true, failures: [], countryCode: "KR", currencyCode: "USD" });
    expect(report.passed).toEqual([...READINESS_RULE_IDS]);
  });

  const cases: [string, (s: OpportunitySnapshot) => void, Expected][] = [
    // Rule 1
    [
      "no Microsoft solution",
      (s) => (s.solutions = []),
      [["R1", "readiness.solution.missing", "pcs_opportunity_microsoftsolution"]],
    ],
    [
      "a solution without a SOL- id",
      (s) => s.solutions.push({ id: "s-2", solutionId: "AZ-123", name: "Legacy" }),
      [["R1", "readiness.solution.invalidId", "pcs_solutionid"]],
    ],
    [
      "a solution id of whitespace",
      (s) => (s.solutions[0]!.solutionId = "   "),
      [["R1", "readiness.solution.invalidId", "pcs_solutionid"]],
    ],
    // Rule 2
    ["no customer account", (s) => (s.account = null), [["R2", "readiness.account.missing", "customerid"]]],
    [
      "country missing",
      (s) => (s.account!.address.country = null),
      [["R2", "readiness.country.missing", "address1_country"]],
    ],
    [
      "country empty string",
      (s) => (s.account!.address.country = ""),
      [["R2", "readiness.country.missing", "address1_country"]],
    ],
    [
      "country is 'Korea'",
      (s) => (s.account!.address.country = "Korea"),
      [["R2", "readiness.country.ambiguous", "address1_country"]],
    ],
    [
      "country unknown",
      (s) => (s.account!.address.country = "Wakanda"),
      [["R2", "readiness.country.unknown", "address1_country"]],
    ],
    ["country in Korean", (s) => (s.account!.address.country = "대한민국"), []],
    ["country lowercase code", (s) => (s.account!.address.country = "kr"), []],
    ["country English name", (s) => (s.account!.address.country = "South Korea"), []],
    // Rule 3
    [
      "help requested, no contact",
      (s) => (s.customerContact = null),
      [["R3", "readiness.contact.missing", "parentcontactid"]],
    ],
    ["no help requested, no contact", (s) => ((s.customerContact = null), (s.microsoftHelp = null)), []],
    [
      "contact without e-mail",
      (s) => (s.customerContact!.email = null),
      [["R3", "readiness.contact.email", "emailaddress1"]],
    ],
    [
      "contact with a malformed e-mail",
      (s) => (s.customerContact!.email = "minji at contoso"),
      [["R3", "readiness.contact.emailInvalid", "emailaddress1"]],
    ],
    [
      "contact names of whitespace",
      (s) => ((s.customerContact!.firstName = "  "), (s.customerContact!.lastName = "")),
      [
        ["R3", "readiness.contact.firstName", "firstname"],
        ["R3", "readiness.contact.lastName", "lastname"],
      ],
    ],
    // Rule 4
    ["no currency", (s) => (s.currency = null), [["R4", "readiness.currency.missing", "transactioncurrencyid"]]],
    ["currency 'WON'", (s) => (s.currency!.isoCode = "WON"), [["R4", "readiness.currency.suggest", "isocurrencycode"]]],
    [
      "currency code empty",
      (s) => (s.currency!.isoCode = ""),
      [["R4", "readiness.currency.invalid", "isocurrencycode"]],
    ],
    ["currency lowercase", (s) => (s.currency!.isoCode = "krw"), []],
    // Rule 5
    ["closed as won, no referral yet", (s) => (s.state = "won"), [["R5", "readiness.state.closed", "statecode"]]],
    ["closed as lost, no referral yet", (s) => (s.state = "lost"), [["R5", "readiness.state.closed", "statecode"]]],
    // Rule 6
    ["no deal value", (s) => (s.estimatedValue = null), [["R6", "readiness.value.missing", "estimatedvalue"]]],
    ["zero deal value", (s) => (s.estimatedValue = 0), [["R6", "readiness.value.notPositive", "estimatedvalue"]]],
    [
      "negative deal value",
      (s) => (s.estimatedValue = -5000),
      [["R6", "readiness.value.notPositive", "estimatedvalue"]],
    ],
    ["NaN deal value", (s) => (s.estimatedValue = NaN), [["R6", "readiness.value.missing", "estimatedvalue"]]],
    [
      "infinite deal value",
      (s) => (s.estimatedValue = Infinity),
      [["R6", "readiness.value.tooLarge", "estimatedvalue"]],
    ],
    ["absurd deal value", (s) => (s.estimatedValue = 1e20), [["R6", "readiness.value.tooLarge", "estimatedvalue"]]],
    [
      "no close date",
      (s) => (s.estimatedCloseDate = null),
      [["R6", "readiness.closeDate.missing", "estimatedclosedate"]],
    ],
    [
      "impossible date",
      (s) => (s.estimatedCloseDate = "2027-02-30"),
      [["R6", "readiness.closeDate.invalid", "estimatedclosedate"]],
    ],
    [
      "not a date",
      (s) => (s.estimatedCloseDate = "next quarter"),
      [["R6", "readiness.closeDate.invalid", "estimatedclosedate"]],
    ],
    [
      "close date in the past",
      (s) => (s.estimatedCloseDate = "2026-10-01"),
      [["R6", "readiness.closeDate.past", "estimatedclosedate"]],
    ],
    ["close date yesterday (time-zone slack)", (s) => (s.estimatedCloseDate = "2026-11-24"), []],
    ["close date as a date-time", (s) => (s.estimatedCloseDate = "2027-01-15T00:00:00Z"), []],
    // Rule 7
    ["no owner", (s) => (s.owner = null), [["R7", "readiness.owner.missing", "ownerid"]]],
    [
      "owner is a team",
      (s) => (s.owner = { ...user("t-1", "Sales", "Team", null), kind: "team" }),
      [["R7", "readiness.owner.notUser", "ownerid"]],
    ],
    [
      "owner without e-mail",
      (s) => (s.owner!.email = null),
      [["R7", "readiness.person.noEmail", "internalemailaddress"]],
    ],
    ["owner disabled", (s) => (s.owner!.isDisabled = true), [["R7", "readiness.person.disabled", "isdisabled"]]],
    [
      "sales team member is a contact",
      (s) => s.salesTeam.push({ ...user("c-9", "Ext", "Person", "ext@else.example"), kind: "contact" }),
      [["R7", "readiness.team.notUser", "teammembership_association"]],
    ],
    [
      "sales team member without e-mail",
      (s) => s.salesTeam.push(user("u-3", "Nestor", "Wilke", "  ")),
      [["R7", "readiness.person.noEmail", "internalemailaddress"]],
    ],
    ["owner listed in the sales team too", (s) => s.salesTeam.push(s.owner!), []],
    // Rule 8
    ["name of whitespace", (s) => (s.name = " \n "), [["R8", "readiness.name.missing", "name"]]],
    ["10,000-character name", (s) => (s.name = "x".repeat(10_000)), [["R8", "readiness.name.tooLong", "name"]]],
    [
      "10,000-character account name",
      (s) => (s.account!.name = "계".repeat(10_000)),
      [["R8", "readiness.accountName.tooLong", "name"]],
    ],
    [
      "description over 2,000",
      (s) => (s.description = "a".repeat(2001)),
      [["R8", "readiness.description.tooLong", "description"]],
    ],
    [
      "HTML and script in the description are just text",
      (s) => (s.description = "<script>alert(1)</script><b>x</b>"),
      [],
    ],
  ];

  it.each(cases)("%s", (_name, edit, expected) => {
    expect(failuresOf(snapshotWith(edit))).toEqual(expected);
  });

  const withReferral: [string, (s: OpportunitySnapshot) => void, Expected][] = [
    ["closing as won once a referral exists", (s) => (s.state = "won"), []],
    ["past close date on an existing referral", (s) => (s.estimatedCloseDate = "2025-01-01"), []],
    [
      "still needs a value on an existing referral",
      (s) => (s.estimatedValue = 0),
      [["R6", "readiness.value.notPositive", "estimatedvalue"]],
    ],
  ];
  it.each(withReferral)("%s", (_name, edit, expected) => {
    expect(failuresOf(snapshotWith(edit), true)).toEqual(expected);
  });

  it("reports every gap of an empty deal at once, one rule after another", () => {
    const empty = snapshotWith((s) => {
      s.solutions = [];
      s.account = null;
      s.customerContact = null;
      s.currency = null;
      s.estimatedValue = null;
      s.estimatedCloseDate = null;
      s.owner = null;
      s.name = "";
    });
    const report = evaluateReadiness(empty, { now: NOW, reference: REFERENCE, hasReferral: false });
    expect(report.ready).toBe(false);
    expect([...new Set(report.failures.map((f) => f.ruleId))]).toEqual(["R1", "R2", "R3", "R4", "R6", "R7", "R8"]);
    expect(report.passed).toEqual(["R5"]);
  });

  it("names the account and the value in the seller's language", () => {
    const [failure] = evaluateReadiness(
      snapshotWith((s) => (s.account!.address.country = "Korea")),
      { now: NOW, reference: REFERENCE, hasReferral: false },
    ).failures;
    expect(formatMessage(failure!.messageKey, "en", failure!.params)).toBe(
      'The country "Korea" of Contoso Korea could mean more than one country (KP, KR). Enter the two-letter code.',
    );
    expect(formatMessage(failure!.messageKey, "ko", failure!.params)).toContain("KP, KR");
    expect(failure!.field).toEqual({ table: "account", column: "address1_country", recordId: "a-1" });
  });

  it("has a localised checklist title for every rule", () => {
    for (const id of READINESS_RULE_IDS) {
      expect(formatMessage(readinessRuleTitleKey(id), "ko")).not.toBe(formatMessage(readinessRuleTitleKey(id), "en"));
    }
  });
});
