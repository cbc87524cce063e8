import { PartnerCenterClient } from "../../plugins-ts/src/partnerCenter/partnerCenterClient";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { InMemoryCallCounter } from "../../plugins-ts/src/partnerCenter/callCounter";
import { classifyStatus } from "../../plugins-ts/src/partnerCenter/failureClassification";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs } from "../../plugins-ts/src/partnerCenter/retryPolicy";

/** The client's pure policies: Retry-After parsing, backoff, failure classification, call counting. */

it("reads Retry-After as seconds or an HTTP date, and ignores garbage", () => {
  const now = Date.parse("2026-11-25T10:00:00Z");
  expect(parseRetryAfter("57", now)).toBe(57_000);
  expect(parseRetryAfter("Wed, 25 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
  expect(parseRetryAfter("soon", now)).toBeUndefined();
  expect(parseRetryAfter(null, now)).toBeUndefined();
});

it("backs off exponentially with full jitter under a cap, and never waits less than Retry-After", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
  const top = () => 0.999999;
  expect([1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(policy, n, undefined, top))).toEqual([
    99, 199, 399, 799, 999, 999,
  ]);
  expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(0);
  expect(retryDelayMs(policy, 1, 3000, top)).toBe(3000);
  expect(retryDelayMs(policy, 5, 10, top)).toBe(999);
});

it("classifies every documented status", () => {
  const table = Object.fromEntries(
    [400, 401, 403, 404, 409, 410, 412, 415, 422, 429, 500, 501, 503, 504].map((s) => [s, classifyStatus(s)]),
  );
  expect(table).toEqual({
    400: "validation",
    401: "auth",
    403: "forbidden",
    404: "notFound",
    409: "conflict",
    410: "notFound",
    412: "conflict",
    415: "permanent",
    422: "validation",
    429: "throttled",
    500: "transient",
    501: "permanent",
    503: "transient",
    504: "transient",
  });
});

it("counts calls per UTC day and per operation", () => {
  const c = new InMemoryCallCounter();
  c.record({ operation: "createReferral", method: "POST", at: new Date("2026-11-25T23:59:59Z") });
  c.record({ operation: "listReferrals", method: "GET", at: new Date("2026-11-26T00:00:01Z") });
  c.record({ operation: "listReferrals", method: "GET", at: new Date("2026-11-26T08:00:00Z") });
  expect([c.forDay("2026-11-25"), c.forDay("2026-11-26"), c.forOperation("listReferrals"), c.total]).toEqual([
    1, 2, 2, 3,
  ]);
});

it("follows the docs' nextLink shape (http://, %-encoded $skiptoken) over https to the same host, query untouched", async () => {
  const urls: string[] = [];
  const page = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
  const client = new PartnerCenterClient({
    tokenProvider: new StaticTokenProvider("t"),
    fetch: async (url) => {
      urls.push(String(url));
      return urls.length === 1
        ? page({
            value: [],
            "@odata.nextLink": "http://api.partner.microsoft.com/v1.0/referrals?$skiptoken=k181pEdP%2fFUE%2bqLM",
          })
        : page({ value: [] });
    },
  });
  const pages: number[] = [];
  for await (const p of client.listAll({ filter: "status eq 'New'", orderBy: "createdDateTime asc" }))
    pages.push(p.value.length);
  expect(pages).toEqual([0, 0]);
  expect(urls).toEqual([
    "https://api.partner.microsoft.com/v1.0/engagements/referrals?$filter=status%20eq%20%27New%27&$orderby=createdDateTime%20asc",
    "https://api.partner.microsoft.com/v1.0/referrals?$skiptoken=k181pEdP%2fFUE%2bqLM",
  ]);
});
