/**
 * Where the bearer token for the referral proxy comes from. The browser never holds a Partner Center
 * credential: it only proves who the signed-in user is, and the proxy acts on Dataverse as that user.
 *
 * - Production: @azure/msal-browser, silently (the user is already signed in to Dynamics 365 with Entra ID).
 * - Sandbox: a local development issuer (environment variable pcs_DevelopmentIssuerUrl) mints the token.
 */

export interface TokenRequestOptions {
  /** Skip any cached token (the proxy answered 401). */
  forceRefresh?: boolean;
  /**
   * The seller just clicked (Sync now): when silent sign-in needs interaction, a sign-in popup may open.
   * Never set from form events, which have no user gesture.
   */
  interactive?: boolean;
}

export interface TokenSource {
  getToken(options?: TokenRequestOptions): Promise<string>;
}

/** Any failure to obtain a token; `detail` is short and safe to show. */
export class TokenError extends Error {
  constructor(
    readonly detail: string,
    readonly interactionRequired = false,
  ) {
    super(`Token acquisition failed: ${detail}`);
    this.name = "TokenError";
  }
}

export interface MsalSettings {
  tenantId: string;
  clientId: string;
  /** The proxy's API scope, e.g. api://<app-id>/user_impersonation */
  scope: string;
  /** A page of the organization's origin registered as the app's SPA redirect URI. */
  redirectUri: string;
}

/** The part of msal-browser used here (lets tests pass a fake). */
export interface MsalModule {
  createStandardPublicClientApplication(configuration: {
    auth: { clientId: string; authority: string; redirectUri: string };
    cache: { cacheLocation: "sessionStorage" | "localStorage" | "memoryStorage" };
  }): Promise<MsalClient>;
  InteractionRequiredAuthError: abstract new (...args: never[]) => Error;
}

export interface MsalAccount {
  username: string;
  homeAccountId: string;
}

export interface MsalClient {
  getActiveAccount(): MsalAccount | null;
  getAllAccounts(): MsalAccount[];
  setActiveAccount(account: MsalAccount | null): void;
  acquireTokenSilent(request: {
    scopes: string[];
    account: MsalAccount;
    forceRefresh?: boolean;
  }): Promise<{ accessToken: string; account: MsalAccount | null }>;
  ssoSilent(request: { scopes: string[]; loginHint?: string }): Promise<{
    accessToken: string;
    account: MsalAccount | null;
  }>;
  acquireTokenPopup(request: { scopes: string[]; loginHint?: string }): Promise<{
    accessToken: string;
    account: MsalAccount | null;
  }>;
}

export interface MsalTokenSourceDeps {
  /** The user's sign-in name (UPN), used as login hint when MSAL has no account cached yet. */
  loginHint: () => Promise<string | null>;
  loadMsal?: () => Promise<MsalModule>;
}

/** msal-browser is loaded on the first token request only, so a form that never syncs never evaluates it. */
async function loadMsalBrowser(): Promise<MsalModule> {
  const msal = await import("@azure/msal-browser");
  return msal as unknown as MsalModule;
}

const AUTHORITY_HOST = "https://login.microsoftonline.com/";

function describe(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { errorCode?: unknown; message?: unknown };
    if (typeof e.errorCode === "string" && e.errorCode) return e.errorCode;
    if (typeof e.message === "string" && e.message) return e.message;
  }
  return String(error);
}

