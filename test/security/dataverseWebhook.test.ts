import { SEED } from "../dataverse/fixture";
import { DATAVERSE_WEBHOOK_SECRET, startProductUnderTest, type ProductUnderTest } from "../chaos/productUnderTest";
import { readObservableState } from "./observableState";

/**
 * POST /api/webhooks/dataverse acts only with the service endpoint's secret (WebhookKey ?code= or the
 * x-pcs-webhook-key header). The event names a ready opportunity with sync on, so an accepted one creates a
 * referral (the control case); refused ones change nothing.
 */

jest.setTimeout(30_000);

const OPP = SEED.opportunities.contosoReady;
let product: ProductUnderTest;
let url: string;

const context = JSON.stringify({
  MessageName: "Update",
  PrimaryEntityName: "opportunity",
  PrimaryEntityId: OPP,
  InitiatingUserId: SEED.users.jiwoo,
  UserId: SEED.users.jiwoo,
  Depth: 1,
  InputParameters: [
    {
      key: "Target",
      value: { LogicalName: "opportunity", Id: OPP, Attributes: [{ key: "estimatedvalue", value: { Value: 1 } }] },
    },
  ],
});

beforeAll(async () => {
  product = await startProductUnderTest({ registerWebhooks: false });
  await product.admin.update({ collection: "opportunities", key: OPP, data: { pcs_syncwithpartnercenter: true } });
  url = `${product.proxies[0]!.url}/api/webhooks/dataverse`;
});

afterAll(async () => {
  await product?.close();
});

const post = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${url}${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: context,
  });

describe("Dataverse webhook key", () => {
  it.each([
    ["no key at all", "", {}],
    ["a wrong ?code=", `?code=${encodeURIComponent("x".repeat(48))}`, {}],
    ["the key with one character changed", `?code=${DATAVERSE_WEBHOOK_SECRET.slice(0, -1)}X`, {}],
    ["the key's prefix", `?code=${DATAVERSE_WEBHOOK_SECRET.slice(0, 16)}`, {}],
    ["an empty header", "", { "x-pcs-webhook-key": "" }],
    ["a wrong header", "", { "x-pcs-webhook-key": "not-the-secret-not-the-secret-0000" }],
    // The header is read first: a right ?code= does not rescue a wrong header.
    ["a wrong header with the right ?code=", `?code=${DATAVERSE_WEBHOOK_SECRET}`, { "x-pcs-webhook-key": "wrong" }],
  ])("refuses %s with 401, and nothing changes", async (_name, query, headers) => {
    const before = await readObservableState(product.pc, product.admin);
    const res = await post(query, headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/secret is missing or wrong/);
    expect(await readObservableState(product.pc, product.admin)).toEqual(before);
  });

  it("refuses a wrong key before looking at the body: a malformed body gets 401, not 400", async () => {
    const res = await fetch(`${url}?code=wrong`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ MessageName: 7 }),
    });
    expect(res.status).toBe(401);
  });

  it("accepts the right key, in the header: the referral is created (the control case)", async () => {
    const before = await readObservableState(product.pc, product.admin);
    const res = await post("", { "x-pcs-webhook-key": DATAVERSE_WEBHOOK_SECRET });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "created" });
    expect((await readObservableState(product.pc, product.admin)).referrals).toHaveLength(before.referrals.length + 1);
  });

  it("accepts the right key as ?code= (WebhookKey)", async () => {
    const res = await post(`?code=${encodeURIComponent(DATAVERSE_WEBHOOK_SECRET)}`);
    expect(res.status).toBe(200);
  });
});
