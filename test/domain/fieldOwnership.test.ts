import {
  changedPaths,
  fingerprintDigests,
  mapToReferralCreate,
  mergeInbound,
  parseFingerprint,
  projectSnapshot,
  type CrmMirror,
  type OpportunitySnapshot,
  type Referral,
} from "../../domain";
import { NOW, readySnapshot, snapshotWith, REFERENCE } from "./fixtures";

const codes = (s: OpportunitySnapshot) => ({
  countryCode: "KR",
  currencyCode: s.currency?.isoCode?.toUpperCase() ?? null,
});
const ACCEPTED: CrmMirror = { referralStatus: "Active", referralSubstatus: "Accepted", microsoftCrmId: null };

/** The state after the initial create: the fingerprint both sides agreed on, and Partner Center's copy. */
function synced() {
  const created = mapToReferralCreate(readySnapshot(), NOW, REFERENCE);
  if (!created.ok) throw new Error("fixture not ready");
  const referral: Referral = {
    id: "r-1",
    ...created.body,
    status: "Active",
    substatus: "Accepted",
    updatedDateTime: "2026-11-20T10:00:00Z",
  };
  return { base: fingerprintDigests(created.projection), referral };
}

function merge(
  crmEdit: (s: OpportunitySnapshot) => void,
  pcEdit: (r: Referral) => void,
  crmModifiedOn = "2026-11-21T10:00:00Z",
  mirror = ACCEPTED,
) {
  const { base, referral } = synced();
  const crm = snapshotWith(crmEdit);
  pcEdit(referral);
  return {
    crm,
    result: mergeInbound({
      base,
      crm: projectSnapshot(crm, codes(crm)),
      crmModifiedOn,
      mirror,
      opportunityState: crm.state,
      referral,
    }),
  };
}

