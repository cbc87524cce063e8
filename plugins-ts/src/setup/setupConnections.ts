import type { DynamicsWebApi } from "dynamics-web-api";
import { createDataverseClient } from "../dataverse/dataverseClient";
import { DataverseGateway } from "../dataverse/dataverseGateway";
import { DataverseStateStore } from "../dataverse/dataverseStateStore";
import {
  MsalClientCredentialsTokenProvider,
  StaticTokenProvider as DataverseStaticToken,
  type TokenProvider as DataverseTokenProvider,
} from "../dataverse/tokenProvider";
import { MsalDelegatedTokenProvider, WEBHOOKS_SCOPE } from "../partnerCenter/msalDelegatedTokenProvider";
import type { RetryPolicy } from "../partnerCenter/retryPolicy";
import { StaticTokenProvider, type TokenProvider } from "../partnerCenter/tokenProvider";
import { WebhookRegistrationClient } from "../partnerCenter/webhookRegistrationClient";
import type { ProxyConfig } from "../server/proxyConfig";
import type { QuotaLedger } from "../sync/syncPorts";
import { PartnerCenterRolesClient } from "./partnerCenterRoles";

/**
 * Everything setup and doctor talk to, built from the proxy's configuration exactly as the proxy builds its own
 * clients: real sign-ins in real mode, the tokens the emulators accept in emulator mode. Tests replace parts.
 */

export interface Connections {
  config: ProxyConfig;
  /** Dataverse as the proxy's application user (what the proxy itself can see and do). */
  dataverse: DynamicsWebApi;
  /** Dataverse as the administrator setup acts for (CallerObjectId), or the application user. */
  dataverseAdmin: DynamicsWebApi;
  /** Delegated token of the integration user for the Referrals API (never used here to call it). */
  partnerCenterToken: TokenProvider;
  /** The webhook registration API (api.partnercenter.microsoft.com). */
  webhooks: WebhookRegistrationClient;
  /** The account roles API (same host). */
  roles: PartnerCenterRolesClient;
  quota: Pick<QuotaLedger, "usedOn">;
  /** Used for the unauthenticated reachability probe of the Referrals host. */
  fetch: typeof fetch;
  clock: () => Date;
  /** Real mode: the integration user's one-time device code sign-in (refresh tokens after it); null otherwise. */
  signIn: ((show: (message: string) => void) => Promise<string>) | null;
}

export interface ConnectionOverrides {
  /** Emulator mode: bearer token the Dataverse emulator maps to the application user. */
  emulatorDataverseToken?: string;
  partnerCenterToken?: TokenProvider;
  /** Token for the webhook registration and roles API; defaults to partnerCenterToken in emulator mode. */
  partnerCenterAccountToken?: TokenProvider;
  fetch?: typeof fetch;
  clock?: () => Date;
  retry?: Partial<RetryPolicy>;
}

/** Doctor must answer quickly: few retries, short timeouts. */
const QUICK_RETRY: Partial<RetryPolicy> = { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000, maxRetryAfterMs: 2000 };

export function connect(config: ProxyConfig, overrides: ConnectionOverrides = {}): Connections {
  const emulator = config.mode === "emulator";
  const dataverseToken: DataverseTokenProvider = emulator
    ? new DataverseStaticToken(overrides.emulatorDataverseToken ?? "pcs-emulator-application-user")
    : new MsalClientCredentialsTokenProvider({
        tenantId: config.dataverse.tenantId!,
        clientId: config.dataverse.clientId!,
        clientSecret: config.dataverse.clientSecret!,
        orgUrl: config.dataverse.url,
      });
  const connection = { serverUrl: config.dataverse.url, tokenProvider: dataverseToken, timeoutMs: 15_000 };
  const msal = (scopes?: string[]) =>
    new MsalDelegatedTokenProvider({
      clientId: config.partnerCenter.clientId!,
      tenantId: config.partnerCenter.tenantId!,
      cachePath: config.partnerCenter.tokenCachePath!,
      cacheSecret: config.partnerCenter.tokenCacheSecret!,
      ...(config.setup.partnerCenterUsername ? { username: config.setup.partnerCenterUsername } : {}),
      ...(scopes ? { scopes } : {}),
    });
  const delegated = emulator || overrides.partnerCenterToken ? null : msal();
  const partnerCenterToken =
    overrides.partnerCenterToken ?? delegated ?? new StaticTokenProvider("pcs-emulator-integration-user");
  // The same signed-in user and refresh token, for the other Partner Center host's audience.
  const accountToken = overrides.partnerCenterAccountToken ?? (emulator ? partnerCenterToken : msal([WEBHOOKS_SCOPE]));
  const fetchImpl = overrides.fetch ?? fetch;
  const transport = {
    baseUrl: config.setup.partnerCenterWebhooksUrl,
    tokenProvider: accountToken,
    retry: { ...QUICK_RETRY, ...overrides.retry },
    timeoutMs: 10_000,
    fetch: fetchImpl,
  };
  return {
    config,
    dataverse: createDataverseClient(connection),
    dataverseAdmin: createDataverseClient(connection, config.setup.adminAadObjectId ?? undefined),
    partnerCenterToken,
    webhooks: new WebhookRegistrationClient(transport),
    roles: new PartnerCenterRolesClient(transport),
    quota: new DataverseStateStore(new DataverseGateway(connection)),
    fetch: fetchImpl,
    clock: overrides.clock ?? (() => new Date()),
    signIn: delegated
      ? async (show) => (await delegated.signInWithDeviceCode((prompt) => show(prompt.message))).username
      : null,
  };
}
