import type { DynamicsWebApi } from "dynamics-web-api";
import type { FastifyInstance } from "fastify";
import type { Referral } from "../../domain";
import { REFERRAL_WEBHOOK_EVENTS } from "../../plugins-ts/src/partnerCenter/webhookSignature";
import { WebhookRegistrationClient } from "../../plugins-ts/src/partnerCenter/webhookRegistrationClient";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { composeProxyServices } from "../../plugins-ts/src/server/proxyComposition";
import { loadProxyConfig } from "../../plugins-ts/src/server/proxyConfig";
import { buildProxyServer } from "../../plugins-ts/src/server/proxyServer";
import type { ProxyServices } from "../../plugins-ts/src/server/proxyServices";
import { ensureDataverseWebhook } from "../../plugins-ts/src/setup/dataverseWebhookSetup";
import { reconcile } from "../../plugins-ts/src/sync/reconciliation";
import { clientFor, SEED } from "../dataverse/fixture";
import { createDataverseEmulator, type DataverseEmulator } from "../emulators/dataverse/server";
import { createDevelopmentIssuer, type DevelopmentIssuer } from "../emulators/identity/developmentIssuer";
import { FAST_RETRIES, startHarness, type Harness } from "../partner-center/harness";

/**
 * Two proxy instances behind the same events, a Partner Center webhook that is never delivered, and a referral
 * Microsoft starts: over real HTTP with both emulators, the proxies composed as `main.ts` composes them.
 */

const SECRET = "resilience-dataverse-webhook-secret-0123456789";
type Row = Record<string, unknown>;

let pc: Harness;
let dv: DataverseEmulator;
let idp: DevelopmentIssuer;
let admin: DynamicsWebApi;
const proxies: { app: FastifyInstance; url: string; services: ProxyServices }[] = [];

async function startProxy() {
  const config = loadProxyConfig({
    PCS_MODE: "emulator",
    PCS_OIDC_ISSUER: idp.issuer,
    PCS_OIDC_AUDIENCE: idp.audience,
    PCS_DATAVERSE_URL: dv.url,
    PCS_PARTNER_CENTER_URL: pc.pc.baseUrl,
    PCS_DATAVERSE_WEBHOOK_SECRET: SECRET,
    PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM: pc.pc.trust.rootCertificatePem,
    PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS: `${pc.pc.baseUrl}/webhooks/certificates/`,
  });
  const services = await composeProxyServices(config);
  const app = await buildProxyServer(config, services);
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  proxies.push({ app, url, services });
  return { app, url, services };
}

beforeAll(async () => {
  pc = await startHarness({ delivery: { backoffBaseMs: 1, backoffMaxMs: 5 } });
  dv = await createDataverseEmulator({ port: 0 });
  idp = await createDevelopmentIssuer();
  admin = clientFor(dv, { impersonateAAD: SEED.aad.admin });
  const a = await startProxy();
  const b = await startProxy();
  // Both instances get every Dataverse event: the worst a load balancer or a retried delivery can do.
  await ensureDataverseWebhook(admin, { proxyUrl: a.url, secret: SECRET });
  const second = String(
    await admin.create({
      collection: "serviceendpoints",
      data: {
        name: "Second instance",
        url: `${b.url}/api/webhooks/dataverse`,
        contract: 8,
        messageformat: 2,
        authtype: 4,
        authvalue: SECRET,
      },
    }),
  );
  const update = (
    await admin.retrieveMultiple({ collection: "sdkmessages", select: ["sdkmessageid"], filter: "name eq 'Update'" })
  ).value[0] as Row;
  const filter = (
    await admin.retrieveMultiple({
      collection: "sdkmessagefilters",
      select: ["sdkmessagefilterid"],
      filter: `primaryobjecttypecode eq 'opportunity' and _sdkmessageid_value eq ${String(update.sdkmessageid)}`,
    })
  ).value[0] as Row;
  await admin.create({
    collection: "sdkmessageprocessingsteps",
    data: {
      name: "Second instance: Update of opportunity",
      stage: 40,
      mode: 1,
      rank: 2,
      filteringattributes: "estimatedvalue,pcs_syncwithpartnercenter",
      "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${second})`,
      "sdkmessageid@odata.bind": `/sdkmessages(${String(update.sdkmessageid)})`,
      "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${String(filter.sdkmessagefilterid)})`,
    },
  });
  await new WebhookRegistrationClient({
    baseUrl: pc.pc.baseUrl,
    tokenProvider: new StaticTokenProvider("setup"),
    retry: FAST_RETRIES,
  }).ensure(`${a.url}/api/webhooks/partner-center`, REFERRAL_WEBHOOK_EVENTS);
});

