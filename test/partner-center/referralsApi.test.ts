import { SignJWT } from "jose";
import type { JsonPatchOperation, Referral } from "../../domain";
import { PartnerCenterError } from "../../plugins-ts/src/partnerCenter/failureClassification";
import { PartnerCenterClient } from "../../plugins-ts/src/partnerCenter/partnerCenterClient";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { errorResponseErrors, referralResponseErrors } from "../contracts/partner-center/referralContract";
import { FAST_RETRIES, startHarness, validReferral, type Harness } from "./harness";

/** The Referrals API over real HTTP: create/get/patch/put, every documented error status, tokens. */

async function failure(p: Promise<unknown>): Promise<PartnerCenterError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PartnerCenterError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    auth: { tokens: { "emulator-token": "referralsAdmin", "no-role-token": "noReferralsRole" } },
  });
});

afterAll(async () => {
  await h.pc.close();
});

afterEach(() => {
  // Every answer the emulator gave in these tests conforms to the contract.
  expect(h.violations.filter((v) => v.direction === "response")).toEqual([]);
});

describe("create and read", () => {
  it("creates a referral with server-owned members, an eTag in body and header, and reads it back", async () => {
    const body = validReferral();
    const { referral, recovered } = await h.client.createReferral(body);
    expect(recovered).toBe(false);
    expect(referral.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(referral.externalReferenceId).toBe(body.externalReferenceId);
    expect(referral.status).toBe("New");
    expect(referral.substatus).toBe("Pending");
    expect(referral.eTag).toMatch(/^".+"$/);
    expect(referral.createdDateTime).toBe(referral.updatedDateTime);
    const raw = await h.raw("GET", `/v1.0/engagements/referrals/${referral.id}`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get("etag")).toBe(referral.eTag);
    const read = await h.client.getReferral(referral.id);
    expect(read).toEqual(referral);
    expect(h.violations).toEqual([]);
  });

  it("answers 201 with Location, and echoes client-request-id and MS-CorrelationId", async () => {
    const res = await h.raw("POST", "/v1.0/engagements/referrals", {
      body: JSON.stringify(validReferral()),
      headers: { "client-request-id": "11111111-2222-3333-4444-555555555555", "MS-CorrelationId": "sync-42" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${h.pc.baseUrl}/v1.0/engagements/referrals/${(res.body as Referral).id}`);
    expect(res.headers.get("client-request-id")).toBe("11111111-2222-3333-4444-555555555555");
    expect(res.headers.get("ms-correlationid")).toBe("sync-42");
    expect(res.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends one client-request-id per call and the caller's MS-CorrelationId on every call of a sync", async () => {
    const before = h.requests.length;
    const { referral } = await h.client.createReferral(validReferral(), { correlationId: "sync-7" });
    await h.client.getReferral(referral.id, { correlationId: "sync-7" });
    const sent = h.requests.slice(before);
    expect(sent.map((r) => r.headers.get("ms-correlationid"))).toEqual(["sync-7", "sync-7"]);
    const ids = sent.map((r) => r.headers.get("client-request-id"));
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("can come back Active/Accepted on create, as in the 2019 create example, when configured so", async () => {
    const other = await startHarness({ newReferralStatus: "accepted" });
    try {
      const { referral } = await other.client.createReferral(validReferral());
      expect([referral.status, referral.substatus]).toEqual(["Active", "Accepted"]);
      expect(referral.acceptedDateTime).toBe(referral.createdDateTime);
    } finally {
      await other.pc.close();
    }
  });
});

describe("errors", () => {
  it("401 unauthenticated without a bearer token, with the documented error body", async () => {
    const res = await fetch(`${h.pc.baseUrl}/v1.0/engagements/referrals`);
    expect(res.status).toBe(401);
    const body: unknown = await res.json();
    expect(errorResponseErrors(401, body)).toEqual([]);
    expect(body).toMatchObject({ error: { code: "unauthenticated", target: "Authorization" } });
  });

  it("401 classified as auth for a token the service does not know", async () => {
    const client = new PartnerCenterClient({
      baseUrl: h.pc.baseUrl,
      tokenProvider: new StaticTokenProvider("stolen"),
      retry: FAST_RETRIES,
    });
    const e = await failure(client.listPage({}));
    expect([e.status, e.category, e.code, e.attempts]).toEqual([401, "auth", "unauthenticated", 1]);
  });

  it("403 classified as forbidden for a user without a Referrals role", async () => {
    const client = new PartnerCenterClient({
      baseUrl: h.pc.baseUrl,
      tokenProvider: new StaticTokenProvider("no-role-token"),
      retry: FAST_RETRIES,
    });
    const e = await failure(client.createReferral(validReferral()));
    expect([e.status, e.category, e.code]).toEqual([403, "forbidden", "accessDenied"]);
    expect(await h.admin("GET", "/admin/referrals")).toMatchObject({ status: 200 });
  });

  it("404 itemNotFound classified as notFound", async () => {
    const e = await failure(h.client.getReferral("00000000-0000-0000-0000-000000000000"));
    expect([e.status, e.category, e.code, e.target]).toEqual([404, "notFound", "itemNotFound", "id"]);
  });

  it("400 invalidRequest naming the member, for a country that is not ISO 3166-1 alpha-2", async () => {
    const body = validReferral();
    body.customerProfile.address.country = "Korea";
    const e = await failure(h.client.createReferral(body));
    expect([e.status, e.category, e.code, e.target]).toEqual([
      400,
      "validation",
      "invalidRequest",
      "/customerProfile/address/country",
    ]);
    // The contract validator agrees with the emulator about this request.
    expect(
      h.violations.some(
        (v) => v.direction === "request" && v.errors.some((x) => x.path === "/customerProfile/address/country"),
      ),
    ).toBe(true);
  });

  it("400 for a currency that is not ISO 4217 and for a substatus that does not fit the status", async () => {
    const badCurrency = validReferral();
    badCurrency.details.currency = "WON";
    expect((await failure(h.client.createReferral(badCurrency))).target).toBe("/details/currency");
    const badPair = validReferral({ status: "Active", substatus: "Pending" });
    expect((await failure(h.client.createReferral(badPair))).target).toBe("/substatus");
  });

  it("400 when a required member (type, customerProfile, consent, details) is missing", async () => {
    for (const member of ["type", "customerProfile", "consent", "details"] as const) {
      const body: Record<string, unknown> = { ...validReferral() };
      delete body[member];
      const res = await h.raw("POST", "/v1.0/engagements/referrals", { body: JSON.stringify(body) });
      expect([res.status, (res.body as { error: { target: string } }).error.target]).toEqual([400, `/${member}`]);
    }
  });

  it("400 for malformed JSON, 415 for a body that is not JSON, 404 for an unknown path", async () => {
    expect((await h.raw("POST", "/v1.0/engagements/referrals", { body: "{not json" })).status).toBe(400);
    const text = await h.raw("POST", "/v1.0/engagements/referrals", {
      body: "hello",
      headers: { "Content-Type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect(errorResponseErrors(415, text.body)).toEqual([]);
    expect((await h.raw("GET", "/v1.0/engagements/nothing")).status).toBe(404);
  });

  it("413 with the documented error body for a body over the size limit", async () => {
    const body = validReferral();
    body.details.notes = "x".repeat(1_100_000);
    const res = await h.raw("POST", "/v1.0/engagements/referrals", { body: JSON.stringify(body) });
    expect(res.status).toBe(413);
    expect(errorResponseErrors(413, res.body)).toEqual([]);
  });

  it("judges JWTs: expired → 401, wrong audience → 401, app-only → 403, delegated → 200", async () => {
    const pc = await startHarness();
    try {
      const key = new TextEncoder().encode("not-verified-by-the-emulator-0123456789");
      const jwt = (claims: Record<string, unknown>, exp: number) =>
        new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setExpirationTime(exp).sign(key);
      const inAnHour = Math.floor(Date.now() / 1000) + 3600;
      const call = async (token: string) =>
        (await fetch(`${pc.pc.baseUrl}/v1.0/engagements/referrals`, { headers: { Authorization: `Bearer ${token}` } }))
          .status;
      expect(
        await call(
          await jwt(
            { aud: "https://api.partner.microsoft.com", scp: "user_impersonation" },
            Math.floor(Date.now() / 1000) - 10,
          ),
        ),
      ).toBe(401);
      expect(await call(await jwt({ aud: "https://graph.microsoft.com", scp: "user_impersonation" }, inAnHour))).toBe(
        401,
      );
      expect(await call(await jwt({ aud: "https://api.partner.microsoft.com", roles: ["x"] }, inAnHour))).toBe(403);
      expect(
        await call(await jwt({ aud: "https://api.partner.microsoft.com", scp: "user_impersonation" }, inAnHour)),
      ).toBe(200);
    } finally {
      await pc.pc.close();
    }
  });
});

describe("PATCH", () => {
  const notes = (text: string): JsonPatchOperation[] => [{ op: "replace", path: "/details/notes", value: text }];

  it("applies replace/add, changes eTag and updatedDateTime, and returns the referral with Prefer", async () => {
    const { referral } = await h.client.createReferral(validReferral());
    const updated = await h.client.patchReferral(
      referral.id,
      [
        { op: "replace", path: "/details/dealValue", value: 75000 },
        { op: "add", path: "/team/-", value: { firstName: "Ann", lastName: "Lee", email: "ann@partner.example" } },
      ],
      { ifMatch: referral.eTag },
    );
    expect(updated.details?.dealValue).toBe(75000);
    expect(updated.team?.map((m) => m.email)).toEqual(["joe@partner.example", "ann@partner.example"]);
    expect(updated.eTag).not.toBe(referral.eTag);
    expect(updated.updatedDateTime! > referral.updatedDateTime!).toBe(true);
    expect(updated.createdDateTime).toBe(referral.createdDateTime);
  });

  it("answers 204 with no body and the new ETag without Prefer", async () => {
    const { referral } = await h.client.createReferral(validReferral());
    const res = await h.raw("PATCH", `/v1.0/engagements/referrals/${referral.id}`, {
      body: JSON.stringify(notes("x")),
    });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    const read = await h.client.getReferral(referral.id);
    expect(res.headers.get("etag")).toBe(read.eTag);
    expect(read.details?.notes).toBe("x");
  });

  it("412 preconditionFailed on a stale eTag, classified as conflict, and nothing is changed", async () => {
    const { referral } = await h.client.createReferral(validReferral());
    const fresh = await h.client.patchReferral(referral.id, notes("first"), { ifMatch: referral.eTag });
    const e = await failure(h.client.patchReferral(referral.id, notes("second"), { ifMatch: referral.eTag }));
    expect([e.status, e.category, e.code, e.attempts]).toEqual([412, "conflict", "preconditionFailed", 1]);
    const read = await h.client.getReferral(referral.id);
    expect(read.details?.notes).toBe("first");
    expect(read.eTag).toBe(fresh.eTag);
  });

  it("400 for remove, for a path that is not PATCH-able, and for replace on a member that does not exist", async () => {
    const { referral } = await h.client.createReferral(
      validReferral({ details: { dealValue: 1, currency: "USD", closingDateTime: "2027-01-01T00:00:00Z" } }),
    );
    const path = `/v1.0/engagements/referrals/${referral.id}`;
    const remove = await h.raw("PATCH", path, { body: JSON.stringify([{ op: "remove", path: "/details/notes" }]) });
    expect(remove.status).toBe(400);
    const name = await h.raw("PATCH", path, { body: JSON.stringify([{ op: "replace", path: "/name", value: "x" }]) });
    expect(name.status).toBe(400);
    const missing = await h.raw("PATCH", path, { body: JSON.stringify(notes("x")) });
    expect([missing.status, (missing.body as { error: { target: string } }).error.target]).toEqual([
      400,
      "/details/notes",
    ]);
    const added = await h.raw("PATCH", path, {
      body: JSON.stringify([{ op: "add", path: "/details/notes", value: "x" }]),
    });
    expect(added.status).toBe(204);
  });

  it("enforces the transition table: Closed needs a matching substatus and is terminal", async () => {
    const { referral } = await h.client.createReferral(validReferral());
    const half = await failure(
      h.client.patchReferral(referral.id, [{ op: "replace", path: "/status", value: "Closed" }]),
    );
    expect([half.status, half.category]).toEqual([400, "validation"]);
    const closed = await h.client.patchReferral(referral.id, [
      { op: "replace", path: "/status", value: "Closed" },
      { op: "replace", path: "/substatus", value: "Won" },
    ]);
    expect([closed.status, closed.substatus]).toEqual(["Closed", "Won"]);
    expect(closed.closedDateTime).toBeDefined();
    const reopen = await failure(
      h.client.patchReferral(referral.id, [
        { op: "replace", path: "/status", value: "New" },
        { op: "replace", path: "/substatus", value: "Pending" },
      ]),
    );
    expect([reopen.status, reopen.target]).toEqual([400, "status"]);
    expect((await failure(h.client.patchReferral(referral.id, notes("late")))).status).toBe(400);
  });

  it("refuses Active → New and un-sharing a referral shared with Microsoft sellers", async () => {
    const { referral } = await h.client.createReferral(validReferral());
    await h.client.patchReferral(referral.id, [
      { op: "replace", path: "/status", value: "Active" },
      { op: "replace", path: "/substatus", value: "Accepted" },
    ]);
    const back = await failure(
      h.client.patchReferral(referral.id, [
        { op: "replace", path: "/status", value: "New" },
        { op: "replace", path: "/substatus", value: "Pending" },
      ]),
    );
    expect(back.status).toBe(400);
    const unshare = await failure(
      h.client.patchReferral(referral.id, [
        { op: "replace", path: "/consent/consentToShareReferralWithMicrosoftSellers", value: false },
      ]),
    );
    expect([unshare.status, unshare.target]).toEqual([400, "/consent/consentToShareReferralWithMicrosoftSellers"]);
  });
});

describe("PUT (obsolete full update)", () => {
  it("requires If-Match, refuses links, answers 412 on a stale eTag and 200 with the referral otherwise", async () => {
    const { referral } = await h.client.createReferral(validReferral());
    const path = `/v1.0/engagements/referrals/${referral.id}`;
    const { links: _links, ...withoutLinks } = referral;
    const noIfMatch = await h.raw("PUT", path, { body: JSON.stringify(withoutLinks) });
    expect([noIfMatch.status, (noIfMatch.body as { error: { target: string } }).error.target]).toEqual([
      400,
      "If-Match",
    ]);
    const withLinks = await h.raw("PUT", path, {
      body: JSON.stringify(referral),
      headers: { "If-Match": referral.eTag! },
    });
    expect([withLinks.status, (withLinks.body as { error: { target: string } }).error.target]).toEqual([400, "links"]);
    const updated = await h.client.replaceReferral({ ...referral, name: "Renamed" }, referral.eTag!);
    expect(updated.name).toBe("Renamed");
    expect(updated.eTag).not.toBe(referral.eTag);
    expect(referralResponseErrors(updated)).toEqual([]);
    const stale = await failure(h.client.replaceReferral({ ...referral, name: "Again" }, referral.eTag!));
    expect([stale.status, stale.category]).toEqual([412, "conflict"]);
  });
});
