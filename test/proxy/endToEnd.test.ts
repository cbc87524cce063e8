import type { DynamicsWebApi } from "dynamics-web-api";
import type { FastifyInstance } from "fastify";
import type { Referral } from "../../domain";
import { REFERRAL_WEBHOOK_EVENTS } from "../../plugins-ts/src/partnerCenter/webhookSignature";
import { WebhookRegistrationClient } from "../../plugins-ts/src/partnerCenter/webhookRegistrationClient";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { ensureDataverseWebhook } from "../../plugins-ts/src/setup/dataverseWebhookSetup";
import { composeProxyServices } from "../../plugins-ts/src/server/proxyComposition";
import { loadProxyConfig } from "../../plugins-ts/src/server/proxyConfig";
import { buildProxyServer } from "../../plugins-ts/src/server/proxyServer";
import { clientFor, SEED } from "../dataverse/fixture";
import { createDataverseEmulator, type DataverseEmulator } from "../emulators/dataverse/server";
import { createDevelopmentIssuer, type DevelopmentIssuer } from "../emulators/identity/developmentIssuer";
import { FAST_RETRIES, startHarness, type Harness } from "../partner-center/harness";

/**
 * The whole product path over real HTTP: the proxy composed exactly as `main.ts` composes it (emulator mode),
 * the Dataverse emulator firing its webhook step at the proxy, the Partner Center emulator delivering signed
 * webhooks to it, and sellers signed in through the development issuer.
 */

const SECRET = "end-to-end-dataverse-webhook-secret-0123456789";
const OPP = SEED.opportunities.contosoReady;
type Row = Record<string, unknown>;

let pc: Harness;
let dv: DataverseEmulator;
let idp: DevelopmentIssuer;
let proxy: FastifyInstance;
let proxyUrl: string;
let admin: DynamicsWebApi;

beforeAll(async () => {
  pc = await startHarness({ delivery: { backoffBaseMs: 1, backoffMaxMs: 5 } });
  dv = await createDataverseEmulator({ port: 0 });
  idp = await createDevelopmentIssuer();
  admin = clientFor(dv, { impersonateAAD: SEED.aad.admin });
  // Switched on before the webhook step exists, so only a form call can sync it (the read-only case below).
  await admin.update({
    collection: "opportunities",
    key: SEED.opportunities.hanbitReady,
    data: { pcs_syncwithpartnercenter: true },
  });
  const config = loadProxyConfig({
    PCS_MODE: "emulator",
    PCS_OIDC_ISSUER: idp.issuer,
    PCS_OIDC_AUDIENCE: idp.audience,
    PCS_ALLOWED_TENANTS: idp.tenantId,
    PCS_DATAVERSE_URL: dv.url,
    PCS_PARTNER_CENTER_URL: pc.pc.baseUrl,
    PCS_DATAVERSE_WEBHOOK_SECRET: SECRET,
    PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM: pc.pc.trust.rootCertificatePem,
    PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS: `${pc.pc.baseUrl}/webhooks/certificates/`,
  });
  proxy = await buildProxyServer(config, await composeProxyServices(config));
  proxyUrl = await proxy.listen({ port: 0, host: "127.0.0.1" });
  const setup = await ensureDataverseWebhook(admin, { proxyUrl, secret: SECRET });
  expect(setup.steps.map((st) => st.action)).toEqual(["created", "created", "created", "created"]);
  // Running setup again fixes the registration in place rather than adding another.
  expect((await ensureDataverseWebhook(admin, { proxyUrl, secret: SECRET })).endpoint).toBe("updated");
  await new WebhookRegistrationClient({
    baseUrl: pc.pc.baseUrl,
    tokenProvider: new StaticTokenProvider("setup"),
    retry: FAST_RETRIES,
  }).ensure(`${proxyUrl}/api/webhooks/partner-center`, REFERRAL_WEBHOOK_EVENTS);
});

afterAll(async () => {
  await proxy.close();
  await dv.close();
  await pc.pc.close();
  await idp.close();
});

/** Partner Center API calls made so far, as the emulator counts them (the proxy has its own client). */
const pcCalls = async () => ((await pc.admin("GET", "/admin/quota")).body as { used: number }).used;

