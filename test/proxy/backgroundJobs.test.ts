import type { OpportunitySnapshot } from "../../domain";
import { backfill, BACKFILL_RESUME, resumableBackfill } from "../../plugins-ts/src/sync/backfill";
import { syncToPartnerCenter, type SyncEnvironment } from "../../plugins-ts/src/sync/outboundSync";
import { reconcile, WATERMARK } from "../../plugins-ts/src/sync/reconciliation";
import { runDueRetries } from "../../plugins-ts/src/sync/retryWorker";
import { NOW, readySnapshot } from "../domain/fixtures";
import { startHarness, type Harness } from "../partner-center/harness";
import { InMemoryQuota, InMemoryState, InMemorySyncStore, testSyncEnvironment } from "./inMemorySyncStore";

/** Retry worker, reconciliation and backfill against the Partner Center emulator (pages of 2 referrals). */

let h: Harness;
let store: InMemorySyncStore;
let quota: InMemoryQuota;
let state: InMemoryState;
let now: Date;
let env: SyncEnvironment & { state: InMemoryState; referrals: Harness["client"] };

function deal(n: number, edit: (s: OpportunitySnapshot) => void = () => {}): OpportunitySnapshot {
  const s = readySnapshot();
  s.id = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  s.name = `Deal ${n}`;
  edit(s);
  return s;
}

beforeAll(async () => {
  h = await startHarness({ pageSize: 2 });
});
afterAll(async () => {
  await h.pc.close();
});
beforeEach(async () => {
  await h.admin("POST", "/admin/reset");
  await h.admin("DELETE", "/admin/faults");
  store = new InMemorySyncStore();
  quota = new InMemoryQuota();
  state = new InMemoryState();
  now = NOW;
  env = { ...testSyncEnvironment({ referrals: h.client, store, quota, clock: () => now }), referrals: h.client, state };
});
afterEach(() => {
  expect(h.violations).toEqual([]);
  h.violations.length = 0;
});

const referralCount = async () =>
  ((await h.admin("GET", "/admin/referrals")).body as { value: unknown[] }).value.length;

describe("retry worker", () => {
  it("runs a throttled sync again once its time has come, not before", async () => {
    store.put(deal(1));
    await h.admin("POST", "/admin/faults", {
      kind: "status",
      status: 429,
      retryAfterSeconds: 900,
      method: "POST",
      times: 10,
    });
    const first = await syncToPartnerCenter(env, { opportunityId: deal(1).id, trigger: "toggle" });
    expect(first.outcome).toBe("retrying");
    await h.admin("DELETE", "/admin/faults");

    expect((await runDueRetries(env, { limit: 10, concurrency: 2 })).picked).toBe(0);
    now = new Date(first.nextRetryOn!);
    const run = await runDueRetries(env, { limit: 10, concurrency: 2 });
    expect(run).toMatchObject({ picked: 1, outcomes: { created: 1 }, errors: [] });
    expect(store.get(deal(1).id).sync).toMatchObject({ state: "Synced", attempt: 0, nextRetryOn: null });
    expect(await referralCount()).toBe(1);
  });

  it("takes over an expired create claim without a duplicate", async () => {
    store.put(deal(2), { state: "Pending", attempt: 1, nextRetryOn: new Date(NOW.getTime() - 1000).toISOString() });
    const run = await runDueRetries(env, { limit: 10, concurrency: 1 });
    expect(run.outcomes).toEqual({ created: 1 });
    expect(await referralCount()).toBe(1);
  });

  it("resumes deferred work when the UTC day turns", async () => {
    store.put(deal(3));
    await quota.add("2026-11-25", 10_000);
    expect((await syncToPartnerCenter(env, { opportunityId: deal(3).id, trigger: "save" })).outcome).toBe("deferred");
    now = new Date("2026-11-26T00:00:00.000Z");
    expect((await runDueRetries(env, { limit: 10, concurrency: 1 })).outcomes).toEqual({ created: 1 });
  });

  it("Dataverse failing right after a PATCH: the change is finished by the retry worker, not lost", async () => {
    store.put(deal(4));
    await syncToPartnerCenter(env, { opportunityId: deal(4).id, trigger: "toggle" });
    store.userSave(deal(4).id, (s) => (s.estimatedValue = 444_000));
    // The mark before the PATCH lands; every write after it fails, as in a Dataverse outage.
    const write = store.write.bind(store);
    let writes = 0;
    store.write = async (...args) => {
      if (++writes > 1) throw Object.assign(new Error("Dataverse is unavailable"), { category: "transient" });
      return write(...args);
    };
    await expect(syncToPartnerCenter(env, { opportunityId: deal(4).id, trigger: "save" })).rejects.toThrow(
      "unavailable",
    );
    store.write = write;
    const referralId = store.get(deal(4).id).sync.referralId!;
    const referral = (await h.admin("GET", `/admin/referrals/${referralId}`)).body as {
      details: { dealValue: number };
    };
    expect(referral.details.dealValue).toBe(444_000);
    const marked = store.get(deal(4).id).sync;
    expect(marked.state).toBe("Pending");

    now = new Date(marked.nextRetryOn!);
    const run = await runDueRetries(env, { limit: 10, concurrency: 1 });
    expect(run.outcomes).toEqual({ unchanged: 1 });
    expect(store.get(deal(4).id).sync).toMatchObject({ state: "Synced", nextRetryOn: null });
    // In step now: the next save of the same value costs nothing.
    expect((await syncToPartnerCenter(env, { opportunityId: deal(4).id, trigger: "save" })).apiCalls).toBe(0);
  });
});

