import { HttpRequest, InvocationContext } from "@azure/functions";
import type { FastifyInstance } from "fastify";
import type { Referral } from "../../domain";
import { WebhookRegistrationClient } from "../../plugins-ts/src/partnerCenter/webhookRegistrationClient";
import { REFERRAL_WEBHOOK_EVENTS, WebhookSignatureVerifier } from "../../plugins-ts/src/partnerCenter/webhookSignature";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { createCallerAuthenticator, type Caller } from "../../plugins-ts/src/auth/callerAuthentication";
import { AUDIT_TRIGGER_VALUES } from "../../solution/schema/productChoices";
import { createFunctionsHandler } from "../../plugins-ts/src/functions/functionsAdapter";
import { WebhookRefused } from "../../plugins-ts/src/server/httpErrors";
import { buildProxyServer } from "../../plugins-ts/src/server/proxyServer";
import type { ProxyServices } from "../../plugins-ts/src/server/proxyServices";
import { type SyncEnvironment } from "../../plugins-ts/src/sync/outboundSync";
import type { OpportunitySyncStore } from "../../plugins-ts/src/sync/syncPorts";
import { createDevelopmentIssuer, type DevelopmentIssuer } from "../emulators/identity/developmentIssuer";
import { NOW, readySnapshot } from "../domain/fixtures";
import { FAST_RETRIES, startHarness, type Harness } from "../partner-center/harness";
import {
  InMemoryAudit,
  InMemoryQuota,
  InMemoryState,
  InMemorySyncStore,
  testSyncEnvironment,
} from "./inMemorySyncStore";

/** The proxy's HTTP surface over real HTTP: identity issuer, Partner Center emulator, signed webhooks. */

const SELLER = "aaaaaaaa-0000-4000-8000-000000000001";
const READ_ONLY = "aaaaaaaa-0000-4000-8000-000000000002";
const APP_USER = "aaaaaaaa-0000-4000-8000-0000000000ff";
const SECRET = "a-long-shared-webhook-secret-for-tests-only";
const ORIGIN = "https://contoso.crm.dynamics.com";
const OPP = readySnapshot().id.toLowerCase();

let h: Harness;
let idp: DevelopmentIssuer;
let app: FastifyInstance;
let proxyUrl: string;
let store: InMemorySyncStore;
let audit: InMemoryAudit;
let quota: InMemoryQuota;

/** Dataverse refuses a read-only seller's writes; the in-memory store plays that part. */
function asCaller(base: InMemorySyncStore, caller: Caller): OpportunitySyncStore {
  return {
    read: (id) => base.read(id),
    findForReferral: (r) => base.findForReferral(r),
    createFromReferral: (r, s) => base.createFromReferral(r, s),
    listDueRetries: (n, l) => base.listDueRetries(n, l),
    listSyncEnabled: (a, l) => base.listSyncEnabled(a, l),
    write: async (id, etag, changes) => {
      if (caller.objectId === READ_ONLY)
        throw Object.assign(new Error("no write privilege"), { category: "forbidden" });
      return base.write(id, etag, changes);
    },
  };
}

beforeAll(async () => {
  h = await startHarness({ delivery: { backoffBaseMs: 1, backoffMaxMs: 5 } });
  idp = await createDevelopmentIssuer();
  store = new InMemorySyncStore();
  audit = new InMemoryAudit();
  quota = new InMemoryQuota();
  const env = (s: OpportunitySyncStore): SyncEnvironment =>
    testSyncEnvironment({ referrals: h.client, store: s, audit, quota });
  const verifier = new WebhookSignatureVerifier({
    trustedRootCertificatesPem: [h.pc.trust.rootCertificatePem],
    issuerOrganization: "Microsoft Corporation",
    allowedCertificateUrlPrefixes: [`${h.pc.baseUrl}/webhooks/certificates/`],
  });
  const services: ProxyServices = {
    authenticate: createCallerAuthenticator({
      issuer: idp.issuer,
      audience: idp.audience,
      jwksUri: null,
      allowedTenants: [idp.tenantId],
    }),
    forCaller: (caller) => env(asCaller(store, caller)),
    application: { ...env(store), referrals: h.client, state: new InMemoryState() },
    applicationUserId: APP_USER,
    verifyPartnerCenterWebhook: async (headers, body) => {
      const result = await verifier.verify(headers, body);
      if (!result.ok) throw new WebhookRefused(result.reason);
    },
    health: async () => ({
      status: "ok",
      mode: "emulator",
      checks: { partnerCenter: { ok: true, detail: "reachable" } },
    }),
  };
  app = await buildProxyServer(
    {
      allowedOrigins: [ORIGIN],
      maxBodyBytes: 1_048_576,
      dailyBudget: 10_000,
      webhooks: { dataverseSecret: SECRET } as never,
    },
    services,
  );
  proxyUrl = await app.listen({ port: 0, host: "127.0.0.1" });
});

