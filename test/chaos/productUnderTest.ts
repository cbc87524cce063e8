import type { DynamicsWebApi } from "dynamics-web-api";
import type { FastifyInstance } from "fastify";
import { REFERRAL_WEBHOOK_EVENTS } from "../../plugins-ts/src/partnerCenter/webhookSignature";
import { WebhookRegistrationClient } from "../../plugins-ts/src/partnerCenter/webhookRegistrationClient";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { composeProxyServices, type CompositionOptions } from "../../plugins-ts/src/server/proxyComposition";
import { loadProxyConfig, type ProxyConfig } from "../../plugins-ts/src/server/proxyConfig";
import { buildProxyServer } from "../../plugins-ts/src/server/proxyServer";
import type { ProxyServices } from "../../plugins-ts/src/server/proxyServices";
import {
  ensureDataverseWebhook,
  OPPORTUNITY_FILTERING_ATTRIBUTES,
} from "../../plugins-ts/src/setup/dataverseWebhookSetup";
import { clientFor, SEED } from "../dataverse/fixture";
import { createDataverseEmulator, type DataverseEmulator } from "../emulators/dataverse/server";
import type { SeedData } from "../emulators/dataverse/seed";
import { createDevelopmentIssuer, type DevelopmentIssuer } from "../emulators/identity/developmentIssuer";
import {
  createPartnerCenterEmulator,
  type PartnerCenterEmulator,
  type PartnerCenterEmulatorOptions,
} from "../emulators/partner-center/server";
import { generateSigningMaterial, type SigningMaterial } from "../emulators/partner-center/signingCertificates";

/**
 * The product as production composes it, over real HTTP on loopback: both emulators, the development issuer and
 * any number of in-process proxy instances built by `composeProxyServices` + `buildProxyServer` (what `main.ts`
 * does). Shared by the chaos run, the fuzzer and the security tests, so all three attack the same composition.
 */

export const DATAVERSE_WEBHOOK_SECRET = "chaos-fuzz-security-dataverse-webhook-secret-0123456789";

export interface ProxyInstance {
  name: string;
  app: FastifyInstance;
  url: string;
  services: ProxyServices;
  config: ProxyConfig;
}

export interface ProductUnderTest {
  pc: PartnerCenterEmulator;
  dv: DataverseEmulator;
  idp: DevelopmentIssuer;
  /** The org's administrator, for set-up and for reading both sides afterwards. */
  admin: DynamicsWebApi;
  proxies: ProxyInstance[];
  /** Errors behind the proxies' 5xx answers (route, status, message), for reports: the error body hides them. */
  serverErrors: string[];
  /** The environment a proxy process needs to join this product (PCS_* variables). */
  proxyEnvironment(extra?: Record<string, string>): Record<string, string>;
  /** Starts one more in-process instance. */
  startProxy(name: string, options?: CompositionOptions): Promise<ProxyInstance>;
  /** Dataverse's async steps and Partner Center's deliveries have all been handled (repeated: one feeds the other). */
  settle(rounds?: number): Promise<void>;
  close(): Promise<void>;
}

export interface ProductOptions {
  /** In-process proxy instances to start (default 1). */
  instances?: number;
  dataverseSeed?: SeedData;
  partnerCenter?: PartnerCenterEmulatorOptions;
  /** Extra PCS_* settings for every instance. */
  proxySettings?: Record<string, string>;
  /** Register the webhooks on both sides (default true): Dataverse → every instance, Partner Center → the first. */
  registerWebhooks?: boolean;
  composition?: CompositionOptions;
}

/** One signing chain per process: RSA key generation is the slowest part of starting the Partner Center emulator. */
let signing: SigningMaterial | undefined;