afterAll(async () => {
  for (const p of proxies) await p.app.close();
  await dv.close();
  await pc.pc.close();
  await idp.close();
});

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await dv.webhooksIdle();
    await pc.pc.context.webhooks.whenIdle();
  }
}
const referrals = async () => ((await pc.admin("GET", "/admin/referrals")).body as { value: Referral[] }).value;
const opportunity = async (id: string) =>
  (await admin.retrieve({
    collection: "opportunities",
    key: id,
    select: ["pcs_referralid", "pcs_referralstatus", "estimatedvalue", "pcs_syncstate"],
  })) as Row;

describe("resilience over real HTTP", () => {
  it("two instances on the same events: one referral, and no lost update", async () => {
    const seller = clientFor(dv, { impersonateAAD: SEED.aad.jiwoo });
    await seller.update({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      data: { pcs_syncwithpartnercenter: true },
    });
    await settle();
    expect((await referrals()).filter((r) => r.externalReferenceId === SEED.opportunities.contosoReady)).toHaveLength(
      1,
    );

    for (const value of [111_000, 222_000, 333_000]) {
      await seller.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { estimatedvalue: value },
      });
    }
    await settle();
    const [referral] = (await referrals()).filter((r) => r.externalReferenceId === SEED.opportunities.contosoReady);
    expect(referral!.details?.dealValue).toBe(333_000);
    expect((await opportunity(SEED.opportunities.contosoReady)).pcs_referralid).toBe(referral!.id);
  });

  it("a webhook Partner Center gave up on after 10 attempts is applied by reconciliation", async () => {
    const id = String((await opportunity(SEED.opportunities.contosoReady)).pcs_referralid);
    // The proxy is unreachable for Partner Center: every delivery fails until the event is set aside.
    await pc.admin("PATCH", "/admin/config", { delivery: { maxAttempts: 10 } });
    await new WebhookRegistrationClient({
      baseUrl: pc.pc.baseUrl,
      tokenProvider: new StaticTokenProvider("setup"),
      retry: FAST_RETRIES,
    }).update("http://127.0.0.1:9/unreachable", [...REFERRAL_WEBHOOK_EVENTS]);
    await pc.admin("POST", `/admin/referrals/${id}/accept`);
    await settle();
    const undelivered = ((await pc.admin("GET", "/admin/webhooks/undelivered")).body as { value: unknown[] }).value;
    expect(undelivered.length).toBeGreaterThan(0);
    expect((await opportunity(SEED.opportunities.contosoReady)).pcs_referralstatus).not.toBe(100_000_001);

    const run = await reconcile(proxies[0]!.services.application, { firstRunLookbackMs: 86_400_000 });
    expect(run.applied).toBeGreaterThanOrEqual(1);
    expect((await opportunity(SEED.opportunities.contosoReady)).pcs_referralstatus).toBe(100_000_001); // Active
  });

  it("a referral Microsoft starts becomes an opportunity, with its account and contact", async () => {
    await new WebhookRegistrationClient({
      baseUrl: pc.pc.baseUrl,
      tokenProvider: new StaticTokenProvider("setup"),
      retry: FAST_RETRIES,
    }).update(`${proxies[0]!.url}/api/webhooks/partner-center`, [...REFERRAL_WEBHOOK_EVENTS]);
    const created = await pc.admin("POST", "/admin/referrals", {
      name: "Tailspin – Azure OpenAI pilot",
      customerProfile: {
        name: "Tailspin Toys Korea",
        address: { addressLine1: "1 Sejong-daero", city: "Seoul", postalCode: "04524", country: "KR" },
        team: [{ firstName: "Minho", lastName: "Lee", email: "minho.lee@tailspin.example" }],
      },
      consent: { consentToShareReferralWithMicrosoftSellers: true },
      details: {
        dealValue: 50_000,
        currency: "USD",
        closingDateTime: "2027-06-30T00:00:00Z",
        notes: "From a Microsoft seller",
      },
    });
    const incoming = created.body as Referral;
    await settle();
    const rows = (
      await admin.retrieveMultiple({
        collection: "opportunities",
        select: ["opportunityid", "name", "estimatedvalue", "_customerid_value", "_parentcontactid_value"],
        filter: `pcs_referralid eq '${incoming.id}'`,
      })
    ).value as Row[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "Tailspin – Azure OpenAI pilot", estimatedvalue: 50_000 });
    expect(rows[0]!._customerid_value).toBeTruthy();
    expect(rows[0]!._parentcontactid_value).toBeTruthy();
  });
});
