import { checkInvariants, type CheckInput, type FinalOpportunity, type FinalReferral } from "./invariantChecker";
import { WriteLedger } from "./writeLedger";

/**
 * The checker finds what it is there to find: each test plants one violation in an otherwise consistent pair of
 * sides and expects exactly that violation, so a chaos run's "no violations" means something.
 */

const OPP = "0bb00000-0000-4000-8000-00000000c001";
const REF = "ref-1";

const opportunity = (o: Partial<FinalOpportunity> = {}): FinalOpportunity => ({
  opportunityId: OPP,
  syncOn: true,
  syncState: "Synced",
  lastSyncError: null,
  nextRetryOn: null,
  referralId: REF,
  value: 1000,
  closeDate: "2027-03-31",
  notes: "Shared notes",
  referralStatus: "Active",
  referralSubstatus: "Accepted",
  microsoftCrmId: "7-123",
  ...o,
});

const referral = (r: Partial<FinalReferral> = {}): FinalReferral => ({
  id: REF,
  externalReferenceId: OPP,
  direction: "Outgoing",
  status: "Active",
  substatus: "Accepted",
  microsoftCrmId: "7-123",
  value: 1000,
  closeDate: "2027-03-31",
  notes: "Shared notes",
  ...r,
});

function input(overrides: Partial<CheckInput> = {}): CheckInput {
  return {
    deals: [OPP],
    opportunities: [opportunity()],
    referrals: [referral()],
    incomingReferralIds: [],
    auditCorrelationIds: new Set(["c-1"]),
    partnerCenterWrites: [{ method: "POST", correlationId: "c-1", startedAt: 1, endedAt: 2 }],
    killedAt: [],
    ledger: new WriteLedger(),
    concurrentWithinMs: 2000,
    ...overrides,
  };
}

const kinds = (i: CheckInput) => checkInvariants(i).map((v) => v.kind);

describe("invariant checker", () => {
  it("finds nothing in consistent sides (the baseline every planted case differs from by one thing)", () => {
    expect(checkInvariants(input())).toEqual([]);
  });

  it("finds a duplicate referral: two referrals carry one opportunity's id", () => {
    const found = checkInvariants(input({ referrals: [referral(), referral({ id: "ref-2" })] }));
    expect(found).toEqual([expect.objectContaining({ kind: "duplicate-referral", subject: OPP })]);
  });

  it("finds a duplicate opportunity: two opportunities record one referral", () => {
    const twin = opportunity({ opportunityId: "0bb00000-0000-4000-8000-00000000c002" });
    expect(kinds(input({ opportunities: [opportunity(), twin] }))).toEqual(["duplicate-opportunity"]);
  });

  it("finds Microsoft's referral that never became an opportunity", () => {
    expect(kinds(input({ incomingReferralIds: ["incoming-1"] }))).toEqual(["missing-opportunity"]);
  });

  it("finds a lost update: the seller's last value is on neither side", () => {
    const ledger = new WriteLedger();
    ledger.record(OPP, "value", { side: "partnerCenter", value: 1000, at: 1_000, event: 1 });
    ledger.record(OPP, "value", { side: "crm", value: 2000, at: 60_000, event: 2 });
    const found = checkInvariants(input({ ledger }));
    expect(found.map((v) => v.kind)).toEqual(["lost-update", "lost-update"]);
    expect(found[0]!.detail).toContain("last write was 2000 (CRM, event 2)");
  });

  it("accepts either value when the two sides wrote within the concurrency window, but not a third", () => {
    const ledger = new WriteLedger();
    ledger.record(OPP, "notes", { side: "crm", value: "Shared notes", at: 10_000, event: 1 });
    ledger.record(OPP, "notes", { side: "partnerCenter", value: "Microsoft's", at: 10_500, event: 2 });
    expect(checkInvariants(input({ ledger }))).toEqual([]);
    const stale = input({
      ledger,
      opportunities: [opportunity({ notes: "Older" })],
      referrals: [referral({ notes: "Older" })],
    });
    expect(kinds(stale)).toEqual(["lost-update", "lost-update"]);
  });

  it("finds a divergent field and a status Partner Center owns that CRM does not mirror", () => {
    expect(kinds(input({ referrals: [referral({ closeDate: "2027-04-01" })] }))).toEqual(["divergent-field"]);
    expect(kinds(input({ opportunities: [opportunity({ referralStatus: "New" })] }))).toEqual(["divergent-field"]);
  });

  it("finds a stuck sync: Pending, or Error while the referral is open, with sync on", () => {
    expect(kinds(input({ opportunities: [opportunity({ syncState: "Pending", nextRetryOn: null })] }))).toEqual([
      "stuck-sync",
    ]);
    expect(kinds(input({ opportunities: [opportunity({ syncState: "Error" })] }))).toEqual(["stuck-sync"]);
    // Error is the designed answer when Partner Center closed the referral and the seller changed the deal since.
    const closed = input({
      opportunities: [opportunity({ syncState: "Error", referralStatus: "Closed", referralSubstatus: "Won" })],
      referrals: [referral({ status: "Closed", substatus: "Won" })],
    });
    expect(checkInvariants(closed)).toEqual([]);
  });

  it("finds sync on with nothing shared", () => {
    expect(kinds(input({ opportunities: [opportunity({ referralId: null })], referrals: [] }))).toEqual([
      "missing-referral",
    ]);
  });

  it("finds a Partner Center write without an audit row, except one cut off by a kill", () => {
    const writes = [{ method: "PATCH", correlationId: "c-9", startedAt: 5_000, endedAt: 6_000 }];
    expect(kinds(input({ partnerCenterWrites: writes }))).toEqual(["unaudited-attempt"]);
    expect(checkInvariants(input({ partnerCenterWrites: writes, killedAt: [5_500] }))).toEqual([]);
    expect(kinds(input({ partnerCenterWrites: writes, killedAt: [60_000] }))).toEqual(["unaudited-attempt"]);
  });
});
