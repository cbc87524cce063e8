import {
  crmChangesOnto,
  fingerprintDigests,
  mapToReferralCreate,
  parseFingerprint,
  planReferralPatch,
  projectReferral,
  projectSnapshot,
  type OpportunitySnapshot,
  type Referral,
  type ReferralProjection,
  type StatusPair,
} from "../../domain";
import { referralPatchErrors } from "../contracts/partner-center/referralContract";
import { NOW, readySnapshot, snapshotWith, REFERENCE } from "./fixtures";

function projection(s: OpportunitySnapshot): ReferralProjection {
  return projectSnapshot(s, { countryCode: "KR", currencyCode: (s.currency?.isoCode ?? "").toUpperCase() || null });
}

/** The fingerprint stored after the initial create of the ready deal. */
function storedFingerprint() {
  const created = mapToReferralCreate(readySnapshot(), NOW, REFERENCE);
  if (!created.ok) throw new Error("fixture not ready");
  const parsed = parseFingerprint(created.fingerprint);
  if (!parsed.ok || !parsed.fingerprint) throw new Error("fingerprint did not parse");
  return parsed.fingerprint;
}

type Case = [
  name: string,
  edit: (s: OpportunitySnapshot) => void,
  expected: { ops?: [string, string][]; unpatchable?: string[]; refusals?: string[] },
  current?: StatusPair,
];

