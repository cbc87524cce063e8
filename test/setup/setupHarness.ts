import type { FastifyInstance } from "fastify";
import { composeProxyServices } from "../../plugins-ts/src/server/proxyComposition";
import { loadProxyConfig, type ProxyConfig } from "../../plugins-ts/src/server/proxyConfig";
import { buildProxyServer } from "../../plugins-ts/src/server/proxyServer";
import { connect, type ConnectionOverrides, type Connections } from "../../plugins-ts/src/setup/setupConnections";
import { SEED } from "../dataverse/fixture";
import { createDataverseEmulator, type DataverseEmulator } from "../emulators/dataverse/server";
import { createDevelopmentIssuer, type DevelopmentIssuer } from "../emulators/identity/developmentIssuer";
import { EMULATOR_INTEGRATION_USER } from "../emulators/partner-center/accountRoles";
import { createPartnerCenterEmulator, type PartnerCenterEmulator } from "../emulators/partner-center/server";

/**
 * Both emulators, a development issuer and the proxy composed as in production (emulator mode), on ports 0,
 * configured the way a deployment configures setup and doctor. Counts writes on both sides so tests can tell
 * that a second setup run changes nothing.
 */

export const SECRET = "setup-test-dataverse-webhook-secret-0123456789";

export interface SetupHarness {
  pc: PartnerCenterEmulator;
  dv: DataverseEmulator;
  idp: DevelopmentIssuer;
  proxy: FastifyInstance;
  proxyUrl: string;
  config: ProxyConfig;
  /** The environment the config was loaded from (for child processes). */
  env: Record<string, string>;
  /** Fresh connections; Partner Center writes through them are counted in `pcWrites`. */
  connect(overrides?: ConnectionOverrides): Connections;
  pcWrites(): number;
  /** Dataverse row version: moves on every write. */
  dvVersion(): number;
  close(): Promise<void>;
}

export async function startSetupHarness(): Promise<SetupHarness> {
  const pc = await createPartnerCenterEmulator({ delivery: { backoffBaseMs: 1, backoffMaxMs: 5 } });
  const dv = await createDataverseEmulator({ port: 0 });
  const idp = await createDevelopmentIssuer();
  const env: Record<string, string> = {
    PCS_MODE: "emulator",
    PCS_OIDC_ISSUER: idp.issuer,
    PCS_OIDC_AUDIENCE: idp.audience,
    PCS_ALLOWED_TENANTS: idp.tenantId,
    PCS_DATAVERSE_URL: dv.url,
    PCS_PARTNER_CENTER_URL: pc.baseUrl,
    PCS_DATAVERSE_WEBHOOK_SECRET: SECRET,
    PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM: pc.trust.rootCertificatePem,
    PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS: `${pc.baseUrl}/webhooks/certificates/`,
    PCS_PARTNER_CENTER_PORTAL_URL: `${pc.baseUrl}/admin/referrals`,
    PCS_PARTNER_CENTER_USERNAME: EMULATOR_INTEGRATION_USER.userPrincipalName,
    PCS_SETUP_ADMIN_AAD_OBJECT_ID: SEED.aad.admin,
    PCS_SIGN_IN_SCOPE: `${idp.audience}/Sync.ReadWrite`,
    PCS_DEVELOPMENT_ISSUER_URL: idp.sandboxTokenUrl,
    PCS_HEALTH_CACHE_SECONDS: "0",
  };
  const config = loadProxyConfig(env);
  const proxy = await buildProxyServer(config, await composeProxyServices(config));
  const proxyUrl = await proxy.listen({ port: 0, host: "127.0.0.1" });
  // The public URL is known only once the proxy listens; the composed doctor reads this same object.
  config.setup.publicUrl = proxyUrl;
  env.PCS_PUBLIC_URL = proxyUrl;

  let pcWrites = 0;
  const countingFetch: typeof fetch = (input, init) => {
    if (init?.method && init.method !== "GET" && init.method !== "HEAD") pcWrites += 1;
    return fetch(input, init);
  };
  return {
    pc,
    dv,
    idp,
    proxy,
    proxyUrl,
    config,
    env,
    connect: (overrides = {}) => connect(config, { fetch: countingFetch, retry: { maxAttempts: 1 }, ...overrides }),
    pcWrites: () => pcWrites,
    dvVersion: () => dv.store.data.version,
    async close() {
      await proxy.close();
      await dv.close();
      await pc.close();
      await idp.close();
    },
  };
}
