import { randomUUID } from "node:crypto";
import { defaultReferenceData } from "../../../domain";
import { createCallerAuthenticator } from "../auth/callerAuthentication";
import { DataverseAuditSink } from "../dataverse/dataverseAuditSink";
import { DataverseGateway } from "../dataverse/dataverseGateway";
import { DataverseStateStore } from "../dataverse/dataverseStateStore";
import { DataverseSyncStore } from "../dataverse/dataverseSyncStore";
import {
  MsalClientCredentialsTokenProvider,
  StaticTokenProvider as DataverseStaticToken,
  type TokenProvider as DataverseTokenProvider,
} from "../dataverse/tokenProvider";
import { MsalDelegatedTokenProvider } from "../partnerCenter/msalDelegatedTokenProvider";
import { PartnerCenterClient } from "../partnerCenter/partnerCenterClient";
import { StaticTokenProvider, type TokenProvider } from "../partnerCenter/tokenProvider";
import { WebhookSignatureVerifier } from "../partnerCenter/webhookSignature";
import { DEFAULT_SYNC_OPTIONS, type SyncEnvironment } from "../sync/outboundSync";
import { OwnWriteRegistry } from "../sync/ownWriteRegistry";
import { DEFAULT_RETRY_SCHEDULE } from "../sync/retrySchedule";
import { cachedDoctor } from "../setup/cachedDoctor";
import { runDoctor } from "../setup/doctor";
import { connect } from "../setup/setupConnections";
import { BadRequest, WebhookRefused } from "./httpErrors";
import type { ProxyConfig } from "./proxyConfig";
import type { HealthCheck, ProxyServices } from "./proxyServices";

/**
 * The composition root: real services or the emulators, chosen by configuration alone. Real mode signs in to
 * Dataverse with client credentials (the application user) and to Partner Center as the delegated integration
 * user; emulator mode uses static tokens the emulators accept. Everything after this point is the same code.
 */

export interface CompositionOptions {
  clock?: () => Date;
  /** Emulator mode: the bearer token the Dataverse emulator maps to the integration (application) user. */
  emulatorDataverseToken?: string;
}

async function timed(check: () => Promise<string>): Promise<HealthCheck> {
  const start = Date.now();
  try {
    return { ok: true, detail: await check(), latencyMs: Date.now() - start };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error), latencyMs: Date.now() - start };
  }
}

export async function composeProxyServices(
  config: ProxyConfig,
  options: CompositionOptions = {},
): Promise<ProxyServices> {
  const clock = options.clock ?? (() => new Date());
  const emulator = config.mode === "emulator";

  const dataverseToken: DataverseTokenProvider = emulator
    ? new DataverseStaticToken(options.emulatorDataverseToken ?? "pcs-emulator-application-user")
    : new MsalClientCredentialsTokenProvider({
        tenantId: config.dataverse.tenantId!,
        clientId: config.dataverse.clientId!,
        clientSecret: config.dataverse.clientSecret!,
        orgUrl: config.dataverse.url,
      });
  const gateway = new DataverseGateway({ serverUrl: config.dataverse.url, tokenProvider: dataverseToken });

  const partnerCenterToken: TokenProvider = emulator
    ? new StaticTokenProvider("pcs-emulator-integration-user")
    : new MsalDelegatedTokenProvider({
        clientId: config.partnerCenter.clientId!,
        tenantId: config.partnerCenter.tenantId!,
        cachePath: config.partnerCenter.tokenCachePath!,
        cacheSecret: config.partnerCenter.tokenCacheSecret!,
      });
  const referrals = new PartnerCenterClient({
    baseUrl: config.partnerCenter.apiUrl,
    tokenProvider: partnerCenterToken,
  });

  const state = new DataverseStateStore(gateway);
  const ownWrites = new OwnWriteRegistry();
  const audit = new DataverseAuditSink(gateway);
  const environment = (store: DataverseSyncStore): SyncEnvironment => ({
    referrals,
    store,
    // Audit rows and the quota counter are written by the application user: sellers only read them.
    audit,
    quota: state,
    reference: defaultReferenceData(),
    clock,
    newCorrelationId: randomUUID,
    referralLink: (id) => `${config.partnerCenter.portalUrl}/${encodeURIComponent(id)}`,
    options: {
      ...DEFAULT_SYNC_OPTIONS,
      dailyBudget: config.dailyBudget,
      claimTtlMs: config.jobs.claimTtlSeconds * 1000,
      language: config.language,
      retry: DEFAULT_RETRY_SCHEDULE,
    },
    ownWrites,
  });

  const roots = config.webhooks.partnerCenterTrustedRootsPem;
  const verifier = roots
    ? new WebhookSignatureVerifier({
        trustedRootCertificatesPem: [roots],
        intermediateCertificatesPem: config.webhooks.partnerCenterIntermediatesPem
          ? [config.webhooks.partnerCenterIntermediatesPem]
          : [],
        issuerOrganization: config.webhooks.partnerCenterSignerOrganization,
        allowedCertificateUrlPrefixes: config.webhooks.partnerCenterCertificateUrlPrefixes,
      })
    : null;

  // The application user's id makes its own writes recognisable as echoes; ask Dataverse when not configured.
  const applicationUserId = config.dataverse.applicationUserId ?? (await gateway.whoAmI()).userId.toLowerCase();

  // The doctor behind /api/health sees what setup and `npm run doctor` see, with the proxy's own sign-ins.
  const doctorConnections = connect(config, { ...options, partnerCenterToken, clock });
  return {
    authenticate: createCallerAuthenticator(config.auth),
    forCaller: (caller) => environment(new DataverseSyncStore(gateway.asUser(caller.objectId))),
    application: { ...environment(new DataverseSyncStore(gateway)), referrals, state },
    applicationUserId,
    partnerCenterWebhookMaxAgeSeconds: config.webhooks.partnerCenterMaxAgeSeconds,
    verifyPartnerCenterWebhook: async (headers, body) => {
      if (!verifier)
        throw new WebhookRefused(
          "Partner Center webhook trust is not configured (PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM).",
        );
      const result = await verifier.verify(headers, body);
      if (!result.ok) {
        // Signed but unreadable is bad input (400); anything unproven stays a refusal (401).
        if (result.status === 400) throw new BadRequest(result.reason);
        throw new WebhookRefused(result.reason);
      }
    },
    doctor: cachedDoctor(() => runDoctor(doctorConnections), config.setup.healthCacheSeconds * 1000),
    health: async () => {
      const checks: Record<string, HealthCheck> = {
        dataverse: await timed(async () => `reachable as ${(await gateway.whoAmI()).userId}`),
        partnerCenterSignIn: await timed(async () => {
          const status = await partnerCenterToken.status();
          if (!status.signedIn) throw new Error("the integration user is not signed in; run setup");
          return status.expiresOn ? `signed in until ${status.expiresOn.toISOString()}` : "signed in";
        }),
        partnerCenter: await timed(async () => {
          // Any HTTP answer proves reachability; a referral request would spend quota.
          const res = await fetch(config.partnerCenter.apiUrl, { method: "HEAD", signal: AbortSignal.timeout(5000) });
          return `reachable (HTTP ${res.status})`;
        }),
        partnerCenterWebhookTrust: {
          ok: verifier !== null,
          detail: verifier ? "configured" : "PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM is not set",
        },
      };
      return { status: Object.values(checks).every((c) => c.ok) ? "ok" : "degraded", mode: config.mode, checks };
    },
  };
}
