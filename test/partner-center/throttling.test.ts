import { PartnerCenterError } from "../../plugins-ts/src/partnerCenter/failureClassification";
import { failureOf, startHarness, validReferral, type Harness } from "./harness";

/** 429 with Retry-After (rate limit, injected, daily quota) and 503/504 retries, honoured by the client. */

const harnesses: Harness[] = [];
async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const h = await startHarness(...args);
  harnesses.push(h);
  return h;
}

afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.pc.close()));
});

afterEach(() => {
  for (const h of harnesses) expect(h.violations).toEqual([]);
});

it("rate limit: the third call in a second gets 429 Retry-After: 1, and the client waits at least that long", async () => {
  const h = await harness({ throttle: { requestsPerSecond: 2, rateLimitRetryAfterSeconds: 1 } });
  await h.client.listPage({});
  await h.client.listPage({});
  const started = performance.now();
  const page = await h.client.listPage({});
  const waited = performance.now() - started;
  expect(page.value).toEqual([]);
  expect(waited).toBeGreaterThanOrEqual(1000);
  // Three answered calls plus the throttled one: every attempt is counted.
  expect(h.counter.forOperation("listReferrals")).toBe(4);
  expect(h.pc.context.throttle.usage().used).toBe(3);
});

it("an injected 429 on create is waited out and retried without a look-up (a 429 is refused before any work)", async () => {
  const h = await harness();
  await h.admin("POST", "/admin/faults", { kind: "status", status: 429, method: "POST", retryAfterSeconds: 1 });
  const before = h.requests.length;
  const started = performance.now();
  const { referral, recovered } = await h.client.createReferral(validReferral());
  expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
  expect(recovered).toBe(false);
  expect(h.requests.slice(before).map((r) => r.method)).toEqual(["POST", "POST"]);
  expect((await h.client.findByExternalReferenceId(referral.externalReferenceId!)).length).toBe(1);
});

it("daily quota: past the budget the answer is 429 until UTC midnight, which the client reports instead of sleeping", async () => {
  // The emulator's clock is pinned a minute before UTC midnight.
  const h = await harness({ throttle: { dailyQuota: 3 }, now: () => new Date("2026-11-25T23:59:00.000Z") });
  for (let i = 0; i < 3; i++) await h.client.listPage({});
  const e = await failureOf(h.client.listPage({}));
  expect(e).toBeInstanceOf(PartnerCenterError);
  expect([e.status, e.category, e.attempts, e.retryAfterMs]).toEqual([429, "throttled", 1, 60_000]);
  const quota = await h.admin("GET", "/admin/quota");
  expect(quota.body).toEqual({ day: "2026-11-25", used: 3, dailyQuota: 3 });
});

it("the daily quota defaults to 10,000 calls", async () => {
  const h = await harness();
  expect(h.pc.context.throttle.config.dailyQuota).toBe(10_000);
});

it("503 with Retry-After and 504 without are retried; a GET gets through", async () => {
  const h = await harness();
  const { referral } = await h.client.createReferral(validReferral());
  await h.admin("POST", "/admin/faults", { kind: "status", status: 503, method: "GET", retryAfterSeconds: 1 });
  await h.admin("POST", "/admin/faults", { kind: "status", status: 504, method: "GET" });
  const started = performance.now();
  const read = await h.client.getReferral(referral.id);
  expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
  expect(read.id).toBe(referral.id);
  expect(h.counter.forOperation("getReferral")).toBe(3);
});

it("gives up after maxAttempts on a service that stays unavailable, classified transient", async () => {
  const h = await harness();
  await h.admin("POST", "/admin/faults", { kind: "status", status: 503, method: "GET", times: 10 });
  const e = await failureOf(h.client.listPage({}));
  expect([e.status, e.category, e.attempts]).toEqual([503, "transient", 4]);
});

it("a 500 is classified transient but not retried in-process", async () => {
  const h = await harness();
  await h.admin("POST", "/admin/faults", { kind: "status", status: 500, method: "GET" });
  const e = await failureOf(h.client.listPage({}));
  expect([e.status, e.category, e.attempts]).toEqual([500, "transient", 1]);
});