/** The Update step of a second endpoint, so another instance gets every opportunity event too. */
async function addDataverseEndpoint(admin: DynamicsWebApi, name: string, url: string): Promise<void> {
  const endpoint = String(
    await admin.create({
      collection: "serviceendpoints",
      data: { name, url, contract: 8, messageformat: 2, authtype: 4, authvalue: DATAVERSE_WEBHOOK_SECRET },
    }),
  );
  for (const [message, filter] of [
    [SEED.messages.update, SEED.filters.updateOpportunity],
    [SEED.messages.create, SEED.filters.createOpportunity],
  ] as const) {
    await admin.create({
      collection: "sdkmessageprocessingsteps",
      data: {
        name: `${name}: ${message}`,
        stage: 40,
        mode: 1,
        rank: 2,
        // The same filter setup registers: the proxy's own sync-column writes do not fire the step.
        ...(message === SEED.messages.update
          ? { filteringattributes: OPPORTUNITY_FILTERING_ATTRIBUTES.join(",") }
          : {}),
        "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${endpoint})`,
        "sdkmessageid@odata.bind": `/sdkmessages(${message})`,
        "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${filter})`,
      },
    });
  }
}

export async function startProductUnderTest(options: ProductOptions = {}): Promise<ProductUnderTest> {
  signing ??= generateSigningMaterial();
  const pc = await createPartnerCenterEmulator({
    signing,
    delivery: { backoffBaseMs: 5, backoffMaxMs: 50 },
    ...options.partnerCenter,
  });
  const dv = await createDataverseEmulator({
    port: 0,
    ...(options.dataverseSeed ? { seed: options.dataverseSeed } : {}),
  });
  const idp = await createDevelopmentIssuer();
  const admin = clientFor(dv, { impersonateAAD: SEED.aad.admin });
  const proxies: ProxyInstance[] = [];
  const serverErrors: string[] = [];

  const proxyEnvironment = (extra: Record<string, string> = {}): Record<string, string> => ({
    PCS_MODE: "emulator",
    PCS_OIDC_ISSUER: idp.issuer,
    PCS_OIDC_AUDIENCE: idp.audience,
    PCS_ALLOWED_TENANTS: idp.tenantId,
    PCS_DATAVERSE_URL: dv.url,
    PCS_PARTNER_CENTER_URL: pc.baseUrl,
    PCS_DATAVERSE_WEBHOOK_SECRET: DATAVERSE_WEBHOOK_SECRET,
    PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM: pc.trust.rootCertificatePem,
    PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS: `${pc.baseUrl}/webhooks/certificates/`,
    PCS_DAILY_BUDGET: "1000000",
    ...options.proxySettings,
    ...extra,
  });

  const startProxy = async (name: string, composition: CompositionOptions = options.composition ?? {}) => {
    const config = loadProxyConfig(proxyEnvironment());
    const services = await composeProxyServices(config, composition);
    const app = await buildProxyServer(config, services);
    const errors = new WeakMap<object, Error>();
    app.addHook("onError", async (req, _reply, error) => {
      errors.set(req, error);
    });
    app.addHook("onResponse", async (req, reply) => {
      const error = errors.get(req);
      if (reply.statusCode >= 500 && error) {
        serverErrors.push(`${name} ${req.method} ${req.url.split("?")[0]} ${reply.statusCode}: ${error.message}`);
      }
    });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    const instance = { name, app, url, services, config };
    proxies.push(instance);
    return instance;
  };

  for (let i = 0; i < (options.instances ?? 1); i++) await startProxy(String.fromCharCode(65 + i));

  if ((options.registerWebhooks ?? true) && proxies[0]) {
    await ensureDataverseWebhook(admin, { proxyUrl: proxies[0].url, secret: DATAVERSE_WEBHOOK_SECRET });
    for (const other of proxies.slice(1)) {
      await addDataverseEndpoint(admin, `Instance ${other.name}`, `${other.url}/api/webhooks/dataverse`);
    }
    await new WebhookRegistrationClient({
      baseUrl: pc.baseUrl,
      tokenProvider: new StaticTokenProvider("setup"),
      retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    }).ensure(`${proxies[0].url}/api/webhooks/partner-center`, REFERRAL_WEBHOOK_EVENTS);
  }

  return {
    pc,
    dv,
    idp,
    admin,
    proxies,
    serverErrors,
    proxyEnvironment,
    startProxy,
    async settle(rounds = 6) {
      for (let i = 0; i < rounds; i++) {
        await dv.webhooksIdle();
        await pc.context.webhooks.whenIdle();
      }
    },
    async close() {
      for (const p of proxies) await p.app.close();
      await dv.close();
      await pc.close();
      await idp.close();
    },
  };
}