describe("planReferralPatch", () => {
  const cases: Case[] = [
    ["nothing changed: no call", () => {}, {}],
    ["deal value", (s) => (s.estimatedValue = 150000), { ops: [["replace", "/details/dealValue"]] }],
    ["value equal to 4 decimals", (s) => (s.estimatedValue = 125000.00001), {}],
    ["currency", (s) => (s.currency!.isoCode = "EUR"), { ops: [["replace", "/details/currency"]] }],
    ["close date", (s) => (s.estimatedCloseDate = "2027-04-30"), { ops: [["replace", "/details/closingDateTime"]] }],
    ["notes edited", (s) => (s.description = "Now 60 VMs."), { ops: [["replace", "/details/notes"]] }],
    ["only line endings differ", (s) => (s.description = "Lift and shift of 40 VMs.\r\n"), {}],
    [
      "solution added",
      (s) => s.solutions.push({ id: "s-2", solutionId: "SOL-AI-02", name: "AI" }),
      { ops: [["replace", "/details/requirements/solutions"]] },
    ],
    ["solution renamed in the catalogue only", (s) => (s.solutions[0]!.name = "Azure Migration Factory v2"), {}],
    [
      "sales team member added",
      (s) => s.salesTeam.push({ ...s.salesTeam[0]!, id: "u-3", email: "nestor@partner.example" }),
      { ops: [["replace", "/team"]] },
    ],
    ["sales team order changed", (s) => s.salesTeam.unshift(s.owner!), {}],
    ["a phone number added", (s) => (s.owner!.phone = "+82 2 555 0100"), {}],
    ["e-mail case changed", (s) => (s.owner!.email = "ALEX@partner.example"), {}],
    [
      "customer contact replaced",
      (s) => (s.customerContact!.email = "jun@contoso.kr"),
      { ops: [["replace", "/customerProfile/team"]] },
    ],
    [
      "name changed: Partner Center has no PATCH path",
      (s) => (s.name = "Contoso migration, phase 2"),
      { unpatchable: ["/name"] },
    ],
    [
      "customer address changed",
      (s) => (s.account!.address.city = "Busan"),
      { unpatchable: ["/customerProfile/address"] },
    ],
    [
      "un-sharing is refused",
      (s) => ((s.shareWithMicrosoftSellers = false), (s.microsoftHelp = null)),
      { unpatchable: ["/inviteContext/assistanceRequestCode"], refusals: ["patch.consentIrreversible"] },
    ],
    [
      "closed as won",
      (s) => (s.state = "won"),
      {
        ops: [
          ["replace", "/status"],
          ["replace", "/substatus"],
        ],
      },
      { status: "Active", substatus: "Accepted" },
    ],
    [
      "closed as lost while still New",
      (s) => (s.state = "lost"),
      {
        ops: [
          ["replace", "/status"],
          ["replace", "/substatus"],
        ],
      },
      { status: "New", substatus: "Received" },
    ],
    [
      "closed as won after Microsoft let it expire",
      (s) => (s.state = "won"),
      { refusals: ["transition.terminal"] },
      { status: "Closed", substatus: "Expired" },
    ],
    [
      "closed as won when Partner Center already says won",
      (s) => (s.state = "won"),
      {},
      { status: "Closed", substatus: "Won" },
    ],
    [
      "value changed after Microsoft closed the referral: refused locally, no call",
      (s) => (s.estimatedValue = 150000),
      { refusals: ["patch.referralClosed"] },
      { status: "Closed", substatus: "Lost" },
    ],
    ["nothing changed on a closed referral: nothing refused", () => {}, {}, { status: "Closed", substatus: "Won" }],
    [
      "value change and closing in one save: fields first, status last",
      (s) => ((s.state = "won"), (s.estimatedValue = 130000)),
      {
        ops: [
          ["replace", "/details/dealValue"],
          ["replace", "/status"],
          ["replace", "/substatus"],
        ],
      },
      { status: "Active", substatus: "Accepted" },
    ],
  ];

  it.each(cases)("%s", (...[, edit, expected, current]: Case) => {
    const plan = planReferralPatch(
      storedFingerprint(),
      projection(snapshotWith(edit)),
      current ?? { status: "Active", substatus: "Accepted" },
    );
    expect(plan.operations.map((o) => [o.op, o.path])).toEqual(expected.ops ?? []);
    expect(plan.unpatchable).toEqual(expected.unpatchable ?? []);
    expect(plan.refusals.map((r) => r.messageKey)).toEqual(expected.refusals ?? []);
    expect(referralPatchErrors(plan.operations)).toEqual([]);
  });

  it("adds notes that were empty at creation instead of replacing a member that does not exist", () => {
    const created = mapToReferralCreate(
      snapshotWith((s) => (s.description = null)),
      NOW,
      REFERENCE,
    );
    if (!created.ok) throw new Error("fixture not ready");
    const plan = planReferralPatch(fingerprintDigests(created.projection), projection(readySnapshot()), null);
    expect(plan.operations).toEqual([{ op: "add", path: "/details/notes", value: "Lift and shift of 40 VMs." }]);
  });

  it("sends wire values: a UTC midnight date and catalogue solutions", () => {
    const plan = planReferralPatch(
      storedFingerprint(),
      projection(
        snapshotWith((s) => {
          s.estimatedCloseDate = "2027-05-01";
          s.solutions = [{ id: "s-9", solutionId: "SOL-DATA-9", name: "Fabric" }];
        }),
      ),
      null,
    );
    expect(plan.operations).toEqual([
      { op: "replace", path: "/details/closingDateTime", value: "2027-05-01T00:00:00Z" },
      {
        op: "replace",
        path: "/details/requirements/solutions",
        value: [{ id: "SOL-DATA-9", name: "Fabric", type: "Name" }],
      },
    ]);
  });

  it("diffs against a referral read back after a 412 just as against the fingerprint", () => {
    const created = mapToReferralCreate(readySnapshot(), NOW, REFERENCE);
    if (!created.ok) throw new Error("fixture not ready");
    // Partner Center's copy: its own formatting, and Microsoft changed the notes meanwhile.
    const remote: Referral = {
      id: "r-1",
      ...created.body,
      status: "Active",
      substatus: "Accepted",
      details: {
        ...created.body.details,
        dealValue: 125000.0,
        notes: "Edited by Microsoft",
        closingDateTime: "2027-03-31T00:00:00.000Z",
      },
    };
    const desired = projection(snapshotWith((s) => (s.estimatedValue = 99000)));
    const plan = planReferralPatch(projectReferral(remote), desired, { status: "Active", substatus: "Accepted" });
    expect(plan.operations.map((o) => o.path)).toEqual(["/details/notes", "/details/dealValue"]);
  });
});

describe("crmChangesOnto (re-planning after a 412)", () => {
  const base = storedFingerprint();
  // Partner Center now: Microsoft changed the notes and the value since the last agreed state.
  const remote = projection(snapshotWith((s) => ((s.description = "Microsoft's notes"), (s.estimatedValue = 200000))));
  const cases: [string, (s: OpportunitySnapshot) => void, string[]][] = [
    ["CRM changed nothing: nothing to send", () => {}, []],
    [
      "CRM changed the close date only: only the date is sent",
      (s) => (s.estimatedCloseDate = "2027-06-30"),
      ["/details/closingDateTime"],
    ],
    [
      "CRM and Microsoft both changed the value: CRM's save is the later write",
      (s) => (s.estimatedValue = 130000),
      ["/details/dealValue"],
    ],
  ];
  it.each(cases)("%s; Microsoft's notes are kept", (_, edit, sent) => {
    const merged = crmChangesOnto(remote, projection(snapshotWith(edit)), base);
    expect(merged["/details/notes"]).toBe("Microsoft's notes");
    const plan = planReferralPatch(remote, merged, { status: "Active", substatus: "Accepted" });
    expect(plan.operations.map((o) => o.path)).toEqual(sent);
  });
});
