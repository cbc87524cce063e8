import type { Referral } from "../../domain";
import { startProductUnderTest, type ProductUnderTest } from "../chaos/productUnderTest";
import { readObservableState } from "./observableState";
import { startSigningLab, type SigningLab } from "./signingLab";

/**
 * POST /api/webhooks/partner-center only acts on deliveries signed by Partner Center. The event used names a
 * referral Microsoft started, so an accepted delivery creates an opportunity: the control case shows that, and
 * every refused variant of the same delivery must change nothing and spend no Partner Center call.
 */

jest.setTimeout(30_000);

let product: ProductUnderTest;
let lab: SigningLab;
let url: string;
let referral: Referral;
let body: string;

beforeAll(async () => {
  lab = await startSigningLab();
  product = await startProductUnderTest({
    registerWebhooks: false,
    proxySettings: {
      PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM: lab.trustedRootPem,
      PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS: lab.certificateUrlPrefix,
    },
  });
  url = `${product.proxies[0]!.url}/api/webhooks/partner-center`;
  const created = await fetch(`${product.pc.baseUrl}/admin/referrals`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      name: "Wingtip – Fabric pilot",
      customerProfile: {
        name: "Wingtip Toys",
        address: { addressLine1: "1 Sejong-daero", city: "Seoul", postalCode: "04524", country: "KR" },
        team: [{ firstName: "Minji", lastName: "Park", email: "minji.park@wingtip.example" }],
      },
      consent: { consentToShareReferralWithMicrosoftSellers: true },
      details: { dealValue: 70_000, currency: "USD", closingDateTime: "2027-06-30T00:00:00Z", notes: "From Microsoft" },
    }),
  });
  referral = (await created.json()) as Referral;
  body = eventFor(referral.updatedDateTime!);
});

afterAll(async () => {
  await product?.close();
  await lab?.close();
});

function eventFor(changedAt: string): string {
  return JSON.stringify({
    EventName: "referral-created",
    ResourceUri: `${product.pc.baseUrl}/engagements/v1/referrals/${referral.id}`,
    ResourceName: "referral",
    AuditUri: null,
    ResourceChangeUtcDate: changedAt,
  });
}

const deliver = (headers: Record<string, string>, payload = body) =>
  fetch(url, { method: "POST", headers, body: payload });

const opportunitiesFor = async (referralId: string) =>
  (
    await product.admin.retrieveMultiple({
      collection: "opportunities",
      select: ["opportunityid"],
      filter: `pcs_referralid eq '${referralId}'`,
    })
  ).value;

describe("Partner Center webhook signatures", () => {
  const refusals: [string, () => Record<string, string>, string][] = [
    [
      "no signature",
      () => {
        const { Authorization: _omitted, ...rest } = lab.headersFor("trusted", body);
        return rest;
      },
      "the signature header is missing",
    ],
    ["a self-signed certificate", () => lab.headersFor("selfSigned", body), "does not chain to a trusted root"],
    ["a chain to another root", () => lab.headersFor("strangerRoot", body), "does not chain to a trusted root"],
    [
      "an issuer of another organization, chained to the trusted root",
      () => lab.headersFor("otherOrganization", body),
      "organization",
    ],
    ["an expired signing certificate", () => lab.headersFor("expired", body), "validity period"],
    [
      "a certificate URL outside the allowed locations",
      () => ({ ...lab.headersFor("trusted", body), "X-MS-Certificate-Url": "https://attacker.example/pc.cer" }),
      "not an allowed certificate location",
    ],
    [
      "another signature algorithm",
      () => ({ ...lab.headersFor("trusted", body), "X-MS-Signature-Algorithm": "rsa-sha1" }),
      "not accepted",
    ],
    [
      "a signature of another body (the body was altered)",
      () => lab.headersFor("trusted", body.replace("referral-created", "referral-updated")),
      "does not match the body",
    ],
  ];

  it.each(refusals)("refuses %s, and nothing changes", async (_name, headers, reason) => {
    const before = await readObservableState(product.pc, product.admin);
    const res = await deliver(headers());
    expect(res.status).toBe(401);
    const answer = (await res.json()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe("unauthorized");
    expect(answer.error.message).toContain(reason);
    expect(await readObservableState(product.pc, product.admin)).toEqual(before);
  });

  it("refuses a body altered after signing (a byte appended), and nothing changes", async () => {
    const before = await readObservableState(product.pc, product.admin);
    const res = await deliver(lab.headersFor("trusted", body), `${body} `);
    expect(res.status).toBe(401);
    expect(await readObservableState(product.pc, product.admin)).toEqual(before);
  });

  it("accepts the same delivery correctly signed: the opportunity is created (the control case)", async () => {
    const res = await deliver(lab.headersFor("trusted", body));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "created-opportunity" });
    expect(await opportunitiesFor(referral.id)).toHaveLength(1);
  });

  it("a delivery repeated at once (Partner Center's own retry) creates nothing more", async () => {
    const before = await readObservableState(product.pc, product.admin);
    const res = await deliver(lab.headersFor("trusted", body));
    expect(res.status).toBe(200);
    expect(await opportunitiesFor(referral.id)).toHaveLength(1);
    const after = await readObservableState(product.pc, product.admin);
    expect([after.opportunities.length, after.accounts, after.contacts]).toEqual([
      before.opportunities.length,
      before.accounts,
      before.contacts,
    ]);
    expect(after.referrals).toEqual(before.referrals);
  });

  /**
   * Costs nothing either: the proxy keeps Partner Center's updatedDateTime to all 7 fractional digits
   * (pcs_referralupdatedon is text), so the repeat is recognised as no newer than what it has.
   */
  it("a delivery repeated at once costs no Partner Center call", async () => {
    const before = await readObservableState(product.pc, product.admin);
    await deliver(lab.headersFor("trusted", body));
    expect((await readObservableState(product.pc, product.admin)).partnerCenterCalls).toBe(before.partnerCenterCalls);
  });

  /**
   * The payload has no delivery id, so a captured, validly signed delivery could be replayed for ever, each replay
   * costing a Partner Center GET. The proxy refuses deliveries older than its replay window (webhookFreshness.ts).
   */
  it("refuses a signed delivery replayed beyond the replay window (two days old), and nothing changes", async () => {
    const before = await readObservableState(product.pc, product.admin);
    const stale = eventFor(new Date(Date.now() - 2 * 86_400_000).toISOString());
    const res = await deliver(lab.headersFor("trusted", stale), stale);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("replay window");
    expect(await readObservableState(product.pc, product.admin)).toEqual(before);
  });
});
