import { failureOf, startHarness, validReferral, type Harness } from "./harness";

/**
 * One opportunity never yields two referrals: a create whose answer is lost is resolved by looking up
 * externalReferenceId before anything is sent again. Plus the other faults: drops, timeouts, slow bodies, chaos.
 */

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.pc.close();
});

beforeEach(async () => {
  await h.admin("POST", "/admin/reset");
  await h.admin("PATCH", "/admin/config", {
    faults: { errorRates: {}, dropRate: 0, lostAnswerRate: 0, latencyMs: null },
  });
});

afterEach(() => {
  expect(h.violations.filter((v) => v.direction === "response")).toEqual([]);
});

async function stored(externalReferenceId: string): Promise<number> {
  const all = (await h.admin("GET", "/admin/referrals")).body as { value: { externalReferenceId?: string }[] };
  return all.value.filter((r) => r.externalReferenceId === externalReferenceId).length;
}

function methodsSince(index: number): string[] {
  return h.requests
    .slice(index)
    .map(
      (r) =>
        `${r.method} ${new URL(r.url).search ? "list" : new URL(r.url).pathname.split("/").length > 4 ? "item" : "referrals"}`,
    );
}

it("a create applied but unanswered is found by externalReferenceId: no second POST, no duplicate", async () => {
  await h.admin("POST", "/admin/faults", { kind: "lostAnswer", method: "POST" });
  const body = validReferral();
  const before = h.requests.length;
  const { referral, recovered } = await h.client.createReferral(body);
  expect(recovered).toBe(true);
  expect(referral.externalReferenceId).toBe(body.externalReferenceId);
  expect(methodsSince(before)).toEqual(["POST referrals", "GET list"]);
  expect(await stored(body.externalReferenceId)).toBe(1);
});

it("a create dropped before it was applied is looked up, not found, and sent once more", async () => {
  await h.admin("POST", "/admin/faults", { kind: "drop", method: "POST" });
  const body = validReferral();
  const before = h.requests.length;
  const { recovered } = await h.client.createReferral(body);
  expect(recovered).toBe(false);
  expect(methodsSince(before)).toEqual(["POST referrals", "GET list", "POST referrals"]);
  expect(await stored(body.externalReferenceId)).toBe(1);
});

it("a create that times out while the service is still working is given time to land before the look-up", async () => {
  const slow = await startHarness({}, { timeoutMs: 250, createSettleMs: 1_200 });
  try {
    await slow.admin("POST", "/admin/faults", { kind: "latency", method: "POST", latencyMs: 400 });
    const body = validReferral();
    const { recovered } = await slow.client.createReferral(body);
    expect(recovered).toBe(true);
    const all = (await slow.admin("GET", "/admin/referrals")).body as { value: unknown[] };
    expect(all.value.length).toBe(1);
  } finally {
    await slow.pc.close();
  }
});

it("an injected 503 on create (not applied) leads to a look-up and one more POST", async () => {
  await h.admin("POST", "/admin/faults", { kind: "status", status: 503, method: "POST" });
  const body = validReferral();
  const before = h.requests.length;
  await h.client.createReferral(body);
  expect(methodsSince(before)).toEqual(["POST referrals", "GET list", "POST referrals"]);
  expect(await stored(body.externalReferenceId)).toBe(1);
});

it("a lost create whose look-up also fails is reported as possibly applied; mayExist then finds it", async () => {
  await h.admin("POST", "/admin/faults", { kind: "lostAnswer", method: "POST" });
  await h.admin("POST", "/admin/faults", { kind: "drop", method: "GET", times: 4 });
  const body = validReferral();
  const e = await failureOf(h.client.createReferral(body));
  expect([e.operation, e.outcomeUnknown]).toEqual(["createReferral", true]);
  expect(await stored(body.externalReferenceId)).toBe(1);
  const before = h.requests.length;
  const { recovered } = await h.client.createReferral(body, {}, { mayExist: true });
  expect(recovered).toBe(true);
  expect(methodsSince(before)).toEqual(["GET list"]);
  expect(await stored(body.externalReferenceId)).toBe(1);
});