describe("mergeInbound (Partner Center → CRM under field ownership)", () => {
  type Row = [
    string,
    (s: OpportunitySnapshot) => void,
    (r: Referral) => void,
    string,
    object,
    string[],
    [string, string, string][],
  ];
  const cases: Row[] = [
    ["nothing differs", () => {}, () => {}, "2026-11-21T10:00:00Z", {}, [], []],
    [
      "Microsoft changed the value: applied to CRM",
      () => {},
      (r) => ((r.details!.dealValue = 180000), (r.updatedDateTime = "2026-11-22T10:00:00Z")),
      "2026-11-21T10:00:00Z",
      { estimatedValue: 180000 },
      [],
      [["/details/dealValue", "partnerCenter", "onlyPartnerCenterChanged"]],
    ],
    [
      "seller changed the value since: CRM keeps it and sends it",
      (s) => (s.estimatedValue = 140000),
      () => {},
      "2026-11-21T10:00:00Z",
      {},
      ["/details/dealValue"],
      [["/details/dealValue", "crm", "onlyCrmChanged"]],
    ],
    [
      "both changed the close date, Partner Center later",
      (s) => (s.estimatedCloseDate = "2027-04-30"),
      (r) => ((r.details!.closingDateTime = "2027-05-31T00:00:00Z"), (r.updatedDateTime = "2026-11-23T08:00:00Z")),
      "2026-11-22T08:00:00Z",
      { estimatedCloseDate: "2027-05-31" },
      [],
      [["/details/closingDateTime", "partnerCenter", "bothChangedPartnerCenterLater"]],
    ],
    [
      "both changed the notes, CRM later",
      (s) => (s.description = "seller notes"),
      (r) => ((r.details!.notes = "microsoft notes"), (r.updatedDateTime = "2026-11-22T08:00:00Z")),
      "2026-11-23T08:00:00Z",
      {},
      ["/details/notes"],
      [["/details/notes", "crm", "bothChangedCrmLater"]],
    ],
    [
      "both changed the currency at the same instant: CRM wins the tie",
      (s) => (s.currency!.isoCode = "EUR"),
      (r) => ((r.details!.currency = "KRW"), (r.updatedDateTime = "2026-11-23T08:00:00Z")),
      "2026-11-23T08:00:00Z",
      {},
      ["/details/currency"],
      [["/details/currency", "crm", "bothChangedCrmLater"]],
    ],
    [
      "Partner Center renamed the deal: CRM owns the name",
      () => {},
      (r) => (r.name = "Renamed by Microsoft"),
      "2026-11-21T10:00:00Z",
      {},
      [],
      [["/name", "crm", "crmOwned"]],
    ],
    [
      "Partner Center changed the partner team: CRM owns it, not applied",
      () => {},
      (r) => (r.team = [{ firstName: "X", lastName: "Y", email: "x@y.example" }]),
      "2026-11-21T10:00:00Z",
      {},
      [],
      [["/team", "crm", "crmOwned"]],
    ],
    [
      "Microsoft accepted and set its CRM id: mirrored",
      () => {},
      (r) => (r.trackingInfo = { microsoftMsxId: "7-ABCDEF123" }),
      "2026-11-21T10:00:00Z",
      { microsoftCrmId: "7-ABCDEF123" },
      [],
      [],
    ],
  ];

  it.each(cases)("%s", (_name, crmEdit, pcEdit, crmModifiedOn, update, pending, decisions) => {
    const { result } = merge(crmEdit, pcEdit, crmModifiedOn);
    expect(result.crmUpdate).toEqual(update);
    expect(result.pendingForPartnerCenter).toEqual(pending);
    expect(result.decisions.map((d) => [d.path, d.winner, d.reason])).toEqual(decisions);
  });

  it("mirrors a status change once and tells the seller when Microsoft declines", () => {
    const { result } = merge(
      () => {},
      (r) => ((r.status = "Closed"), (r.substatus = "Declined")),
    );
    expect(result.crmUpdate).toEqual({ referralStatus: "Closed", referralSubstatus: "Declined" });
    expect(result.statusChanged).toBe(true);
    expect(result.statusEffect.notice?.messageKey).toBe("status.declinedByMicrosoft");
    const again = merge(
      () => {},
      (r) => ((r.status = "Closed"), (r.substatus = "Declined")),
      "2026-11-21T10:00:00Z",
      { referralStatus: "Closed", referralSubstatus: "Declined", microsoftCrmId: null },
    );
    expect([again.result.statusChanged, again.result.crmUpdate]).toEqual([false, {}]);
  });

  it("writes a fingerprint that makes its own CRM write look like no change (echo suppression)", () => {
    const { crm, result } = merge(
      () => {},
      (r) => (
        (r.details!.dealValue = 180000),
        (r.details!.notes = "from Microsoft\r\n"),
        (r.updatedDateTime = "2026-11-22T10:00:00Z")
      ),
    );
    // Apply the update the proxy would write, then project the opportunity as the Dataverse webhook would show it.
    const after = {
      ...crm,
      estimatedValue: result.crmUpdate.estimatedValue!,
      description: result.crmUpdate.description!,
    };
    const parsed = parseFingerprint(result.fingerprint);
    expect(parsed.ok && changedPaths(parsed.fingerprint, projectSnapshot(after, codes(after)))).toEqual([]);
  });

  it("keeps a CRM-won change visible to the next CRM → Partner Center diff", () => {
    const { crm, result } = merge(
      (s) => (s.estimatedValue = 140000),
      () => {},
    );
    const parsed = parseFingerprint(result.fingerprint);
    expect(parsed.ok && changedPaths(parsed.fingerprint, projectSnapshot(crm, codes(crm)))).toEqual([
      "/details/dealValue",
    ]);
  });

  it("without history, the later writer wins", () => {
    const { referral } = synced();
    const crm = snapshotWith((s) => (s.estimatedValue = 1000));
    referral.updatedDateTime = "2026-11-24T00:00:00Z";
    const result = mergeInbound({
      base: null,
      crm: projectSnapshot(crm, codes(crm)),
      crmModifiedOn: "2026-11-23T00:00:00Z",
      mirror: ACCEPTED,
      opportunityState: "open",
      referral,
    });
    expect(result.crmUpdate).toEqual({ estimatedValue: 125000 });
    expect(result.decisions).toEqual([
      { path: "/details/dealValue", winner: "partnerCenter", reason: "noHistoryPartnerCenterLater" },
    ]);
  });
});
