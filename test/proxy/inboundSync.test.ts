import type { Referral } from "../../domain";
import { applyFromPartnerCenter } from "../../plugins-ts/src/sync/inboundSync";
import { syncToPartnerCenter, type SyncEnvironment } from "../../plugins-ts/src/sync/outboundSync";
import { readySnapshot } from "../domain/fixtures";
import { startHarness, type Harness } from "../partner-center/harness";
import { InMemoryAudit, InMemorySyncStore, testSyncEnvironment } from "./inMemorySyncStore";

/** Partner Center → CRM against the emulator's "Microsoft side" admin API, through the real client. */

let h: Harness;
let store: InMemorySyncStore;
let audit: InMemoryAudit;
let env: SyncEnvironment;
let callsBefore = 0;
const callsInTest = () => h.counter.total - callsBefore;
const OPP = readySnapshot().id;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.pc.close();
});
beforeEach(async () => {
  await h.admin("POST", "/admin/reset");
  store = new InMemorySyncStore();
  audit = new InMemoryAudit();
  env = testSyncEnvironment({ referrals: h.client, store, audit });
  store.put(readySnapshot());
  await syncToPartnerCenter(env, { opportunityId: OPP, trigger: "toggle" });
  callsBefore = h.counter.total;
});
afterEach(() => {
  expect(h.violations).toEqual([]);
  h.violations.length = 0;
});

const referralId = () => store.get(OPP).sync.referralId!;

describe("Partner Center → CRM", () => {
  it("Microsoft accepts and sets its CRM id: mirrored on the opportunity, and the echo costs no call", async () => {
    expect((await h.admin("POST", `/admin/referrals/${referralId()}/accept`)).status).toBeLessThan(300);
    expect(
      (await h.admin("PUT", `/admin/referrals/${referralId()}/tracking`, { microsoftMsxId: "7-MSX-42" })).status,
    ).toBeLessThan(300);

    const result = await applyFromPartnerCenter(env, { referralId: referralId(), trigger: "pc-webhook" });
    expect(result).toMatchObject({ outcome: "applied", apiCalls: 1, followUp: null });
    expect(store.get(OPP).sync).toMatchObject({
      referralStatus: "Active",
      referralSubstatus: "Accepted",
      microsoftCrmId: "7-MSX-42",
    });

    // The Dataverse webhook for that write comes back to the proxy: nothing to send.
    const calls = callsInTest();
    const echo = await syncToPartnerCenter(env, { opportunityId: OPP, trigger: "dataverse-webhook", echo: true });
    expect(echo).toMatchObject({ outcome: "unchanged", apiCalls: 0 });
    expect(callsInTest()).toBe(calls);
  });

  it("a value changed on the Microsoft side is applied to CRM, and its echo costs no call", async () => {
    expect(
      (
        await h.admin("PATCH", `/admin/referrals/${referralId()}/details`, {
          dealValue: 210000,
          notes: "Expanded scope",
        })
      ).status,
    ).toBeLessThan(300);
    const result = await applyFromPartnerCenter(env, { referralId: referralId(), trigger: "pc-webhook" });
    expect(result.outcome).toBe("applied");
    expect(store.get(OPP).snapshot).toMatchObject({ estimatedValue: 210000, description: "Expanded scope" });
    const echo = await syncToPartnerCenter(env, { opportunityId: OPP, trigger: "dataverse-webhook", echo: true });
    expect(echo.apiCalls).toBe(0);
    expect(audit.entries.at(-1)?.operation).toBe("skip-echo");
  });

  it("Microsoft declines: the seller is told, the opportunity stays open", async () => {
    expect((await h.admin("POST", `/admin/referrals/${referralId()}/decline`)).status).toBeLessThan(300);
    await applyFromPartnerCenter(env, { referralId: referralId(), trigger: "pc-webhook" });
    const row = store.get(OPP);
    expect(row.snapshot.state).toBe("open");
    expect(row.sync).toMatchObject({ referralStatus: "Closed", referralSubstatus: "Declined" });
    expect(row.sync.lastSyncError).toContain("Microsoft declined this referral");
    expect(audit.entries.at(-1)).toMatchObject({
      direction: "PartnerCenterToCrm",
      fixHintKey: "status.declinedByMicrosoft",
    });
  });

  it("a webhook for a change already applied: one read, no write", async () => {
    await h.admin("POST", `/admin/referrals/${referralId()}/accept`);
    await applyFromPartnerCenter(env, { referralId: referralId(), trigger: "pc-webhook" });
    const writes = store.writes.length;
    const again = await applyFromPartnerCenter(env, { referralId: referralId(), trigger: "reconcile" });
    expect(again).toMatchObject({ outcome: "unchanged", apiCalls: 1 });
    expect(store.writes.length).toBe(writes);
  });

  it("the seller changed the value since the last sync and Microsoft changed the notes: both kept, CRM's value sent", async () => {
    store.userSave(OPP, (s) => {
      s.estimatedValue = 150000;
      s.modifiedOn = "2026-11-25T12:00:00Z";
    });
    await h.admin("PATCH", `/admin/referrals/${referralId()}/details`, { notes: "Microsoft note" });
    const result = await applyFromPartnerCenter(env, { referralId: referralId(), trigger: "pc-webhook" });
    expect(result.followUp).toMatchObject({ outcome: "updated" });
    const referral = ((await h.admin("GET", `/admin/referrals/${referralId()}`)).body ?? {}) as Referral;
    expect(referral.details).toMatchObject({ dealValue: 150000, notes: "Microsoft note" });
    expect(store.get(OPP).snapshot.description).toBe("Microsoft note");
  });

  it("a referral Microsoft started becomes a new opportunity", async () => {
    const created = await h.admin("POST", "/admin/referrals", {
      name: "Fabrikam data platform",
      customerProfile: {
        name: "Fabrikam Korea",
        address: { addressLine1: "1 Sejong-daero", city: "Seoul", postalCode: "04524", country: "KR" },
        team: [{ firstName: "Jiwoo", lastName: "Park", email: "jiwoo.park@fabrikam.example" }],
      },
      consent: { consentToShareReferralWithMicrosoftSellers: true },
      details: {
        dealValue: 90000,
        currency: "USD",
        closingDateTime: "2027-06-30T00:00:00Z",
        notes: "From a Microsoft seller",
      },
    });
    expect(created.status).toBeLessThan(300);
    const incoming = created.body as Referral;
    const result = await applyFromPartnerCenter(env, { referralId: incoming.id, trigger: "pc-webhook" });
    expect(result.outcome).toBe("created-opportunity");
    expect(store.created.map((c) => [c.referral.id, c.sync.state, c.sync.referralId])).toEqual([
      [incoming.id, "Synced", incoming.id],
    ]);
  });
});