/** Both sides quiet: Dataverse's async webhook steps and Partner Center's deliveries have all been handled. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await dv.webhooksIdle();
    await pc.pc.context.webhooks.whenIdle();
  }
}

const sync = async (aad: string, opportunityId: string) => {
  const res = await fetch(`${proxyUrl}/api/sync`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${await idp.issue({ oid: aad })}` },
    body: JSON.stringify({ opportunityId, trigger: "toggle" }),
  });
  return { status: res.status, body: (await res.json()) as Row };
};
const opportunity = async (id: string) =>
  (await admin.retrieve({
    collection: "opportunities",
    key: id,
    select: ["pcs_syncstate", "pcs_referralid", "pcs_referralstatus", "estimatedvalue", "pcs_lastsyncerror"],
  })) as Row;
const referrals = async () => ((await pc.admin("GET", "/admin/referrals")).body as { value: Referral[] }).value;
const audit = async (id: string) =>
  (
    await admin.retrieveMultiple({
      collection: "pcs_referralsyncaudits",
      select: ["pcs_operation", "pcs_result", "pcs_apicallsused"],
      filter: `_pcs_opportunityid_value eq ${id}`,
      orderBy: ["createdon asc"],
    })
  ).value as Row[];

describe("end to end: form, proxy, Dataverse and Partner Center", () => {
  it("health reports each dependency as the composed proxy sees it", async () => {
    const res = await fetch(`${proxyUrl}/api/health`);
    const report = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> };
    expect(res.status).toBe(200);
    expect(report.status).toBe("ok");
    expect(Object.keys(report.checks).sort()).toEqual([
      "dataverse",
      "partnerCenter",
      "partnerCenterSignIn",
      "partnerCenterWebhookTrust",
    ]);
    expect(report.checks.dataverse!.detail).toContain(SEED.users.integration);
  });

  it("a seller turns sync on: the Dataverse step reaches the proxy, one create, audited, echoes cost nothing", async () => {
    const seller = clientFor(dv, { impersonateAAD: SEED.aad.jiwoo });
    await seller.update({ collection: "opportunities", key: OPP, data: { pcs_syncwithpartnercenter: true } });
    await settle();
    const row = await opportunity(OPP);
    expect((await referrals()).map((r) => [r.id, r.externalReferenceId])).toEqual([[row.pcs_referralid, OPP]]);
    // The proxy's own write fired the step again; that echo cost no Partner Center call, and did not loop.
    expect(await pcCalls()).toBe(1);
    const rows = await audit(OPP);
    // One row spent the call (the create); every other row spent none. Partner Center's webhook for the create
    // adds a skip-echo row only when it arrives after the proxy recorded the referral id (before that it is
    // recognised in-process, with nothing to audit against): free either way, as pcCalls() shows.
    expect(rows.filter((r) => Number(r.pcs_apicallsused) > 0).map((r) => r.pcs_apicallsused)).toEqual([1]);

    // The form's post-save call after that: nothing left to do, no second referral.
    const formCall = await sync(SEED.aad.jiwoo, OPP);
    expect(formCall).toMatchObject({ status: 200, body: { outcome: "unchanged", apiCalls: 0 } });
    await settle();
    expect(await referrals()).toHaveLength(1);
  });

  it("a seller edits the value in Dataverse: the step reaches the proxy, which patches only that path", async () => {
    const seller = clientFor(dv, { impersonateAAD: SEED.aad.jiwoo });
    const before = await pcCalls();
    await seller.update({ collection: "opportunities", key: OPP, data: { estimatedvalue: 987654 } });
    await settle();
    const [referral] = await referrals();
    expect(referral!.details?.dealValue).toBe(987654);
    expect((await pcCalls()) - before).toBe(1);
  });

  it("Microsoft accepts: the signed webhook updates the opportunity, with no call back", async () => {
    const referralId = String((await opportunity(OPP)).pcs_referralid);
    const before = await pcCalls();
    await pc.admin("POST", `/admin/referrals/${referralId}/accept`);
    await settle();
    expect((await opportunity(OPP)).pcs_referralstatus).toBeTruthy();
    // One GET to read the referral the webhook names; the Dataverse echo of that write sends nothing back.
    expect((await pcCalls()) - before).toBe(1);
  });

  it("a deal that is not ready is blocked with no Partner Center call and says why", async () => {
    const before = await pcCalls();
    const seller = clientFor(dv, { impersonateAAD: SEED.aad.emily });
    await seller.update({
      collection: "opportunities",
      key: SEED.opportunities.fabrikamNotReady,
      data: { pcs_syncwithpartnercenter: true },
    });
    await settle();
    const result = await sync(SEED.aad.emily, SEED.opportunities.fabrikamNotReady);
    expect(result.body.outcome).toBe("blocked");
    await settle();
    expect(await pcCalls()).toBe(before);
    expect(String((await opportunity(SEED.opportunities.fabrikamNotReady)).pcs_lastsyncerror).length).toBeGreaterThan(
      10,
    );
  });

  it("a read-only seller is refused by Dataverse itself, and nothing changes", async () => {
    const before = await pcCalls();
    const result = await sync(SEED.aad.readOnly, SEED.opportunities.hanbitReady);
    expect(result.status).toBe(403);
    expect(await referrals()).toHaveLength(1);
    expect(await pcCalls()).toBe(before);
    expect((await opportunity(SEED.opportunities.hanbitReady)).pcs_referralid).toBeNull();
  });
});
