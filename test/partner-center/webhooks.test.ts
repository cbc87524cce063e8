import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { WebhookRegistrationClient } from "../../plugins-ts/src/partnerCenter/webhookRegistrationClient";
import { REFERRAL_WEBHOOK_EVENTS, WebhookSignatureVerifier } from "../../plugins-ts/src/partnerCenter/webhookSignature";
import { createPartnerCenterEmulator, type PartnerCenterEmulator } from "../emulators/partner-center/server";
import { failureOf, FAST_RETRIES, startHarness, validReferral, type Harness } from "./harness";

/** Webhook registration, signed deliveries with retries, and the client's verification of them. */

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A webhook endpoint that records deliveries and answers with the next scripted status (200 when none left). */
class Receiver {
  readonly received: Received[] = [];
  script: number[] = [];
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.statusCode = this.script.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/webhooks/partner-center`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let h: Harness;
let receiver: Receiver;
let registrations: WebhookRegistrationClient;
let verifier: WebhookSignatureVerifier;

beforeAll(async () => {
  h = await startHarness({ delivery: { backoffBaseMs: 1, backoffMaxMs: 5 } });
  receiver = new Receiver();
  await receiver.start();
  registrations = new WebhookRegistrationClient({
    baseUrl: h.pc.baseUrl,
    tokenProvider: new StaticTokenProvider("webhook-token"),
    retry: FAST_RETRIES,
  });
  verifier = new WebhookSignatureVerifier({
    trustedRootCertificatesPem: [h.pc.trust.rootCertificatePem],
    issuerOrganization: "Microsoft Corporation",
    allowedCertificateUrlPrefixes: [`${h.pc.baseUrl}/webhooks/certificates/`],
  });
});

afterAll(async () => {
  await h.pc.close();
  await receiver.close();
});

beforeEach(async () => {
  await h.admin("POST", "/admin/reset");
  receiver.received.length = 0;
  receiver.script = [];
});

async function settled(): Promise<void> {
  await h.pc.context.webhooks.whenIdle();
}

describe("registration API", () => {
  it("lists the referral events, creates once (409 after), reads and updates the registration", async () => {
    expect(await registrations.events()).toEqual(expect.arrayContaining([...REFERRAL_WEBHOOK_EVENTS]));
    expect(await registrations.get()).toBeNull();
    const created = await registrations.register(receiver.url, REFERRAL_WEBHOOK_EVENTS);
    expect(created.SubscriberId).toEqual(expect.any(String));
    expect(created.WebhookEvents).toEqual([...REFERRAL_WEBHOOK_EVENTS]);
    const again = await failureOf(registrations.register(receiver.url, REFERRAL_WEBHOOK_EVENTS));
    expect([again.status, again.category]).toEqual([409, "conflict"]);
    const updated = await registrations.update("https://example.org/hook", ["referral-updated"]);
    expect(updated).toMatchObject({ WebhookUrl: "https://example.org/hook", WebhookEvents: ["referral-updated"] });
    expect(await registrations.get()).toMatchObject({ WebhookUrl: "https://example.org/hook" });
  });

  it("ensure() takes over events owned by another endpoint and reports who had them", async () => {
    await registrations.register("https://old.example.org/hook", ["referral-created"]);
    const result = await registrations.ensure(receiver.url, REFERRAL_WEBHOOK_EVENTS);
    expect(result).toMatchObject({ action: "updated", previousUrl: "https://old.example.org/hook" });
    expect((await registrations.ensure(receiver.url, REFERRAL_WEBHOOK_EVENTS)).action).toBe("unchanged");
  });

  it("refuses unknown events and non-URLs with 400, and calls without a token with 401", async () => {
    expect((await failureOf(registrations.register(receiver.url, ["referral-deleted"]))).status).toBe(400);
    expect((await failureOf(registrations.register("not a url", ["referral-created"]))).target).toBe("WebhookUrl");
    expect((await fetch(`${h.pc.baseUrl}/webhooks/v1/registration`)).status).toBe(401);
    expect((await failureOf(registrations.update(receiver.url, ["referral-created"]))).status).toBe(404);
  });
});

describe("deliveries and verification", () => {
  beforeEach(async () => {
    await registrations.register(receiver.url, REFERRAL_WEBHOOK_EVENTS);
  });

  it("signs referral-created and referral-updated; the verifier accepts them and names the referral", async () => {
    const { referral } = await h.client.createReferral(validReferral());
    await h.admin("POST", `/admin/referrals/${referral.id}/accept`, { microsoftMsxId: "7-ABC" });
    await settled();
    expect(receiver.received).toHaveLength(2);
    const results = await Promise.all(receiver.received.map((r) => verifier.verify(r.headers, r.body)));
    expect(results.map((r) => (r.ok ? [r.event.EventName, r.referralId] : r.reason))).toEqual([
      ["referral-created", referral.id],
      ["referral-updated", referral.id],
    ]);
    const first = receiver.received[0]!;
    expect(first.headers["x-ms-signature-algorithm"]).toBe("rsa-sha256");
    expect(first.headers.authorization).toMatch(/^Signature [A-Za-z0-9+/]+=*$/);
    expect(first.headers["x-ms-certificate-url"]).toBe(h.pc.trust.certificateUrl);
    expect(JSON.parse(first.body.toString())).toEqual({
      EventName: "referral-created",
      ResourceUri: `${h.pc.baseUrl}/engagements/v1/referrals/${referral.id}`,
      ResourceName: "referral",
      AuditUri: null,
      ResourceChangeUtcDate: referral.updatedDateTime,
    });
  });

  it("refuses a tampered body, a missing signature, another algorithm and a certificate URL elsewhere", async () => {
    await h.client.createReferral(validReferral());
    await settled();
    const { headers, body } = receiver.received[0]!;
    const tampered = Buffer.from(body.toString().replace("referral-created", "referral-updated"));
    expect(await verifier.verify(headers, tampered)).toEqual({
      ok: false,
      status: 401,
      reason: "the signature does not match the body",
    });
    const { authorization: _a, ...unsigned } = headers;
    expect(await verifier.verify(unsigned, body)).toMatchObject({ ok: false, status: 401 });
    expect(await verifier.verify({ ...headers, "x-ms-signature-algorithm": "rsa-sha1" }, body)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(
      await verifier.verify({ ...headers, "x-ms-certificate-url": "https://attacker.example/cert.cer" }, body),
    ).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(await verifier.verify(headers, body)).toMatchObject({ ok: true });
  });

  it("refuses a delivery signed by a chain it does not trust, and one whose issuer organization differs", async () => {
    const stranger: PartnerCenterEmulator = await createPartnerCenterEmulator();
    try {
      const strangerVerifier = new WebhookSignatureVerifier({
        trustedRootCertificatesPem: [stranger.trust.rootCertificatePem],
        issuerOrganization: "Microsoft Corporation",
        allowedCertificateUrlPrefixes: [h.pc.baseUrl],
      });
      await h.client.createReferral(validReferral());
      await settled();
      const { headers, body } = receiver.received[0]!;
      expect(await strangerVerifier.verify(headers, body)).toEqual({
        ok: false,
        status: 401,
        reason: "the signing certificate does not chain to a trusted root",
      });
      const otherOrg = new WebhookSignatureVerifier({
        trustedRootCertificatesPem: [h.pc.trust.rootCertificatePem],
        issuerOrganization: "Contoso",
        allowedCertificateUrlPrefixes: [h.pc.baseUrl],
      });
      expect(await otherOrg.verify(headers, body)).toMatchObject({ ok: false, status: 401 });
    } finally {
      await stranger.close();
    }
  });

  it("puts the signature in x-ms-signature when the registration asks for it", async () => {
    const res = await h.raw("PUT", "/webhooks/v1/registration", {
      body: JSON.stringify({
        WebhookUrl: receiver.url,
        WebhookEvents: ["referral-created"],
        SignatureTokenToMsSignatureHeader: true,
      }),
    });
    expect(res.status).toBe(200);
    await h.client.createReferral(validReferral());
    await settled();
    const { headers, body } = receiver.received[0]!;
    expect(headers.authorization).toBeUndefined();
    expect(headers["x-ms-signature"]).toEqual(expect.any(String));
    expect(await verifier.verify(headers, body)).toMatchObject({ ok: true });
  });

  it("retries a failing endpoint with backoff and delivers once it answers 2xx", async () => {
    receiver.script = [500, 503];
    await h.client.createReferral(validReferral());
    await settled();
    expect(receiver.received).toHaveLength(3);
    const [delivery] = h.pc.context.webhooks.deliveries();
    expect(delivery?.state).toBe("delivered");
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
  });

  it("after 10 failed attempts keeps the event undelivered and stops trying", async () => {
    receiver.script = Array.from({ length: 20 }, () => 500);
    await h.client.createReferral(validReferral());
    await settled();
    expect(receiver.received).toHaveLength(10);
    const undelivered = (await h.admin("GET", "/admin/webhooks/undelivered")).body as {
      value: { attempts: unknown[]; event: { EventName: string } }[];
    };
    expect(undelivered.value.map((d) => [d.event.EventName, d.attempts.length])).toEqual([["referral-created", 10]]);
  });

  it("fires related-referral events for referrals that share an engagement", async () => {
    const { referral } = await h.client.createReferral(validReferral());
    const connected = await h.client.createReferral(
      validReferral({ engagementId: referral.engagementId, type: "Shared" } as Parameters<typeof validReferral>[0]),
    );
    await settled();
    const names = receiver.received.map(
      (r) => JSON.parse(r.body.toString()) as { EventName: string; ResourceUri: string },
    );
    expect(names.map((n) => n.EventName)).toEqual(["referral-created", "referral-created", "related-referral-created"]);
    expect(names[2]!.ResourceUri.endsWith(connected.referral.id)).toBe(true);
  });
});

describe("validation events", () => {
  it("sends a signed test-created event and reports each delivery attempt", async () => {
    const refused = await h.raw("POST", "/webhooks/v1/registration/validationEvents");
    expect(refused.status).toBe(400); // not registered for test-created yet
    await registrations.register(receiver.url, ["test-created", ...REFERRAL_WEBHOOK_EVENTS]);
    receiver.script = [500];
    const posted = await h.raw("POST", "/webhooks/v1/registration/validationEvents");
    const { correlationId } = posted.body as { correlationId: string };
    await settled();
    const status = await h.raw("GET", `/webhooks/v1/registration/validationEvents/${correlationId}`);
    expect(status.body).toMatchObject({ correlationId, status: "completed", callbackUrl: receiver.url });
    expect((status.body as { results: { responseCode: string }[] }).results.map((r) => r.responseCode)).toEqual([
      "500",
      "200",
    ]);
    const last = receiver.received[receiver.received.length - 1]!;
    const verified = await verifier.verify(last.headers, last.body);
    expect(verified).toMatchObject({
      ok: true,
      referralId: null,
      event: { EventName: "test-created", ResourceName: "test" },
    });
  });
});
