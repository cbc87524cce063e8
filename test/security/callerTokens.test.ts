import { SEED } from "../dataverse/fixture";
import { startProductUnderTest, type ProductUnderTest } from "../chaos/productUnderTest";
import { readObservableState } from "./observableState";
import { startTokenLab, type TokenLab } from "./tokenLab";

/**
 * Sellers' bearer tokens on POST /api/sync and GET /api/quota: every token that is not exactly right is refused
 * before anything happens. The opportunity used is ready and has sync on, so a token that got through would
 * create a referral, which the last test shows.
 */

jest.setTimeout(30_000);

const OPP = SEED.opportunities.contosoReady;
const SELLER = SEED.aad.jiwoo;
let product: ProductUnderTest;
let lab: TokenLab;
let url: string;

beforeAll(async () => {
  lab = await startTokenLab();
  product = await startProductUnderTest({
    registerWebhooks: false,
    proxySettings: {
      PCS_OIDC_ISSUER: lab.issuer,
      PCS_OIDC_AUDIENCE: lab.audience,
      PCS_ALLOWED_TENANTS: lab.tenantId,
    },
  });
  await product.admin.update({ collection: "opportunities", key: OPP, data: { pcs_syncwithpartnercenter: true } });
  url = product.proxies[0]!.url;
});

afterAll(async () => {
  await product?.close();
  await lab?.close();
});

const sync = (authorization: string | undefined) =>
  fetch(`${url}/api/sync`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(authorization ? { Authorization: authorization } : {}) },
    body: JSON.stringify({ opportunityId: OPP, trigger: "sync-now" }),
  });

const now = () => Math.floor(Date.now() / 1000);

const refused: [string, () => Promise<string | undefined>, number, RegExp][] = [
  ["no Authorization header", async () => undefined, 401, /bearer token is required/],
  ["a scheme other than Bearer", async () => `Basic ${Buffer.from("a:b").toString("base64")}`, 401, /bearer token/],
  ["alg none without a signature", async () => `Bearer ${lab.algNone(SELLER)}`, 401, /bearer token/],
  ["alg none with a signature part", async () => `Bearer ${lab.algNone(SELLER, "AAAA")}`, 401, /refused/],
  ["a key the issuer does not publish", async () => `Bearer ${await lab.otherKey(SELLER)}`, 401, /refused/],
  ["expired", async () => `Bearer ${await lab.signed(SELLER, { exp: now() - 3600 })}`, 401, /expired/],
  [
    "not yet valid",
    async () => `Bearer ${await lab.signed(SELLER, { nbf: now() + 3600, exp: now() + 7200 })}`,
    401,
    /refused/,
  ],
  ["another audience", async () => `Bearer ${await lab.signed(SELLER, { aud: "api://someone-else" })}`, 401, /aud/],
  [
    "another issuer",
    async () => `Bearer ${await lab.signed(SELLER, { iss: "https://login.microsoftonline.com/evil/v2.0" })}`,
    401,
    /iss/,
  ],
  ["no user object id", async () => `Bearer ${await lab.signed(SELLER, { oid: undefined })}`, 401, /oid/],
  // Authenticated but not allowed: the proxy answers 403, the right status for a valid identity it refuses.
  [
    "another tenant",
    async () => `Bearer ${await lab.signed(SELLER, { tid: "99999999-0000-4000-8000-000000000000" })}`,
    403,
    /tenant/,
  ],
];

describe("caller tokens", () => {
  it.each(refused)("refuses %s on /api/sync and /api/quota, and nothing changes", async (_name, token, status, why) => {
    const before = await readObservableState(product.pc, product.admin);
    const authorization = await token();
    const res = await sync(authorization);
    const body = (await res.json()) as { error: { message: string } };
    expect(res.status).toBe(status);
    expect(body.error.message).toMatch(why);
    const quota = await fetch(`${url}/api/quota`, { headers: authorization ? { Authorization: authorization } : {} });
    expect(quota.status).toBe(status);
    expect(await readObservableState(product.pc, product.admin)).toEqual(before);
  });

  it("accepts the right token: the same request then creates the referral (the refusals above were the token's)", async () => {
    const before = await readObservableState(product.pc, product.admin);
    const res = await sync(`Bearer ${await lab.valid(SELLER)}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "created" });
    const after = await readObservableState(product.pc, product.admin);
    expect(after.referrals).toHaveLength(before.referrals.length + 1);
    expect(after.partnerCenterCalls).toBeGreaterThan(before.partnerCenterCalls);
  });
});