describe("reconciliation", () => {
  it("applies what lost webhooks missed, across pages, and moves the watermark", async () => {
    for (const n of [1, 2, 3]) {
      store.put(deal(n));
      await syncToPartnerCenter(env, { opportunityId: deal(n).id, trigger: "toggle" });
    }
    await state.write(WATERMARK, "2000-01-01T00:00:00Z", null);
    // Microsoft accepts two referrals; the webhooks never arrive.
    for (const n of [1, 3]) await h.admin("POST", `/admin/referrals/${store.get(deal(n).id).sync.referralId}/accept`);

    const run = await reconcile(env, { firstRunLookbackMs: 86_400_000 });
    expect(run).toMatchObject({ listed: 3, applied: 2, unchanged: 1 });
    expect(store.get(deal(1).id).sync).toMatchObject({ referralStatus: "Active", referralSubstatus: "Accepted" });
    expect(store.get(deal(2).id).sync.referralStatus).not.toBe("Active");
    // Two pages of 2: two list calls, and no GET per referral.
    expect(run.apiCalls).toBe(2);
    expect((await state.read(WATERMARK))?.value).toBe(run.watermark);
    expect(run.watermark > "2000-01-01").toBe(true);

    const writes = store.writes.length;
    const again = await reconcile(env, { firstRunLookbackMs: 86_400_000 });
    expect(again.applied).toBe(0);
    expect(store.writes.length).toBe(writes);
  });
});

describe("backfill", () => {
  it("syncs every opportunity with sync on, blocks the unready one, and a re-run spends nothing", async () => {
    for (const n of [1, 2, 3, 4]) store.put(deal(n));
    store.put(deal(5, (s) => (s.currency = null)));
    store.put(deal(6), { enabled: false });
    const seen: number[] = [];
    const first = await backfill(env, { concurrency: 2, pageSize: 2, onProgress: (p) => seen.push(p.done) });
    expect(first.outcomes).toEqual({ created: 4, blocked: 1 });
    expect(first.apiCalls).toBe(4);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(await referralCount()).toBe(4);

    const second = await backfill(env, { concurrency: 2, pageSize: 2 });
    expect(second.outcomes).toEqual({ unchanged: 4, blocked: 1 });
    expect(second.apiCalls).toBe(0);
  });

  it("catches up on throttled syncs after its pass instead of leaving them to the retry schedule", async () => {
    for (const n of [1, 2, 3]) store.put(deal(n));
    // One create is throttled with a long Retry-After: the client gives it back at once, scheduled for later.
    await h.admin("POST", "/admin/faults", {
      kind: "status",
      status: 429,
      retryAfterSeconds: 900,
      method: "POST",
      times: 1,
    });
    const run = await backfill(env, { concurrency: 1, pageSize: 10, catchUpDelayMs: 10 });
    expect(run.outcomes).toEqual({ created: 3, retrying: 0 });
    expect(run.done).toBe(3);
    expect(await referralCount()).toBe(3);
  });

  it("leaves what still fails after its catch-up rounds to the retry schedule", async () => {
    store.put(deal(1));
    await h.admin("POST", "/admin/faults", {
      kind: "status",
      status: 429,
      retryAfterSeconds: 900,
      method: "POST",
      times: 50,
    });
    const run = await backfill(env, { concurrency: 1, pageSize: 10, catchUpRounds: 2, catchUpDelayMs: 10 });
    expect(run.outcomes).toEqual({ retrying: 1 });
    expect(store.get(deal(1).id)?.sync).toMatchObject({ state: "Pending", referralId: null });
    expect(store.get(deal(1).id)?.sync.nextRetryOn).not.toBeNull();
  });

  it("stops starting work when the quota runs out, and resumes after a given id", async () => {
    for (const n of [1, 2, 3, 4]) store.put(deal(n));
    env.options = { ...env.options, dailyBudget: 2 };
    const run = await backfill(env, { concurrency: 1, pageSize: 10 });
    expect(run.stoppedForQuota).toBe(true);
    expect(run.outcomes).toEqual({ created: 2, deferred: 1 });
    expect(await referralCount()).toBe(2);

    env.options = { ...env.options, dailyBudget: 10_000 };
    const resumed = await backfill(env, { concurrency: 1, pageSize: 10, afterId: deal(2).id });
    expect(resumed.outcomes).toEqual({ created: 2 });
    expect(await referralCount()).toBe(4);
  });

  it("an interrupted backfill resumes after its last finished page, and a finished one leaves nothing to resume", async () => {
    for (const n of [1, 2, 3, 4, 5, 6]) store.put(deal(n));
    const controller = new AbortController();
    const first = await resumableBackfill(env, {
      concurrency: 1,
      pageSize: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 3) controller.abort(); // Ctrl+C during the second page
      },
    });
    expect(first.done).toBe(3);
    expect((await state.read(BACKFILL_RESUME))?.value).toBe(deal(2).id);

    const second = await resumableBackfill(env, { concurrency: 2, pageSize: 2 });
    expect(second.resumedAfter).toBe(deal(2).id);
    // Deal 3 was synced before the interruption: resumed, it costs no call.
    expect(second.outcomes).toEqual({ unchanged: 1, created: 3 });
    expect(await referralCount()).toBe(6);
    expect((await state.read(BACKFILL_RESUME))?.value).toBe("");
  });
});
