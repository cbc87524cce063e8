/// <reference types="xrm" />
import { languageFromLcid, type Language } from "../../domain/messages";
import { ENVIRONMENT_VARIABLES, readEnvironmentVariables, type EnvironmentValues } from "./environmentVariables";
import { normalizeId } from "./formAccess";
import { createProxyClient, type ProxyClient } from "./proxyClient";
import { createDevelopmentTokenSource, createMsalTokenSource, type MsalModule, type TokenSource } from "./tokenSource";

/**
 * What the handlers need from the page: the user's language, the clock, and the proxy client built from the
 * environment variables (read once per page, on the first sync: a form that never syncs reads nothing).
 */

export interface RuntimeOptions {
  timeoutMs?: number;
  retryDelayMs?: number;
  now?: () => Date;
  fetchImpl?: typeof fetch;
  loadMsal?: () => Promise<MsalModule>;
}

let options: RuntimeOptions = {};
let proxy: Promise<ProxySetup> | null = null;

/** For hosts that need other timeouts (the sandbox) and for tests; forgets the cached configuration. */
export function configureRuntime(next: RuntimeOptions = {}): void {
  options = { ...next };
  proxy = null;
}

export function now(): Date {
  return options.now ? options.now() : new Date();
}

export function globalContext(): Xrm.GlobalContext {
  return Xrm.Utility.getGlobalContext();
}

export function userLanguage(): Language {
  return languageFromLcid(globalContext().userSettings.languageId);
}

export function currentUserId(): string {
  return normalizeId(globalContext().userSettings.userId);
}

export function webApi(): Xrm.WebApi {
  return Xrm.WebApi;
}

export type ProxySetup = { ok: true; client: ProxyClient } | { ok: false; missing: string };

async function loginHint(): Promise<string | null> {
  const row = (await webApi().retrieveRecord("systemuser", currentUserId(), "?$select=domainname")) as {
    domainname?: unknown;
  };
  return typeof row.domainname === "string" && row.domainname ? row.domainname : null;
}

export function tokenSourceFor(env: EnvironmentValues): TokenSource | { missing: string } {
  const scope = env[ENVIRONMENT_VARIABLES.signInScope];
  const issuerUrl = env[ENVIRONMENT_VARIABLES.developmentIssuerUrl];
  if (issuerUrl) {
    return createDevelopmentTokenSource(
      { issuerUrl, userId: currentUserId(), scope: scope ?? "", timeoutMs: options.timeoutMs },
      options.fetchImpl,
    );
  }
  const tenantId = env[ENVIRONMENT_VARIABLES.signInTenantId];
  const clientId = env[ENVIRONMENT_VARIABLES.signInClientId];
  if (!tenantId) return { missing: ENVIRONMENT_VARIABLES.signInTenantId };
  if (!clientId) return { missing: ENVIRONMENT_VARIABLES.signInClientId };
  if (!scope) return { missing: ENVIRONMENT_VARIABLES.signInScope };
  return createMsalTokenSource(
    { tenantId, clientId, scope, redirectUri: globalContext().getClientUrl() },
    { loginHint, loadMsal: options.loadMsal },
  );
}

async function setUpProxy(): Promise<ProxySetup> {
  const env = await readEnvironmentVariables(webApi());
  const baseUrl = env[ENVIRONMENT_VARIABLES.proxyUrl];
  if (!baseUrl) return { ok: false, missing: ENVIRONMENT_VARIABLES.proxyUrl };
  const tokens = tokenSourceFor(env);
  if ("missing" in tokens) return { ok: false, missing: tokens.missing };
  return {
    ok: true,
    client: createProxyClient({
      baseUrl,
      tokens,
      timeoutMs: options.timeoutMs,
      retryDelayMs: options.retryDelayMs,
      fetchImpl: options.fetchImpl,
    }),
  };
}

/** The proxy client; a failed or incomplete configuration is read again next time. */
export function proxyClient(): Promise<ProxySetup> {
  const current = (proxy ??= setUpProxy());
  void current.then(
    (setup) => {
      if (!setup.ok && proxy === current) proxy = null;
      return undefined;
    },
    () => {
      if (proxy === current) proxy = null;
    },
  );
  return current;
}

/** Background work the handlers started (post-save sync, confirmation): never awaited by the form. */
const inFlight = new Set<Promise<unknown>>();

export function track(work: Promise<unknown>): void {
  const settled = work.then(
    () => undefined,
    (error: unknown) => console.error("[Pcs.OpportunityForm]", error),
  );
  inFlight.add(settled);
  void settled.then(() => inFlight.delete(settled));
}

/** Resolves when no background work is left (for the sandbox host and tests). */
export async function whenIdle(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
}