it("a 500 on create is not repeated in-process; it is flagged possibly applied and a later mayExist create posts once", async () => {
  await h.admin("POST", "/admin/faults", { kind: "status", status: 500, method: "POST" });
  const body = validReferral();
  const e = await failureOf(h.client.createReferral(body));
  expect([e.status, e.category, e.outcomeUnknown, e.attempts]).toEqual([500, "transient", true, 1]);
  const before = h.requests.length;
  const { recovered } = await h.client.createReferral(body, {}, { mayExist: true });
  expect(recovered).toBe(false);
  expect(methodsSince(before)).toEqual(["GET list", "POST referrals"]);
  expect(await stored(body.externalReferenceId)).toBe(1);
});

it("refuses to create without an externalReferenceId, since it could not be made safe", async () => {
  const body = validReferral({ externalReferenceId: "" });
  const e = await failureOf(h.client.createReferral(body));
  expect([e.category, e.attempts]).toEqual(["validation", 0]);
});

it("a dropped GET and a slow body past the timeout are retried", async () => {
  const { referral } = await h.client.createReferral(validReferral());
  await h.admin("POST", "/admin/faults", { kind: "drop", method: "GET" });
  expect((await h.client.getReferral(referral.id)).id).toBe(referral.id);
  const slow = await startHarness({}, { timeoutMs: 200 });
  try {
    const created = await slow.client.createReferral(validReferral());
    await slow.admin("POST", "/admin/faults", { kind: "slowBody", method: "GET", slowBodyMs: 1000 });
    const before = slow.counter.forOperation("getReferral");
    expect((await slow.client.getReferral(created.referral.id)).id).toBe(created.referral.id);
    expect(slow.counter.forOperation("getReferral") - before).toBe(2);
  } finally {
    await slow.pc.close();
  }
});

it("PATCH with If-Match whose answer was lost is retried and meets 412, so the change is not applied twice", async () => {
  const { referral } = await h.client.createReferral(validReferral());
  await h.admin("POST", "/admin/faults", { kind: "lostAnswer", method: "PATCH" });
  const member = { firstName: "Ann", lastName: "Lee", email: "ann@partner.example" };
  const e = await failureOf(
    h.client.patchReferral(referral.id, [{ op: "add", path: "/team/-", value: member }], { ifMatch: referral.eTag }),
  );
  expect([e.status, e.category]).toEqual([412, "conflict"]);
  const read = await h.client.getReferral(referral.id);
  expect(read.team?.filter((m) => m.email === member.email).length).toBe(1);
});

it("chaos: under random 503s, drops and lost answers, 40 creates make at most one referral each", async () => {
  await h.admin("PATCH", "/admin/config", {
    faults: { errorRates: { "503": 0.15 }, dropRate: 0.1, lostAnswerRate: 0.2, seed: 42 },
  });
  const bodies = Array.from({ length: 40 }, () => validReferral());
  const results = await Promise.allSettled(bodies.map((b) => h.client.createReferral(b)));
  await h.admin("PATCH", "/admin/config", { faults: { errorRates: {}, dropRate: 0, lostAnswerRate: 0 } });
  const all = (
    (await h.admin("GET", "/admin/referrals")).body as { value: { externalReferenceId: string; id: string }[] }
  ).value;
  for (const [i, b] of bodies.entries()) {
    const copies = all.filter((r) => r.externalReferenceId === b.externalReferenceId);
    expect(copies.length).toBeLessThanOrEqual(1);
    const result = results[i]!;
    if (result.status === "fulfilled") expect(copies.map((c) => c.id)).toEqual([result.value.referral.id]);
  }
  expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThan(30);
  expect(results.some((r) => r.status === "fulfilled" && r.value.recovered)).toBe(true);
});
