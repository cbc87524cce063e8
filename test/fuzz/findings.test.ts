import { sign } from "node:crypto";
import { startProductUnderTest, type ProductUnderTest } from "../chaos/productUnderTest";

/**
 * Proxy bugs the fuzzer found, pinned by exact reproductions; fixed, and kept fixed by these tests.
 * test/fuzz/README.md describes the fix.
 */

jest.setTimeout(30_000);

let product: ProductUnderTest;

beforeAll(async () => {
  product = await startProductUnderTest({ registerWebhooks: false });
});
afterAll(async () => {
  await product?.close();
});

/** A delivery signed with Partner Center's real key: the body is what the fuzzer found, the signature is right. */
async function deliverSigned(event: Record<string, unknown>): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(event);
  const signature = sign("sha256", Buffer.from(body), product.pc.context.webhooks.signing.leafPrivateKeyPem);
  const res = await fetch(`${product.proxies[0]!.url}/api/webhooks/partner-center`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Signature ${signature.toString("base64")}`,
      "X-MS-Certificate-Url": product.pc.trust.certificateUrl,
      "X-MS-Signature-Algorithm": "rsa-sha256",
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

const event = (resourceUri: string) => ({
  EventName: "referral-updated",
  ResourceUri: resourceUri,
  ResourceName: "referral",
  AuditUri: null,
  ResourceChangeUtcDate: new Date().toISOString(),
});

describe("found by fuzzing", () => {
  it("a signed event with a well-formed ResourceUri for an unknown referral is a 404 (the control case)", async () => {
    expect((await deliverSigned(event(`${product.pc.baseUrl}/engagements/v1/referrals/no-such-referral`))).status).toBe(
      404,
    );
  });

  /**
   * WebhookSignatureVerifier.accept() runs `new URL(e.ResourceUri)` and `decodeURIComponent(…)` unguarded once the
   * signature verifies; a ResourceUri that is not an absolute URL (or has a broken %-escape) throws a TypeError /
   * URIError that no one maps, so the route answers 500 instead of 400.
   */
  it.each(["http://", "not a url", "", `https://example.com/engagements/v1/referrals/%E0%A4%A`])(
    "a signed event whose ResourceUri is %p is refused with 400, not 500",
    async (resourceUri) => {
      const answer = await deliverSigned(event(resourceUri));
      expect(answer.status).toBe(400);
    },
  );
});