export function createMsalTokenSource(settings: MsalSettings, deps: MsalTokenSourceDeps): TokenSource {
  let msal: Promise<{ module: MsalModule; client: MsalClient }> | null = null;
  const load = () => {
    msal ??= (async () => {
      const module = await (deps.loadMsal ?? loadMsalBrowser)();
      const client = await module.createStandardPublicClientApplication({
        auth: {
          clientId: settings.clientId,
          authority: AUTHORITY_HOST + encodeURIComponent(settings.tenantId),
          redirectUri: settings.redirectUri,
        },
        cache: { cacheLocation: "sessionStorage" },
      });
      return { module, client };
    })();
    // A failed initialisation is retried on the next request rather than cached forever.
    msal.catch(() => {
      msal = null;
    });
    return msal;
  };

  // The user's sign-in name is read once, and only when MSAL has no account for this page yet.
  let hint: Promise<string | null> | null = null;
  const loginHint = () =>
    (hint ??= deps.loginHint().then(
      (value) => value?.toLowerCase() ?? null,
      () => null,
    ));

  return {
    async getToken(options: TokenRequestOptions = {}): Promise<string> {
      let loaded: { module: MsalModule; client: MsalClient };
      try {
        loaded = await load();
      } catch (error) {
        throw new TokenError(describe(error));
      }
      const { module, client } = loaded;
      const scopes = [settings.scope];
      const accept = (result: { accessToken: string; account: MsalAccount | null }): string => {
        if (result.account) client.setActiveAccount(result.account);
        if (!result.accessToken) throw new TokenError("empty token");
        return result.accessToken;
      };
      let userHint: string | null = null;
      try {
        let account = client.getActiveAccount();
        if (!account) {
          userHint = await loginHint();
          const accounts = client.getAllAccounts();
          account =
            (userHint ? accounts.find((a) => a.username.toLowerCase() === userHint) : undefined) ??
            (accounts.length === 1 ? accounts[0] : undefined) ??
            null;
        }
        return accept(
          account
            ? await client.acquireTokenSilent({ scopes, account, forceRefresh: options.forceRefresh === true })
            : await client.ssoSilent(userHint ? { scopes, loginHint: userHint } : { scopes }),
        );
      } catch (error) {
        if (error instanceof TokenError) throw error;
        const interactionRequired = error instanceof module.InteractionRequiredAuthError;
        if (!interactionRequired || !options.interactive) throw new TokenError(describe(error), interactionRequired);
      }
      try {
        userHint ??= await loginHint();
        return accept(await client.acquireTokenPopup(userHint ? { scopes, loginHint: userHint } : { scopes }));
      } catch (error) {
        if (error instanceof TokenError) throw error;
        throw new TokenError(describe(error), true);
      }
    },
  };
}

export interface DevelopmentIssuerSettings {
  /** The development issuer's token endpoint. */
  issuerUrl: string;
  /** systemuserid of the signed-in user; the issuer maps it to the user's identity. */
  userId: string;
  scope: string;
  timeoutMs?: number;
}

/**
 * Sandbox token source. Contract: `POST <issuerUrl>` with JSON `{"userId", "scope"}` answers
 * `{"access_token", "token_type": "Bearer", "expires_in"}`. No secret is involved: the issuer exists only on
 * the developer's machine and the proxy trusts it only when configured to.
 */
export function createDevelopmentTokenSource(
  settings: DevelopmentIssuerSettings,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): TokenSource {
  let cached: { token: string; expiresAt: number } | null = null;
  return {
    async getToken(options: TokenRequestOptions = {}): Promise<string> {
      if (cached && !options.forceRefresh && cached.expiresAt > Date.now()) return cached.token;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), settings.timeoutMs ?? 10_000);
      let response: Response;
      try {
        response = await fetchImpl(settings.issuerUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ userId: settings.userId, scope: settings.scope }),
          signal: controller.signal,
        });
      } catch (error) {
        throw new TokenError(`development issuer unreachable (${describe(error)})`);
      } finally {
        clearTimeout(timer);
      }
      if (!response.ok) throw new TokenError(`development issuer answered HTTP ${response.status}`);
      let body: { access_token?: unknown; expires_in?: unknown };
      try {
        body = (await response.json()) as typeof body;
      } catch {
        throw new TokenError("development issuer sent no JSON");
      }
      if (typeof body.access_token !== "string" || body.access_token === "") {
        throw new TokenError("development issuer sent no access_token");
      }
      const lifetime = typeof body.expires_in === "number" ? body.expires_in : 300;
      cached = { token: body.access_token, expiresAt: Date.now() + Math.max(0, lifetime - 60) * 1000 };
      return body.access_token;
    },
  };
}
