import { DynamicsWebApi } from "dynamics-web-api";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { REFERRAL_WEBHOOK_EVENTS } from "../../plugins-ts/src/partnerCenter/webhookSignature";
import { WebhookRegistrationClient } from "../../plugins-ts/src/partnerCenter/webhookRegistrationClient";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { composeProxyServices } from "../../plugins-ts/src/server/proxyComposition";
import { loadProxyConfig } from "../../plugins-ts/src/server/proxyConfig";
import { buildProxyServer } from "../../plugins-ts/src/server/proxyServer";
import { ensureDataverseWebhook } from "../../plugins-ts/src/setup/dataverseWebhookSetup";
import { DEFAULT_JOB_SCHEDULE, startJobs } from "../../plugins-ts/src/sync/jobScheduler";
import { createDataverseEmulator } from "../emulators/dataverse/server";
import { createDevelopmentIssuer } from "../emulators/identity/developmentIssuer";
import { createPartnerCenterEmulator } from "../emulators/partner-center/server";

/**
 * `npm start`: the local sandbox. Starts the Partner Center emulator, the Dataverse emulator (seeded with the
 * sandbox data of product-spec §8), a development sign-in issuer and the referral proxy (composed exactly as in
 * production, in emulator mode, with its retry and reconciliation jobs); registers the webhooks on both sides as
 * setup does; keeps the emulators' state under .sandbox/ across restarts; prints the URLs; and stops everything
 * on Ctrl+C. The Opportunity form page joins here with the sandbox issue.
 *
 *   npm start -- [--pc-port <n>] [--dataverse-port <n>] [--proxy-port <n>] [--fresh]
 */

const USAGE = "usage: npm start -- [--pc-port <n>] [--dataverse-port <n>] [--proxy-port <n>] [--fresh]";
const PORT_FLAGS = { "--pc-port": "pcPort", "--dataverse-port": "dataversePort", "--proxy-port": "proxyPort" } as const;

/** Sandbox-only secret: the proxy and the Dataverse emulator share it; nothing real is protected by it. */
const SANDBOX_WEBHOOK_SECRET = "sandbox-dataverse-webhook-secret-not-for-production";
/** The Dataverse emulator's administrator (seed), who may register webhooks. */
const SANDBOX_ADMIN_AAD = "aad00000-0000-4000-8000-000000000002";

function options(argv: string[]): { pcPort: number; dataversePort: number; proxyPort: number; fresh: boolean } {
  const out = { pcPort: 7101, dataversePort: 7102, proxyPort: 7100, fresh: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--fresh") out.fresh = true;
    else if (arg in PORT_FLAGS) {
      const value = argv[++i] ?? "";
      if (!/^\d+$/.test(value) || Number(value) > 65535) {
        throw new Error(`${arg} must be a port number from 0 to 65535, got '${value}'.\n${USAGE}`);
      }
      out[PORT_FLAGS[arg as keyof typeof PORT_FLAGS]] = Number(value);
    } else throw new Error(`Unknown argument '${arg}'.\n${USAGE}`);
  }
  return out;
}

