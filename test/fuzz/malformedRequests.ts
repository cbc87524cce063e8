import fc from "fast-check";
import { FORM_TRIGGERS } from "../../domain";

/**
 * fast-check arbitraries of requests the proxy must refuse (or answer without any effect): every route and both
 * webhooks, with wrong types, missing and extra members, huge bodies, deep nesting, invalid GUIDs, OData
 * injection in ids, unknown event names, invalid UTF-8 and wrong content types. Pure: a request is data, and the
 * fuzz run supplies the secrets (token, webhook key, signature) through `Credentials` when it sends it.
 */

export type RouteName =
  | "POST /api/sync"
  | "POST /api/webhooks/dataverse"
  | "POST /api/webhooks/partner-center"
  | "GET /api/health"
  | "GET /api/quota"
  | "other";

export type Credential =
  | { kind: "none" }
  | { kind: "sellerToken" }
  | { kind: "header"; name: string; value: string }
  | { kind: "webhookKey"; as: "query" | "header" }
  | { kind: "pcSignature"; valid: boolean };

export interface FuzzRequest {
  route: RouteName;
  method: string;
  /** Path and query, e.g. /api/sync or /api/webhooks/dataverse?code=… (the key is added when credentialed). */
  path: string;
  contentType: string | null;
  /** Raw bytes: the fuzzer controls every byte, including invalid UTF-8. */
  body: Buffer | null;
  credential: Credential;
  /** Sent over a real socket (huge bodies, invalid UTF-8), or through fastify's inject. */
  overHttp: boolean;
  /** What the case is, for the report. */
  label: string;
}

/** Things that must never reach an OData query: quotes, parentheses, $filter fragments, encodings of them. */
export const ODATA_INJECTIONS = [
  "'",
  "')",
  "' or 1 eq 1 or '",
  "') or (1 eq 1",
  "x' and startswith(name,'a') and 'a' eq 'a",
  "$filter=name eq 'x'",
  "&$filter=statecode eq 0",
  "%27%29%20or%20true",
  "00000000-0000-0000-0000-000000000000') or (true",
  "..%2f..%2fadmin",
  "\u0000",
  "referrals?$top=1",
];

const guidLike = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  fc.constantFrom(...ODATA_INJECTIONS),
  fc.uuid().map((g) => `${g}'`),
  fc.uuid().map((g) => `${g})`),
  fc.uuid().map((g) => g.replace(/[0-9a-f]$/, "g")),
  fc.uuid().map((g) => g.replace(/-/g, "")),
  fc.uuid().map((g) => `{${g}}`),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.integer().map(String),
);

/** A value of any JSON type, to put where a string or number belongs. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.string({ maxLength: 30 }),
);

/** An object built from some of the members, some of them wrong, plus extra members. */
function mutatedObject(members: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(members).map(([name, good]) =>
    fc.option(fc.oneof({ weight: 3, arbitrary: good }, wrongType), { nil: undefined }).map((v) => [name, v] as const),
  );
  const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 3,
  });
  return fc.tuple(fc.tuple(...fields), fc.option(extra, { nil: undefined })).map(([pairs, extras]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of pairs) if (v !== undefined) out[k] = v;
    return extras ? { ...out, ...extras } : out;
  });
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");

/**
 * A well-formed object with at most one member replaced by a bad value or dropped: gets past the schema often
 * enough to reach the code behind it (look-ups by id, the engine, Partner Center reads).
 */
function nearlyValid(
  good: Record<string, fc.Arbitrary<unknown>>,
  what: string,
): fc.Arbitrary<{ body: Buffer; label: string; overHttp: boolean }> {
  const bad = fc.oneof(wrongType, fc.constantFrom(...ODATA_INJECTIONS));
  return fc
    .tuple(
      fc.record(good),
      fc.option(fc.tuple(fc.constantFrom(...Object.keys(good)), fc.option(bad, { nil: undefined })), {
        nil: undefined,
      }),
    )
    .map(([value, change]) => {
      if (!change) return { body: json(value), label: `well-formed ${what}`, overHttp: false };
      const [key, replacement] = change;
      const copy: Record<string, unknown> = { ...value };
      if (replacement === undefined) delete copy[key];
      else copy[key] = replacement;
      return {
        body: json(copy),
        label: `${what}, ${replacement === undefined ? "without" : "bad"} ${key}`,
        overHttp: false,
      };
    });
}

