import { customerSize, mapToReferralCreate, type OpportunitySnapshot, type ReferralCreateBody } from "../../domain";
import { referralCreateErrors } from "../contracts/partner-center/referralContract";
import { NOW, readySnapshot, snapshotWith, REFERENCE } from "./fixtures";

function bodyOf(s: OpportunitySnapshot): ReferralCreateBody {
  const mapped = mapToReferralCreate(s, NOW, REFERENCE);
  if (!mapped.ok) throw new Error(`not ready: ${mapped.failures.map((f) => f.messageKey).join(", ")}`);
  // Every body the mapping produces must be one Partner Center accepts.
  expect(referralCreateErrors(mapped.body)).toEqual([]);
  return mapped.body;
}

describe("mapToReferralCreate", () => {
  it("maps a ready co-sell deal field by field", () => {
    expect(bodyOf(readySnapshot())).toEqual({
      name: "Contoso Azure migration",
      externalReferenceId: "6f0c5b1a-3d2e-4c8b-9a7f-1e2d3c4b5a69",
      type: "Shared",
      status: "New",
      substatus: "Pending",
      customerProfile: {
        name: "Contoso Korea",
        address: { addressLine1: "152 Teheran-ro", city: "Seoul", postalCode: "06236", country: "KR" },
        size: "251to1000employees",
        team: [{ firstName: "Minji", lastName: "Kim", email: "minji.kim@contoso.kr" }],
      },
      consent: {
        consentToShareReferralWithMicrosoftSellers: true,
        consentToContact: true,
        consentToToShareInfoWithOthers: true,
      },
      details: {
        notes: "Lift and shift of 40 VMs.",
        dealValue: 125000,
        currency: "USD",
        closingDateTime: "2027-03-31T00:00:00Z",
        requirements: { solutions: [{ id: "SOL-AZ-MIGRATE-01", name: "Azure Migration Factory", type: "Name" }] },
      },
      team: [
        { firstName: "Alex", lastName: "Wilber", email: "alex@partner.example" },
        { firstName: "Megan", lastName: "Bowen", email: "megan@partner.example" },
      ],
      inviteContext: { assistanceRequestCode: "CustomerTechnicalArchitecture" },
    });
  });

  const cases: [string, (s: OpportunitySnapshot) => void, (b: ReferralCreateBody) => void][] = [
    [
      "private deal: no help, not shared",
      (s) => ((s.microsoftHelp = null), (s.shareWithMicrosoftSellers = false)),
      (b) => {
        expect(b.type).toBe("Independent");
        expect(b.consent.consentToShareReferralWithMicrosoftSellers).toBe(false);
        expect(b.inviteContext).toBeUndefined();
      },
    ],
    [
      "asking Microsoft for help shares the deal even if the seller did not tick sharing",
      (s) => (s.shareWithMicrosoftSellers = false),
      (b) => expect([b.type, b.consent.consentToShareReferralWithMicrosoftSellers]).toEqual(["Shared", true]),
    ],
    [
      "country name in Korean becomes the ISO code",
      (s) => (s.account!.address.country = "대한민국"),
      (b) => expect(b.customerProfile.address.country).toBe("KR"),
    ],
    [
      "Korean account name kept as is",
      (s) => (s.account!.name = "  (주)콘토소 코리아 "),
      (b) => expect(b.customerProfile.name).toBe("(주)콘토소 코리아"),
    ],
    [
      "lowercase currency normalised",
      (s) => ((s.currency!.isoCode = "krw"), (s.estimatedValue = 150_000_000)),
      (b) => expect([b.details.currency, b.details.dealValue]).toEqual(["KRW", 150_000_000]),
    ],
    [
      "HTML and script in notes are sent verbatim as text",
      (s) => (s.description = '<script>alert("x")</script> & <b>bold</b>'),
      (b) => expect(b.details.notes).toBe('<script>alert("x")</script> & <b>bold</b>'),
    ],
    [
      "CRLF and control characters removed from notes",
      (s) => (s.description = "line one\r\nline two\u0007\r\n"),
      (b) => expect(b.details.notes).toBe("line one\nline two"),
    ],
    ["no description: no notes member", (s) => (s.description = null), (b) => expect("notes" in b.details).toBe(false)],
    [
      "duplicate solutions sent once, sorted by id",
      (s) =>
        s.solutions.push(
          { id: "s-2", solutionId: "SOL-AI-02", name: "AI Builder" },
          { id: "s-3", solutionId: "SOL-AZ-MIGRATE-01", name: "dup" },
        ),
      (b) => expect(b.details.requirements?.solutions?.map((x) => x.id)).toEqual(["SOL-AI-02", "SOL-AZ-MIGRATE-01"]),
    ],
    [
      "the owner listed twice appears once",
      (s) => s.salesTeam.push(s.owner!),
      (b) => expect(b.team.map((m) => m.email)).toEqual(["alex@partner.example", "megan@partner.example"]),
    ],
    [
      "e-mail case is normalised",
      (s) => (s.customerContact!.email = "Minji.Kim@Contoso.KR"),
      (b) => expect(b.customerProfile.team?.[0]?.email).toBe("minji.kim@contoso.kr"),
    ],
    [
      "a date-time close date keeps its UTC day",
      (s) => (s.estimatedCloseDate = "2027-01-15T00:00:00Z"),
      (b) => expect(b.details.closingDateTime).toBe("2027-01-15T00:00:00Z"),
    ],
    [
      "unknown company size left out",
      (s) => (s.account!.numberOfEmployees = null),
      (b) => expect(b.customerProfile.size).toBeUndefined(),
    ],
  ];
  it.each(cases)("%s", (_name, edit, check) => {
    check(bodyOf(snapshotWith(edit)));
  });

  it("returns the readiness failures, and no body, for a deal that is not ready", () => {
    const mapped = mapToReferralCreate(
      snapshotWith((s) => (s.account!.address.country = "Korea")),
      NOW,
      REFERENCE,
    );
    expect(mapped.ok).toBe(false);
    expect(mapped.ok ? [] : mapped.failures.map((f) => f.messageKey)).toEqual(["readiness.country.ambiguous"]);
  });

  it("gives the same fingerprint for the same deal however it is typed", () => {
    const a = mapToReferralCreate(readySnapshot(), NOW, REFERENCE);
    const b = mapToReferralCreate(
      snapshotWith((s) => {
        s.account!.address.country = "south korea";
        s.customerContact!.email = "MINJI.KIM@contoso.kr";
        s.salesTeam.reverse();
        s.description = "Lift and shift of 40 VMs.\r\n";
      }),
      NOW,
      REFERENCE,
    );
    expect(a.ok && b.ok && a.fingerprint === b.fingerprint).toBe(true);
  });
});

describe("customerSize", () => {
  const cases: [number | null, string | undefined][] = [
    [1, "1to9employees"],
    [9, "1to9employees"],
    [10, "10to50employees"],
    [250, "51to250employees"],
    [251, "251to1000employees"],
    [20000, "10001to20000employees"],
    [20001, "Morethan20000employees"],
    [0, undefined],
    [-3, undefined],
    [12.5, undefined],
    [null, undefined],
  ];
  it.each(cases)("%p employees → %p", (employees, size) => {
    expect(customerSize(employees)).toBe(size);
  });
});