/** Sets the current value of environment variables (creates the value row, or updates it). */
async function setEnvironmentVariables(api: DynamicsWebApi, values: Record<string, string>): Promise<void> {
  for (const [schemaName, value] of Object.entries(values)) {
    const page = await api.retrieveMultiple({
      collection: "environmentvariabledefinitions",
      select: ["environmentvariabledefinitionid"],
      filter: `schemaname eq '${schemaName}'`,
      expand: [
        { property: "environmentvariabledefinition_environmentvariablevalue", select: ["environmentvariablevalueid"] },
      ],
    });
    const definition = page.value[0] as Record<string, unknown> | undefined;
    if (!definition) throw new Error(`The sandbox org has no environment variable ${schemaName}.`);
    const existing = (
      definition.environmentvariabledefinition_environmentvariablevalue as Record<string, unknown>[] | undefined
    )?.[0];
    if (existing) {
      await api.update({
        collection: "environmentvariablevalues",
        key: String(existing.environmentvariablevalueid),
        data: { value },
      });
    } else {
      await api.create({
        collection: "environmentvariablevalues",
        data: {
          schemaname: schemaName,
          value,
          "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${String(definition.environmentvariabledefinitionid)})`,
        },
      });
    }
  }
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const stateDir = join(__dirname, "..", "..", ".sandbox");
  mkdirSync(stateDir, { recursive: true });
  const suffix = o.fresh ? `-${Date.now()}` : "";

  const pc = await createPartnerCenterEmulator({
    port: o.pcPort,
    persistPath: join(stateDir, `partner-center${suffix}.json`),
  });
  const dataverse = await createDataverseEmulator({
    port: o.dataversePort,
    snapshotFile: join(stateDir, `dataverse${suffix}.json`),
  });

  const admin = new DynamicsWebApi({
    serverUrl: dataverse.url,
    dataApi: { version: "9.2" },
    onTokenRefresh: async () => "sandbox-setup",
    impersonateAAD: SANDBOX_ADMIN_AAD,
  });
  const identity = await createDevelopmentIssuer({
    resolveUser: async (systemUserId) => {
      const user = (await admin.retrieve({
        collection: "systemusers",
        key: systemUserId,
        select: ["azureactivedirectoryobjectid", "fullname"],
      })) as { azureactivedirectoryobjectid?: string; fullname?: string } | null;
      return user?.azureactivedirectoryobjectid
        ? { oid: user.azureactivedirectoryobjectid, name: user.fullname ?? null }
        : null;
    },
  });
  const config = loadProxyConfig({
    PCS_MODE: "emulator",
    PCS_HOST: "127.0.0.1",
    PCS_PORT: String(o.proxyPort),
    PCS_OIDC_ISSUER: identity.issuer,
    PCS_OIDC_AUDIENCE: identity.audience,
    PCS_ALLOWED_TENANTS: identity.tenantId,
    PCS_DATAVERSE_URL: dataverse.url,
    PCS_PARTNER_CENTER_URL: pc.baseUrl,
    PCS_DATAVERSE_WEBHOOK_SECRET: SANDBOX_WEBHOOK_SECRET,
    PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM: pc.trust.rootCertificatePem,
    PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS: `${pc.baseUrl}/webhooks/certificates/`,
    PCS_PARTNER_CENTER_PORTAL_URL: `${pc.baseUrl}/admin/referrals`,
  });
  const services = await composeProxyServices(config);
  const proxy = await buildProxyServer(config, services);
  const proxyUrl = await proxy.listen({ port: config.port, host: config.host });
  const jobs = startJobs(
    services.application,
    { ...DEFAULT_JOB_SCHEDULE, reconcileEveryMs: 60_000 },
    (message, error) => console.error(message, error),
  );

  // What setup does on a real org: the Dataverse service endpoint and steps, and Partner Center's webhook.
  await ensureDataverseWebhook(admin, { proxyUrl, secret: SANDBOX_WEBHOOK_SECRET });
  await new WebhookRegistrationClient({
    baseUrl: pc.baseUrl,
    tokenProvider: new StaticTokenProvider("sandbox-setup"),
  }).ensure(`${proxyUrl}/api/webhooks/partner-center`, REFERRAL_WEBHOOK_EVENTS);

  // The form script reads these environment variables: where the proxy is, and how to sign in.
  await setEnvironmentVariables(admin, {
    pcs_ProxyUrl: proxyUrl,
    pcs_SignInScope: `${identity.audience}/Sync.ReadWrite`,
    pcs_DevelopmentIssuerUrl: identity.sandboxTokenUrl,
  });

  console.log("Co-sell Referral Sync sandbox is running:");
  console.log(`  Referral proxy            ${proxyUrl}/api/health`);
  console.log(`  Sign-in (development)     ${identity.issuer}`);
  console.log(`  Partner Center emulator   ${pc.baseUrl}/v1.0/engagements/referrals`);
  console.log(`  Microsoft side (admin)    ${pc.baseUrl}/admin/referrals`);
  console.log(`  Dataverse emulator        ${dataverse.apiUrl}`);
  console.log(`  State kept in             ${stateDir} (start with --fresh for a clean seed)`);
  console.log("Press Ctrl+C to stop.");

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void jobs
      .stop()
      .then(() => Promise.allSettled([proxy.close(), identity.close(), pc.close(), dataverse.close()]))
      .then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
