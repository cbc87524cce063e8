import { mapToReferralCreate, type Referral } from "../../domain";
import { syncToPartnerCenter, type SyncEnvironment } from "../../plugins-ts/src/sync/outboundSync";
import { NOW, REFERENCE, readySnapshot, snapshotWith } from "../domain/fixtures";
import { startHarness, type Harness } from "../partner-center/harness";
import { InMemoryAudit, InMemoryQuota, InMemorySyncStore, testSyncEnvironment } from "./inMemorySyncStore";

/**
 * The CRM → Partner Center engine against the Partner Center emulator over HTTP, through the real client.
 * Every request and answer is checked against Microsoft's swagger by the harness.
 */

let h: Harness;
let store: InMemorySyncStore;
let audit: InMemoryAudit;
let quota: InMemoryQuota;
let env: SyncEnvironment;
let callsBefore = 0;
let requestsBefore = 0;
/** Partner Center calls and requests made by the current test (the harness counts across tests). */
const callsInTest = () => h.counter.total - callsBefore;
const requestsInTest = () => h.requests.slice(requestsBefore);
const OPP = () => readySnapshot().id;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.pc.close();
});
beforeEach(async () => {
  await h.admin("POST", "/admin/reset");
  await h.admin("DELETE", "/admin/faults");
  store = new InMemorySyncStore();
  audit = new InMemoryAudit();
  quota = new InMemoryQuota();
  env = testSyncEnvironment({ referrals: h.client, store, audit, quota });
  store.put(readySnapshot());
  callsBefore = h.counter.total;
  requestsBefore = h.requests.length;
});
afterEach(() => {
  expect(h.violations).toEqual([]);
  h.violations.length = 0;
});

async function referralsInEmulator(): Promise<Referral[]> {
  return ((await h.admin("GET", "/admin/referrals")).body as { value: Referral[] }).value;
}

const sync = (trigger: Parameters<typeof syncToPartnerCenter>[1]["trigger"] = "toggle") =>
  syncToPartnerCenter(env, { opportunityId: OPP(), trigger });