afterAll(async () => {
  await app.close();
  await idp.close();
  await h.pc.close();
});

beforeEach(async () => {
  await h.admin("POST", "/admin/reset");
  store.put(readySnapshot());
  store.writes.length = 0;
  audit.entries.length = 0;
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${proxyUrl}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const bearer = async (oid = SELLER, extra: Parameters<DevelopmentIssuer["issue"]>[0] = { oid }) => ({
  Authorization: `Bearer ${await idp.issue({ ...extra, oid })}`,
});
const referrals = async () => ((await h.admin("GET", "/admin/referrals")).body as { value: Referral[] }).value;

describe("POST /api/sync", () => {
  it("a seller's toggle creates the referral", async () => {
    const res = await post("/api/sync", { opportunityId: OPP, trigger: "toggle" }, await bearer());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: "created", syncState: "Synced", apiCalls: 1 });
    expect(await referrals()).toHaveLength(1);
  });

  const refused: [string, () => Promise<Record<string, string>>, number, string][] = [
    ["no token", async () => ({}), 401, "unauthorized"],
    [
      "a forged token",
      async () => ({ Authorization: `Bearer ${await idp.forge({ oid: SELLER })}` }),
      401,
      "unauthorized",
    ],
    ["an expired token", () => bearer(SELLER, { oid: SELLER, lifetimeSeconds: -600 }), 401, "unauthorized"],
    [
      "a token for another audience",
      () => bearer(SELLER, { oid: SELLER, aud: "api://someone-else" }),
      401,
      "unauthorized",
    ],
    [
      "a token from another tenant",
      () => bearer(SELLER, { oid: SELLER, tid: "99999999-9999-4999-8999-999999999999" }),
      403,
      "forbidden",
    ],
    ["a seller who may only read the opportunity", () => bearer(READ_ONLY), 403, "forbidden"],
  ];
  it.each(refused)("%s: refused, and nothing changes", async (_name, headers, status, code) => {
    const res = await post("/api/sync", { opportunityId: OPP, trigger: "toggle" }, await headers());
    expect(res.status).toBe(status);
    expect((res.body.error as { code: string }).code).toBe(code);
    expect(store.writes).toHaveLength(0);
    expect(await referrals()).toHaveLength(0);
  });

  const invalid: [string, unknown, number, string | undefined][] = [
    ["missing opportunityId", { trigger: "toggle" }, 400, "opportunityId"],
    ["not a GUID", { opportunityId: "1 or 1=1", trigger: "toggle" }, 400, "opportunityId"],
    ["a trigger the form may not send", { opportunityId: OPP, trigger: "backfill" }, 400, "trigger"],
    ["an extra member", { opportunityId: OPP, trigger: "toggle", admin: true }, 400, undefined],
    ["not JSON", "{oops", 400, undefined],
    ["a huge body", { opportunityId: OPP, trigger: "toggle", pad: "x".repeat(10_000) }, 413, undefined],
  ];
  it.each(invalid)("%s: refused with a specific message", async (_name, body, status, target) => {
    const res = await post("/api/sync", body, await bearer());
    expect(res.status).toBe(status);
    const error = res.body.error as { message: string; target?: string };
    expect(error.message.length).toBeGreaterThan(5);
    if (target) expect(error.target).toBe(target);
    expect(store.writes).toHaveLength(0);
  });

  it("a read-only seller cannot push a pending change: refused before anything reaches Partner Center", async () => {
    await post("/api/sync", { opportunityId: OPP, trigger: "toggle" }, await bearer());
    store.userSave(OPP, (s) => (s.estimatedValue = 777));
    const patches = h.requests.filter((r) => r.method === "PATCH").length;
    const res = await post("/api/sync", { opportunityId: OPP, trigger: "sync-now" }, await bearer(READ_ONLY));
    expect(res.status).toBe(403);
    expect(h.requests.filter((r) => r.method === "PATCH").length).toBe(patches);
    expect((await referrals())[0]!.details?.dealValue).toBe(125000);
  });

  it("an unknown opportunity: 404", async () => {
    const res = await post(
      "/api/sync",
      { opportunityId: "00000000-0000-4000-8000-00000000dead", trigger: "toggle" },
      await bearer(),
    );
    expect(res.status).toBe(404);
  });

  it("CORS answers only the configured origin", async () => {
    const preflight = (origin: string) =>
      fetch(`${proxyUrl}/api/sync`, {
        method: "OPTIONS",
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization,content-type",
        },
      });
    expect((await preflight(ORIGIN)).headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("POST /api/webhooks/dataverse", () => {
  const context = (extra: Record<string, unknown> = {}) => ({
    MessageName: "Update",
    PrimaryEntityName: "opportunity",
    PrimaryEntityId: OPP,
    InitiatingUserId: SELLER,
    UserId: SELLER,
    Depth: 1,
    CorrelationId: "c0ffee00-0000-4000-8000-000000000000",
    InputParameters: [{ key: "Target", value: { Attributes: [{ key: "pcs_syncwithpartnercenter", value: true }] } }],
    ...extra,
  });

  it("refuses a wrong or missing secret before anything else", async () => {
    expect((await post("/api/webhooks/dataverse?code=wrong", context())).status).toBe(401);
    expect((await post("/api/webhooks/dataverse", context())).status).toBe(401);
    expect((await post("/api/webhooks/dataverse", { nonsense: true })).status).toBe(401);
    expect(await referrals()).toHaveLength(0);
  });

  it("a seller's change syncs; the echo of the proxy's own write costs nothing", async () => {
    const first = await post(`/api/webhooks/dataverse?code=${SECRET}`, context());
    expect(first).toMatchObject({ status: 200, body: { outcome: "created" } });
    const calls = h.counter.total;
    const echo = await post("/api/webhooks/dataverse", context({ InitiatingUserId: APP_USER, UserId: APP_USER }), {
      "x-pcs-webhook-key": SECRET,
    });
    expect(echo.body.outcome).toBe("unchanged");
    expect(h.counter.total).toBe(calls);
    expect(audit.entries.at(-1)?.operation).toBe("skip-echo");
  });

  it("a change the application user made on behalf of a seller (impersonation) is the seller's, not an echo", async () => {
    await post(`/api/webhooks/dataverse?code=${SECRET}`, context());
    const onBehalf = await post(
      `/api/webhooks/dataverse?code=${SECRET}`,
      context({ InitiatingUserId: APP_USER, UserId: SELLER }),
    );
    expect(onBehalf.body.outcome).toBe("unchanged");
    // Planned like any seller change (nothing differs), not waved through as the proxy's own write.
    expect(audit.entries.at(-1)?.operation).toBe("skip-no-change");
  });

  it("Retry from the status panel is recorded as a retry", async () => {
    const ctx = context({
      InputParameters: [
        {
          key: "Target",
          value: {
            Attributes: [
              { key: "pcs_syncrequestedon", value: "/Date(1764072000000)/" },
              {
                key: "pcs_syncrequesttrigger",
                value: {
                  __type: "OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts",
                  Value: AUDIT_TRIGGER_VALUES.retry,
                },
              },
            ],
          },
        },
      ],
    });
    await post(`/api/webhooks/dataverse?code=${SECRET}`, ctx);
    expect(audit.entries.at(-1)?.trigger).toBe("retry");
  });

  it("'Sync now' from the status panel is recorded as such", async () => {
    const ctx = context({
      InputParameters: [
        { key: "Target", value: { Attributes: [{ key: "pcs_syncrequestedon", value: "/Date(1764072000000)/" }] } },
      ],
    });
    await post(`/api/webhooks/dataverse?code=${SECRET}`, ctx);
    expect(audit.entries.at(-1)?.trigger).toBe("sync-now");
  });

  const malformed: [string, Record<string, unknown>][] = [
    ["another table", { PrimaryEntityName: "account" }],
    ["an unhandled message", { MessageName: "Delete" }],
    ["an id that is no GUID", { PrimaryEntityId: "') or true" }],
    ["a negative depth", { Depth: -1 }],
  ];
  it.each(malformed)("%s: 400", async (_name, extra) => {
    const res = await post(`/api/webhooks/dataverse?code=${SECRET}`, context(extra));
    expect(res.status).toBe(400);
    expect(await referrals()).toHaveLength(0);
  });
});

describe("POST /api/webhooks/partner-center", () => {
  it("Microsoft accepts: the emulator's signed delivery reaches the opportunity", async () => {
    const registrations = new WebhookRegistrationClient({
      baseUrl: h.pc.baseUrl,
      tokenProvider: new StaticTokenProvider("webhook-token"),
      retry: FAST_RETRIES,
    });
    await registrations.ensure(`${proxyUrl}/api/webhooks/partner-center`, REFERRAL_WEBHOOK_EVENTS);
    await post("/api/sync", { opportunityId: OPP, trigger: "toggle" }, await bearer());
    await h.pc.context.webhooks.whenIdle();
    const referralId = store.get(OPP).sync.referralId!;
    await h.admin("POST", `/admin/referrals/${referralId}/accept`);
    await h.pc.context.webhooks.whenIdle();
    expect(store.get(OPP).sync).toMatchObject({ referralStatus: "Active", referralSubstatus: "Accepted" });
    expect(audit.entries.some((e) => e.direction === "PartnerCenterToCrm" && e.trigger === "pc-webhook")).toBe(true);
  });

  it("a delivery without a signature, or with a tampered body, is refused and changes nothing", async () => {
    const body = {
      EventName: "referral-updated",
      ResourceUri: "https://api.partnercenter.microsoft.com/engagements/v1/referrals/abc",
      ResourceName: "referral",
      ResourceChangeUtcDate: NOW.toISOString(),
    };
    expect((await post("/api/webhooks/partner-center", body)).status).toBe(401);
    const forged = await post("/api/webhooks/partner-center", body, {
      Authorization: "Signature QUJD",
      "X-MS-Certificate-Url": `${h.pc.baseUrl}/webhooks/certificates/signing.cer`,
      "X-MS-Signature-Algorithm": "rsa-sha256",
    });
    expect(forged.status).toBe(401);
    expect(store.writes).toHaveLength(0);
  });
});

describe("status routes", () => {
  it("quota needs a signed-in user and reports the day's calls against the budget", async () => {
    expect((await fetch(`${proxyUrl}/api/quota`)).status).toBe(401);
    await quota.add("2026-11-25", 8_500);
    const res = await fetch(`${proxyUrl}/api/quota`, { headers: await bearer() });
    expect(await res.json()).toMatchObject({ day: "2026-11-25", budget: 10_000, warning: true, exhausted: false });
  });

  it("health answers without authentication", async () => {
    const res = await fetch(`${proxyUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });
});

describe("Azure Functions shape", () => {
  // Same routes, same schemas, same errors: the Functions handler hands each invocation to the app.
  const invoke = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const handle = createFunctionsHandler(async () => app);
    const res = await handle(
      new HttpRequest({
        method,
        url: `https://pcs-proxy.azurewebsites.net${path}`,
        headers: { "content-type": "application/json", ...headers },
        ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
      }),
      new InvocationContext({ functionName: "referralProxy", invocationId: "test" }),
    );
    const raw = res.body as Buffer | undefined;
    return {
      status: res.status,
      headers: res.headers as Record<string, string>,
      json: raw && raw.length ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {},
    };
  };

  it("syncs through the Functions handler exactly as through the server", async () => {
    const res = await invoke("POST", "/api/sync", { opportunityId: OPP, trigger: "toggle" }, await bearer());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ outcome: "created", apiCalls: 1 });
    expect(await referrals()).toHaveLength(1);
  });

  it("refuses the same bad input with the same error body", async () => {
    const noToken = await invoke("POST", "/api/sync", { opportunityId: OPP, trigger: "toggle" });
    expect(noToken).toMatchObject({ status: 401, json: { error: { code: "unauthorized" } } });
    const badBody = await invoke("POST", "/api/sync", { opportunityId: "nope", trigger: "toggle" }, await bearer());
    expect(badBody).toMatchObject({ status: 400, json: { error: { code: "badRequest", target: "opportunityId" } } });
    const hook = await invoke("POST", "/api/webhooks/dataverse?code=wrong", { MessageName: "Update" });
    expect(hook.status).toBe(401);
    expect(store.writes).toHaveLength(0);
  });
});
