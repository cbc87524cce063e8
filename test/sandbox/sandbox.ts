import { DynamicsWebApi } from "dynamics-web-api";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { composeProxyServices } from "../../plugins-ts/src/server/proxyComposition";
import { loadProxyConfig } from "../../plugins-ts/src/server/proxyConfig";
import { buildProxyServer } from "../../plugins-ts/src/server/proxyServer";
import { runSetup } from "../../plugins-ts/src/setup/setup";
import { connect } from "../../plugins-ts/src/setup/setupConnections";
import { DEFAULT_JOB_SCHEDULE, startJobs } from "../../plugins-ts/src/sync/jobScheduler";
import { createDataverseEmulator, type DataverseEmulator } from "../emulators/dataverse/server";
import { createDevelopmentIssuer } from "../emulators/identity/developmentIssuer";
import { EMULATOR_INTEGRATION_USER } from "../emulators/partner-center/accountRoles";
import { createPartnerCenterEmulator, type PartnerCenterEmulator } from "../emulators/partner-center/server";
import { createSandboxWebServer } from "./webServer";

/**
 * The whole product on one machine: the Partner Center emulator, the Dataverse emulator (seeded), a development
 * sign-in issuer, the referral proxy (composed as in production, emulator mode, with its jobs), the webhooks on
 * both sides registered as setup does, and the sandbox web server (the Opportunity form and the Microsoft page).
 * `npm start` and the browser tests both start it through here.
 */

export interface SandboxOptions {
  /** 0 picks a free port (tests). */
  pcPort?: number;
  dataversePort?: number;
  proxyPort?: number;
  webPort?: number;
  /** Where the emulators keep their state across restarts; null keeps everything in memory (tests). */
  stateDir?: string | null;
  /** With a stateDir: start from the seed instead of the saved state. */
  fresh?: boolean;
  /** Background job errors; console.error by default. */
  log?: (message: string, error?: unknown) => void;
  /** Setup's progress, one line per step (npm start prints them). */
  setupProgress?: (line: string) => void;
}

export interface Sandbox {
  webUrl: string;
  proxyUrl: string;
  partnerCenterUrl: string;
  dataverseUrl: string;
  issuerUrl: string;
  stateDir: string | null;
  partnerCenter: PartnerCenterEmulator;
  dataverse: DataverseEmulator;
  close(): Promise<void>;
}

/** Sandbox-only secret: the proxy and the Dataverse emulator share it; nothing real is protected by it. */
const SANDBOX_WEBHOOK_SECRET = "sandbox-dataverse-webhook-secret-not-for-production";
/** The Dataverse emulator's administrator (seed), who may register webhooks. */
export const SANDBOX_ADMIN_AAD = "aad00000-0000-4000-8000-000000000002";

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ""));
  const stateDir = options.stateDir ?? null;
  const pcState = stateDir ? join(stateDir, "partner-center.json") : null;
  const dataverseState = stateDir ? join(stateDir, "dataverse.json") : null;
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  // --fresh: back to the seed, and the state kept from then on (the next start without --fresh continues it).
  if (options.fresh) for (const file of [pcState, dataverseState]) if (file) rmSync(file, { force: true });
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error: unknown) => log("stopping failed", error));
  };
  try {
    const pc = await createPartnerCenterEmulator({
      port: options.pcPort ?? 0,
      ...(pcState ? { persistPath: pcState } : {}),
    });
    closers.push(() => pc.close());
    const dataverse = await createDataverseEmulator({
      port: options.dataversePort ?? 0,
      ...(dataverseState ? { snapshotFile: dataverseState } : {}),
    });
    closers.push(() => dataverse.close());

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
    closers.push(() => identity.close());

    // The web server listens first: the proxy must know its origin to allow the form's calls (CORS).
    const web = await createSandboxWebServer({ port: options.webPort ?? 0, dataverse, partnerCenterUrl: pc.baseUrl });
    closers.push(() => web.close());

    const config = loadProxyConfig({
      PCS_MODE: "emulator",
      PCS_HOST: "127.0.0.1",
      PCS_PORT: String(options.proxyPort ?? 0),
      PCS_OIDC_ISSUER: identity.issuer,
      PCS_OIDC_AUDIENCE: identity.audience,
      PCS_ALLOWED_TENANTS: identity.tenantId,
      PCS_ALLOWED_ORIGINS: web.origins.join(","),
      PCS_DATAVERSE_URL: dataverse.url,
      PCS_PARTNER_CENTER_URL: pc.baseUrl,
      PCS_DATAVERSE_WEBHOOK_SECRET: SANDBOX_WEBHOOK_SECRET,
      PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM: pc.trust.rootCertificatePem,
      PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS: `${pc.baseUrl}/webhooks/certificates/`,
      PCS_PARTNER_CENTER_PORTAL_URL: `${web.url}/microsoft/referrals`,
      // What setup needs: who the admin is on both sides, and what the form script signs in with.
      PCS_PARTNER_CENTER_USERNAME: EMULATOR_INTEGRATION_USER.userPrincipalName,
      PCS_SETUP_ADMIN_AAD_OBJECT_ID: SANDBOX_ADMIN_AAD,
      PCS_SIGN_IN_SCOPE: `${identity.audience}/Sync.ReadWrite`,
      PCS_DEVELOPMENT_ISSUER_URL: identity.sandboxTokenUrl,
    });
    const services = await composeProxyServices(config);
    const proxy = await buildProxyServer(config, services);
    const proxyUrl = await proxy.listen({ port: config.port, host: config.host });
    closers.push(() => proxy.close());
    const jobs = startJobs(services.application, { ...DEFAULT_JOB_SCHEDULE, reconcileEveryMs: 60_000 }, log);
    closers.push(() => jobs.stop());

    // `npm run setup` as on a real org: roles, environment variable values (where the proxy is, how the form
    // script signs in), the Dataverse webhook and Partner Center's. The proxy's URL is known once it listens.
    config.setup.publicUrl = proxyUrl;
    const setup = await runSetup(
      { connections: connect(config), overwrite: "yes", doctor: false },
      { confirm: async () => true, progress: options.setupProgress },
    );
    if (!setup.ok) {
      const failed = setup.steps.filter((step) => !step.ok).map((step) => `${step.title}: ${step.summary}`);
      throw new Error(`Setup failed: ${failed.join("; ")}`);
    }

    return {
      webUrl: web.url,
      proxyUrl,
      partnerCenterUrl: pc.baseUrl,
      dataverseUrl: dataverse.url,
      issuerUrl: identity.issuer,
      stateDir,
      partnerCenter: pc,
      dataverse,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