describe("CRM → Partner Center", () => {
  it("toggle on a ready deal: one create, an audit row, state Synced", async () => {
    const result = await sync("toggle");
    expect(result).toMatchObject({ outcome: "created", syncState: "Synced", apiCalls: 1 });
    const [referral, ...others] = await referralsInEmulator();
    expect(others).toHaveLength(0);
    expect(referral!.externalReferenceId).toBe(OPP().toLowerCase());
    const row = store.get(OPP());
    expect(row.sync).toMatchObject({ state: "Synced", referralId: referral!.id, attempt: 0, nextRetryOn: null });
    expect(row.sync.fingerprint).toMatch(/^v1:/);
    expect(result.referralLink).toBe(`https://partner.example/referrals/${referral!.id}`);
    expect(audit.entries.map((e) => [e.operation, e.result, e.apiCalls, e.trigger])).toEqual([
      ["create", "succeeded", 1, "toggle"],
    ]);
    expect(await quota.usedOn("2026-11-25")).toBe(1);
  });

  it("a save with no mapped change: zero calls, audited as skip-no-change", async () => {
    await sync();
    store.userSave(OPP(), (s) => (s.description = "Lift and shift of 40 VMs.\r\n")); // formatting only
    const before = h.counter.total;
    const result = await sync("save");
    expect(result).toMatchObject({ outcome: "unchanged", apiCalls: 0 });
    expect(h.counter.total).toBe(before);
    expect(audit.entries.at(-1)).toMatchObject({ operation: "skip-no-change", result: "succeeded", apiCalls: 0 });
  });

  it("the echo of the proxy's own write is audited as skip-echo and costs nothing", async () => {
    await sync();
    const result = await syncToPartnerCenter(env, { opportunityId: OPP(), trigger: "dataverse-webhook", echo: true });
    expect(result.apiCalls).toBe(0);
    expect(audit.entries.at(-1)?.operation).toBe("skip-echo");
  });

  it("an edit sends a patch with only the changed path", async () => {
    await sync();
    store.userSave(OPP(), (s) => (s.estimatedValue = 180000));
    const patches = h.requests.length;
    const result = await sync("save");
    expect(result).toMatchObject({ outcome: "updated", apiCalls: 1 });
    const sent = h.requests.slice(patches);
    expect(sent.map((r) => r.method)).toEqual(["PATCH"]);
    expect(audit.entries.at(-1)).toMatchObject({ operation: "update", changedPaths: ["/details/dealValue"] });
    const [referral] = await referralsInEmulator();
    expect(referral!.details?.dealValue).toBe(180000);
    expect(referral!.details?.notes).toBe("Lift and shift of 40 VMs.");
  });

  it("a deal that is not ready is blocked with no call and says why", async () => {
    store.put(snapshotWith((s) => (s.account!.address.country = "Korea")));
    const result = await sync();
    expect(result).toMatchObject({ outcome: "blocked", syncState: "Blocked", apiCalls: 0 });
    expect(result.failures.map((f) => f.messageKey)).toEqual(["readiness.country.ambiguous"]);
    expect(callsInTest()).toBe(0);
    expect(store.get(OPP()).sync.lastSyncError).toContain('"Korea"');
    expect(audit.entries).toMatchObject([
      { operation: "blocked", result: "blocked", apiCalls: 0, fixHintKey: "readiness.country.ambiguous" },
    ]);
  });

  it("two instances racing on one opportunity create one referral", async () => {
    const [a, b] = await Promise.all([sync("toggle"), sync("dataverse-webhook")]);
    expect([a.outcome, b.outcome].sort()).toEqual(["busy", "created"]);
    expect(await referralsInEmulator()).toHaveLength(1);
  });

  it("an attempt that created the referral but died before recording it is finished without a second POST", async () => {
    // The earlier attempt's claim has expired; its POST landed in Partner Center.
    store.put(readySnapshot(), { state: "Pending", attempt: 1, nextRetryOn: "2026-11-25T11:00:00Z" });
    const mapped = mapToReferralCreate(readySnapshot(), NOW, REFERENCE);
    if (!mapped.ok) throw new Error("fixture not ready");
    const posted = await h.client.createReferral(mapped.body, { correlationId: "crashed", meter: { calls: 0 } });
    const result = await sync("retry");
    expect(result).toMatchObject({ outcome: "created", referralId: posted.referral.id });
    expect(requestsInTest().filter((r) => r.method === "POST")).toHaveLength(1);
    expect(await referralsInEmulator()).toHaveLength(1);
    expect(audit.entries.at(-1)?.message).toContain("not created again");
  });

  it("412: Microsoft changed the referral meanwhile; re-read, re-plan, one more PATCH", async () => {
    await sync();
    const [referral] = await referralsInEmulator();
    expect(
      (await h.admin("PATCH", `/admin/referrals/${referral!.id}/details`, { notes: "Microsoft's note" })).status,
    ).toBeLessThan(300);
    store.userSave(OPP(), (s) => (s.estimatedValue = 99000));
    const result = await sync("save");
    expect(result).toMatchObject({ outcome: "updated", apiCalls: 3 });
    const [after] = await referralsInEmulator();
    expect(after!.details?.dealValue).toBe(99000);
    expect(store.get(OPP()).sync.referralEtag).toBe(after!.eTag);
  });

  it("429 beyond what the client waits for: scheduled after Retry-After, state Pending, nothing lost", async () => {
    await h.admin("POST", "/admin/faults", {
      kind: "status",
      status: 429,
      retryAfterSeconds: 600,
      method: "POST",
      times: 10,
    });
    const result = await sync();
    expect(result).toMatchObject({ outcome: "retrying", syncState: "Pending" });
    expect(Date.parse(result.nextRetryOn!)).toBeGreaterThanOrEqual(NOW.getTime() + 600_000);
    expect(store.get(OPP()).sync).toMatchObject({ state: "Pending", attempt: 1, nextRetryOn: result.nextRetryOn });
    expect(audit.entries.at(-1)).toMatchObject({ result: "failed", httpStatus: 429, fixHintKey: "fix.throttled" });
    expect(await referralsInEmulator()).toHaveLength(0);
  });

  it("a validation error from Partner Center is shown with its fix and not retried", async () => {
    await h.admin("POST", "/admin/faults", { kind: "status", status: 400, method: "POST" });
    const result = await sync();
    expect(result).toMatchObject({ outcome: "failed", syncState: "Error", nextRetryOn: null });
    expect(result.message?.key).toBe("fix.validation");
    expect(store.get(OPP()).sync.lastSyncError).toMatch(/^Partner Center refused the data/);
  });

  it("the daily budget spent: deferred to the next UTC day with no call", async () => {
    await quota.add("2026-11-25", 10_000);
    const result = await sync("save");
    expect(result).toMatchObject({
      outcome: "deferred",
      syncState: "Deferred",
      apiCalls: 0,
      nextRetryOn: "2026-11-26T00:00:00.000Z",
    });
    expect(callsInTest()).toBe(0);
  });

  it("closing as won closes the referral; reopening is refused locally", async () => {
    await sync();
    store.userSave(OPP(), (s) => (s.state = "won"));
    expect(await sync("save")).toMatchObject({ outcome: "updated" });
    const [won] = await referralsInEmulator();
    expect([won!.status, won!.substatus]).toEqual(["Closed", "Won"]);

    store.userSave(OPP(), (s) => (s.state = "open"));
    const calls = h.counter.total;
    const reopened = await sync("save");
    expect(reopened).toMatchObject({ outcome: "failed", syncState: "Error", apiCalls: 0 });
    expect(reopened.message?.key).toBe("transition.terminal");
    expect(h.counter.total).toBe(calls);
  });

  it("sync off: nothing happens and nothing is audited", async () => {
    store.put(readySnapshot(), { enabled: false });
    expect(await sync("save")).toMatchObject({ outcome: "disabled", apiCalls: 0 });
    expect(audit.entries).toHaveLength(0);
  });
});