/** Bodies that are not the expected object at all. */
const oddBody: fc.Arbitrary<{ body: Buffer; label: string; overHttp: boolean }> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({ body: json(v), label: "any JSON value", overHttp: false })),
  fc.string({ maxLength: 200 }).map((s) => ({ body: Buffer.from(s), label: "not JSON", overHttp: false })),
  fc.integer({ min: 1_000, max: 50_000 }).map((n) => ({
    body: Buffer.from(`${"[".repeat(n)}${"]".repeat(n)}`),
    label: `nested ${n} deep`,
    overHttp: false,
  })),
  fc.integer({ min: 500, max: 5_000 }).map((n) => ({
    body: Buffer.from(`${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
    label: `objects nested ${n} deep`,
    overHttp: false,
  })),
  fc.constantFrom(1.1, 2.5).map((mib) => ({
    body: Buffer.alloc(Math.round(mib * 1024 * 1024), "a"),
    label: `huge body (${mib} MiB)`,
    overHttp: true,
  })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({
    body: Buffer.concat([Buffer.from('{"opportunityId":"'), Buffer.from([0xff, 0xfe, ...bytes]), Buffer.from('"}')]),
    label: "invalid UTF-8",
    overHttp: true,
  })),
  fc.constant({ body: Buffer.alloc(0), label: "empty body", overHttp: false }),
);

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  fc.constantFrom(
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json; charset=latin1",
    "application/json-patch+json",
    "application/xml",
    "",
  ),
  fc.constant(null),
);

const sellerOrJunkToken: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Credential>({ kind: "sellerToken" }) },
  fc.constant<Credential>({ kind: "none" }),
  fc
    .oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom(
        "Bearer",
        "Bearer ",
        "Bearer a.b",
        "Bearer a.b.c",
        "Basic YTpi",
        "Bearer eyJhbGciOiJub25lIn0.e30.",
      ),
    )
    .map((value): Credential => ({ kind: "header", name: "authorization", value })),
);

export const syncRequests: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.oneof(
      {
        weight: 4,
        arbitrary: mutatedObject({ opportunityId: guidLike, trigger: fc.constantFrom(...FORM_TRIGGERS) }).map((o) => ({
          body: json(o),
          label: "sync body",
          overHttp: false,
        })),
      },
      {
        weight: 3,
        arbitrary: nearlyValid({ opportunityId: fc.uuid(), trigger: fc.constantFrom(...FORM_TRIGGERS) }, "sync body"),
      },
      oddBody,
    ),
    contentType,
    sellerOrJunkToken,
    fc.boolean(),
  )
  .map(([b, type, credential, http]) => ({
    route: "POST /api/sync",
    method: "POST",
    path: "/api/sync",
    contentType: type,
    body: b.body,
    credential,
    overHttp: b.overHttp || http,
    label: b.label,
  }));

const remoteExecutionContext = mutatedObject({
  MessageName: fc.constantFrom("Create", "Update", "Win", "Lose", "Delete", "Assign", "update", ""),
  PrimaryEntityName: fc.constantFrom("opportunity", "account", "Opportunity", "pcs_referralsyncaudit"),
  PrimaryEntityId: guidLike,
  InitiatingUserId: guidLike,
  UserId: guidLike,
  Depth: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constant(1)),
  CorrelationId: fc.string({ maxLength: 120 }),
  InputParameters: fc.oneof(
    fc.array(
      fc.record({
        key: fc.oneof(fc.constantFrom("Target", "pcs_syncrequestedon"), fc.string({ maxLength: 20 }), wrongType),
        value: fc.jsonValue({ maxDepth: 4 }),
      }),
      { maxLength: 5 },
    ),
    wrongType,
  ),
});

export const dataverseWebhookRequests: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.oneof(
      {
        weight: 4,
        arbitrary: remoteExecutionContext.map((o) => ({
          body: json(o),
          label: "RemoteExecutionContext",
          overHttp: false,
        })),
      },
      {
        weight: 3,
        arbitrary: nearlyValid(
          {
            MessageName: fc.constantFrom("Create", "Update", "Win", "Lose"),
            PrimaryEntityName: fc.constant("opportunity"),
            PrimaryEntityId: fc.uuid(),
            InitiatingUserId: fc.uuid(),
            UserId: fc.uuid(),
            Depth: fc.integer({ min: 1, max: 8 }),
            CorrelationId: fc.uuid(),
            InputParameters: fc.constantFrom(
              [{ key: "Target", value: { LogicalName: "opportunity", Attributes: [] } }],
              [{ key: "Target", value: { Attributes: [{ key: "pcs_syncrequestedon", value: "/Date(1)/" }] } }],
            ),
          },
          "RemoteExecutionContext",
        ),
      },
      oddBody,
    ),
    contentType,
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom<Credential>(
          { kind: "webhookKey", as: "query" },
          { kind: "webhookKey", as: "header" },
        ),
      },
      fc.constant<Credential>({ kind: "none" }),
      fc.string({ maxLength: 80 }).map((value): Credential => ({ kind: "header", name: "x-pcs-webhook-key", value })),
    ),
    fc.boolean(),
  )
  .map(([b, type, credential, http]) => ({
    route: "POST /api/webhooks/dataverse",
    method: "POST",
    path: "/api/webhooks/dataverse",
    contentType: type,
    body: b.body,
    credential,
    overHttp: b.overHttp || http,
    label: b.label,
  }));

/** Partner Center events; `{base}` in ResourceUri is replaced by the emulator's URL when sent, `{recent}` by a recent time. */
const partnerCenterEvent = mutatedObject({
  EventName: fc.oneof(
    fc.constantFrom(
      "referral-created",
      "referral-updated",
      "related-referral-created",
      "related-referral-updated",
      "test-created",
    ),
    fc.constantFrom("referral-deleted", "Referral-Created", "", "referral-created "),
    fc.string({ maxLength: 30 }),
  ),
  ResourceUri: fc.oneof(
    guidLike.map((id) => `{base}/engagements/v1/referrals/${id}`),
    fc.constantFrom(...ODATA_INJECTIONS).map((i) => `{base}/engagements/v1/referrals/${i}`),
    fc.constantFrom(
      "not a url",
      "/referrals/abc",
      "http://",
      "{base}/engagements/v1/referrals/%E0%A4%A",
      "javascript:alert(1)",
    ),
    fc.webUrl(),
    fc.string({ maxLength: 100 }),
  ),
  ResourceName: fc.constantFrom("referral", "test", "Referral", ""),
  AuditUri: fc.oneof(fc.constant(null), fc.webUrl()),
  ResourceChangeUtcDate: fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.string({ maxLength: 30 }),
  ),
});

export const partnerCenterWebhookRequests: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.oneof(
      {
        weight: 4,
        arbitrary: partnerCenterEvent.map((o) => ({ body: json(o), label: "Partner Center event", overHttp: false })),
      },
      {
        weight: 3,
        arbitrary: nearlyValid(
          {
            EventName: fc.constantFrom(
              "referral-created",
              "referral-updated",
              "related-referral-created",
              "related-referral-updated",
              "test-created",
            ),
            ResourceUri: fc.uuid().map((id) => `{base}/engagements/v1/referrals/${id}`),
            ResourceName: fc.constant("referral"),
            AuditUri: fc.constant(null),
            // "{recent}" becomes a time just before sending: within the proxy's replay window.
            ResourceChangeUtcDate: fc.constant("{recent}"),
          },
          "Partner Center event",
        ),
      },
      oddBody,
    ),
    contentType,
    fc.oneof(
      { weight: 3, arbitrary: fc.constant<Credential>({ kind: "pcSignature", valid: true }) },
      fc.constant<Credential>({ kind: "pcSignature", valid: false }),
      fc.constant<Credential>({ kind: "none" }),
    ),
    fc.boolean(),
  )
  .map(([b, type, credential, http]) => ({
    route: "POST /api/webhooks/partner-center",
    method: "POST",
    path: "/api/webhooks/partner-center",
    contentType: type,
    body: b.body,
    credential,
    overHttp: b.overHttp || http,
    label: `${b.label}, ${credential.kind === "pcSignature" ? (credential.valid ? "signed" : "badly signed") : "unsigned"}`,
  }));

const query = fc.oneof(
  fc.constant(""),
  fc.constantFrom(...ODATA_INJECTIONS).map((i) => `?id=${encodeURIComponent(i)}`),
  fc
    .dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 })
    .map((d) => `?${new URLSearchParams(d).toString()}`),
);

export const statusRequests: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.constantFrom("GET /api/health", "GET /api/quota") as fc.Arbitrary<"GET /api/health" | "GET /api/quota">,
    query,
    sellerOrJunkToken,
    fc.boolean(),
  )
  .map(([route, q, credential, http]) => ({
    route,
    method: "GET",
    path: `${route.slice(4)}${q}`,
    contentType: null,
    body: null,
    credential,
    overHttp: http,
    label: q ? "with a query" : "plain",
  }));

/** Other methods and paths: refused as not found, never routed to something else. */
export const strayRequests: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.constantFrom("PUT", "DELETE", "PATCH", "GET", "OPTIONS", "HEAD"),
    fc.oneof(
      fc.constantFrom("/api/sync", "/api/webhooks/dataverse", "/api/webhooks/partner-center"),
      fc.constantFrom(
        "/api/sync/../webhooks/dataverse",
        "/api//sync",
        "/api/SYNC",
        "/admin/referrals",
        "/api/%2e%2e/x",
        "/api/sync%00",
      ),
      fc.webPath(),
    ),
  )
  .filter(([method, path]) => !(method === "GET" && /^\/api\/(health|quota)$/.test(path)))
  .map(([method, path]) => ({
    route: "other",
    method,
    path: path.startsWith("/") ? path : `/${path}`,
    contentType: null,
    body: null,
    credential: { kind: "sellerToken" },
    overHttp: false,
    label: `${method} ${path.slice(0, 40)}`,
  }));

export const anyMalformedRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 4, arbitrary: syncRequests },
  { weight: 4, arbitrary: dataverseWebhookRequests },
  { weight: 4, arbitrary: partnerCenterWebhookRequests },
  { weight: 2, arbitrary: statusRequests },
  { weight: 1, arbitrary: strayRequests },
);
