import { createProxyClient, parseRetryAfter, syncUrl } from "../../webresources/src/proxyClient";
import { TokenError, type TokenSource } from "../../webresources/src/tokenSource";
import { errorBody, FakeProxy, syncResponse } from "./fakeProxy";

const REQUEST = { opportunityId: "0bb00000-0000-4000-8000-000000000001", trigger: "sync-now" } as const;

describe("proxyClient (against a local HTTP server speaking the syncApi contract)", () => {
  let proxy: FakeProxy;
  let tokens: TokenSource & { calls: { forceRefresh?: boolean }[] };
  beforeEach(async () => {
    proxy = await new FakeProxy().start();
    const calls: { forceRefresh?: boolean }[] = [];
    tokens = {
      calls,
      async getToken(options = {}) {
        calls.push(options);
        const response = await fetch(`${proxy.url}/dev/token`, { method: "POST", body: "{}" });
        return ((await response.json()) as { access_token: string }).access_token;
      },
    };
  });
  afterEach(() => proxy.stop());

  const client = (timeoutMs = 300) => createProxyClient({ baseUrl: proxy.url, tokens, timeoutMs, retryDelayMs: 5 });

  it("posts the contract's body with a bearer token and returns the response", async () => {
    proxy.syncQueue.push({ type: "json", status: 200, body: syncResponse({ outcome: "updated", apiCalls: 1 }) });
    const result = await client().sync(REQUEST);
    expect(result).toMatchObject({ ok: true, attempts: 1, response: { outcome: "updated" } });
    expect(proxy.syncRequests).toEqual([{ body: REQUEST, authorization: "Bearer dev-token-1" }]);
  });

  it("a 400 from the proxy is a rejection with its message, not retried", async () => {
    proxy.syncQueue.push({ type: "json", status: 400, body: errorBody("badRequest", "trigger is not a form trigger") });
    const result = await client().sync(REQUEST);
    expect(result).toEqual({
      ok: false,
      attempts: 1,
      failure: { kind: "rejected", status: 400, code: "badRequest", message: "trigger is not a form trigger" },
    });
  });

  it("an answer that is not a SyncResponse is rejected as invalid", async () => {
    proxy.syncQueue.push({ type: "json", status: 200, body: { hello: "world" } });
    const result = await client().sync(REQUEST);
    expect(result).toMatchObject({ ok: false, failure: { kind: "rejected", code: "invalidResponse" } });
  });

  it("a blocked SyncResponse is 'not ready' whether it comes as 200 or as 422", async () => {
    const failures = [
      {
        ruleId: "R4",
        field: { table: "opportunity", column: "transactioncurrencyid" },
        messageKey: "readiness.currency.missing",
        params: {},
      },
    ];
    proxy.syncQueue.push(
      {
        type: "json",
        status: 200,
        body: syncResponse({ outcome: "blocked", syncState: "Blocked", failures: failures as never }),
      },
      {
        type: "json",
        status: 422,
        body: syncResponse({ outcome: "blocked", syncState: "Blocked", failures: failures as never }),
      },
    );
    for (let i = 0; i < 2; i++) {
      expect(await client().sync(REQUEST)).toMatchObject({
        ok: false,
        attempts: 1,
        failure: { kind: "notReady", failures },
      });
    }
  });

  it("a 500 is not retried (only 502/503/504, network errors and timeouts are)", async () => {
    proxy.syncQueue.push({ type: "json", status: 500, body: errorBody("internal", "boom") });
    const result = await client().sync(REQUEST);
    expect(result.attempts).toBe(1);
    expect(proxy.syncRequests).toHaveLength(1);
  });

  it("429 with an HTTP-date Retry-After gives the seconds to wait", async () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    proxy.syncQueue.push({
      type: "json",
      status: 429,
      body: errorBody("throttled", "busy"),
      headers: { "Retry-After": at },
    });
    const result = await client().sync(REQUEST);
    expect(result.ok).toBe(false);
    const failure = (result as { failure: { kind: string; retryAfterSeconds: number } }).failure;
    expect(failure.kind).toBe("throttled");
    expect(failure.retryAfterSeconds).toBeGreaterThanOrEqual(88);
    expect(failure.retryAfterSeconds).toBeLessThanOrEqual(90);
  });

  it("429 without Retry-After has no wait", async () => {
    proxy.syncQueue.push({ type: "json", status: 429, body: errorBody("throttled", "busy") });
    expect(await client().sync(REQUEST)).toMatchObject({ failure: { kind: "throttled", retryAfterSeconds: null } });
  });

  it("401 twice is a token failure; the second attempt asked for a fresh token", async () => {
    proxy.revokeTokens();
    const revokeEach = () => proxy.revokeTokens();
    proxy.onSyncArrived = revokeEach;
    const result = await client().sync(REQUEST);
    expect(result).toMatchObject({ ok: false, attempts: 2, failure: { kind: "token", interactionRequired: false } });
    expect(tokens.calls).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
  });

  it("a token source failure is a token failure with its detail and no request", async () => {
    const failing: TokenSource = {
      getToken: () => Promise.reject(new TokenError("interaction_required", true)),
    };
    const result = await createProxyClient({ baseUrl: proxy.url, tokens: failing }).sync(REQUEST);
    expect(result).toEqual({
      ok: false,
      attempts: 1,
      failure: { kind: "token", detail: "interaction_required", interactionRequired: true },
    });
    expect(proxy.syncRequests).toHaveLength(0);
  });

  it("joins base URLs with or without a trailing slash, absolute or relative", () => {
    expect(syncUrl("https://proxy.contoso.example/")).toBe("https://proxy.contoso.example/api/sync");
    expect(syncUrl("https://proxy.contoso.example/referrals")).toBe("https://proxy.contoso.example/referrals/api/sync");
    expect(syncUrl("/referral-proxy//")).toBe("/referral-proxy/api/sync");
  });

  it("parses Retry-After seconds and dates, and refuses nonsense", () => {
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter("Wed, 25 Nov 2026 12:01:00 GMT", Date.parse("2026-11-25T12:00:00Z"))).toBe(60);
    expect(parseRetryAfter("Wed, 25 Nov 2026 11:00:00 GMT", Date.parse("2026-11-25T12:00:00Z"))).toBe(0);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
