import { DynamicsWebApi } from "dynamics-web-api";
import { REFERRAL_WEBHOOK_EVENTS } from "../../plugins-ts/src/partnerCenter/webhookSignature";
import { WebhookRegistrationClient } from "../../plugins-ts/src/partnerCenter/webhookRegistrationClient";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { ensureDataverseWebhook } from "../../plugins-ts/src/setup/dataverseWebhookSetup";
import { readSeedFile, type SeedData } from "../emulators/dataverse/seed";
import { createDataverseEmulator, type DataverseEmulator } from "../emulators/dataverse/server";
import { createDevelopmentIssuer, type DevelopmentIssuer } from "../emulators/identity/developmentIssuer";
import {
  createPartnerCenterEmulator,
  type PartnerCenterEmulator,
  type PartnerCenterEmulatorOptions,
} from "../emulators/partner-center/server";
import { startChild, waitForLog, type BenchChild } from "./childProcess";

/**
 * The product as the benchmarks run it: both emulators and the development issuer in this process, the proxy
 * (plugins-ts/src/main.ts, emulator mode, composed exactly as in production) as a child process, and the webhooks
 * registered on both sides as setup does, as test/proxy/endToEnd.test.ts composes it.
 */

const WEBHOOK_SECRET = "bench-dataverse-webhook-secret-0123456789abcdef";
export const ADMIN_AAD = "aad00000-0000-4000-8000-000000000002";
export const SELLER_AAD = "aad00000-0000-4000-8000-000000000003";

export interface StackOptions {
  seed?: (base: SeedData) => SeedData;
  partnerCenter?: PartnerCenterEmulatorOptions;
  /** Register the Dataverse step and the Partner Center webhook (false: the proxy only answers /api/sync). */
  webhooks: boolean;
  proxyEnv?: Record<string, string>;
}

export interface BenchStack {
  pc: PartnerCenterEmulator;
  dv: DataverseEmulator;
  idp: DevelopmentIssuer;
  proxy: BenchChild;
  proxyUrl: string;
  /** Environment for another proxy-configured process (the backfill command). */
  proxyEnv: Record<string, string>;
  client(aad: string): DynamicsWebApi;
  /** Partner Center Referrals calls the emulator has counted today (throttled answers excluded). */
  pcCalls(): number;
  /** Until both sides' webhook deliveries are done (each delivery waits for the proxy's answer). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export function clientFor(dv: DataverseEmulator, aad: string): DynamicsWebApi {
  return new DynamicsWebApi({
    serverUrl: dv.url,
    dataApi: { version: "9.2" },
    onTokenRefresh: async () => "bench",
    impersonateAAD: aad,
  });
}

/** Configuration of a proxy-configured process against these emulators (plugins-ts/README.md). */
function proxyEnvironment(pc: PartnerCenterEmulator, dv: DataverseEmulator, idp: DevelopmentIssuer) {
  return {
    PCS_MODE: "emulator",
    PCS_HOST: "127.0.0.1",
    PCS_PORT: "0",
    PCS_OIDC_ISSUER: idp.issuer,
    PCS_OIDC_AUDIENCE: idp.audience,
    PCS_ALLOWED_TENANTS: idp.tenantId,
    PCS_DATAVERSE_URL: dv.url,
    PCS_PARTNER_CENTER_URL: pc.baseUrl,
    PCS_DATAVERSE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM: pc.trust.rootCertificatePem,
    PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS: `${pc.baseUrl}/webhooks/certificates/`,
  };
}

export async function startEmulators(options: Pick<StackOptions, "seed" | "partnerCenter">) {
  const pc = await createPartnerCenterEmulator({
    delivery: { backoffBaseMs: 5, backoffMaxMs: 50 },
    ...options.partnerCenter,
  });
  const base = readSeedFile();
  const dv = await createDataverseEmulator({ port: 0, seed: options.seed ? options.seed(base) : base });
  const idp = await createDevelopmentIssuer();
  return { pc, dv, idp, env: proxyEnvironment(pc, dv, idp) };
}

export async function startBenchStack(options: StackOptions): Promise<BenchStack> {
  const { pc, dv, idp, env } = await startEmulators(options);
  const proxyEnv = { ...env, ...options.proxyEnv };
  const proxy = await startChild("proxy", [], proxyEnv);
  const close = async () => {
    proxy.kill();
    await proxy.exited;
    proxy.removeLog();
    await Promise.allSettled([dv.close(), pc.close(), idp.close()]);
  };
  try {
    const proxyUrl = await waitForLog(proxy, /listening at (http:\/\/127\.0\.0\.1:\d+)/);
    if (options.webhooks) {
      await ensureDataverseWebhook(clientFor(dv, ADMIN_AAD), { proxyUrl, secret: WEBHOOK_SECRET });
      await new WebhookRegistrationClient({
        baseUrl: pc.baseUrl,
        tokenProvider: new StaticTokenProvider("bench-setup"),
      }).ensure(`${proxyUrl}/api/webhooks/partner-center`, REFERRAL_WEBHOOK_EVENTS);
    }
    return {
      pc,
      dv,
      idp,
      proxy,
      proxyUrl,
      proxyEnv,
      client: (aad) => clientFor(dv, aad),
      pcCalls: () => pc.context.throttle.usage().used,
      settle: async () => {
        for (let i = 0; i < 5; i++) {
          await dv.webhooksIdle();
          await pc.context.webhooks.whenIdle();
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
