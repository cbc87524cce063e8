import {
  InteractionRequiredAuthError,
  PublicClientApplication,
  type AccountInfo,
  type Configuration,
} from "@azure/msal-node";
import { encryptedFileCachePlugin } from "./encryptedTokenCache";
import { PartnerCenterError } from "./failureClassification";
import type { TokenProvider, TokenStatus } from "./tokenProvider";

/**
 * App+User tokens for Partner Center through MSAL: the Referrals API accepts delegated tokens only. An
 * integration user with the Referrals admin role signs in once with the device code flow; afterwards MSAL
 * renews access tokens from the refresh token in the (encrypted, on-disk) cache, with no user present.
 */

/** Delegated scope of the Referrals API (resource https://api.partner.microsoft.com). */
export const REFERRALS_SCOPE = "https://api.partner.microsoft.com/user_impersonation";
/** Delegated scope of the webhook registration API (resource https://api.partnercenter.microsoft.com). */
export const WEBHOOKS_SCOPE = "https://api.partnercenter.microsoft.com/user_impersonation";

export interface MsalDelegatedOptions {
  /** The Entra app registration (public client flows allowed) with delegated Partner Center permission. */
  clientId: string;
  /** The partner's tenant id (or "organizations"). */
  tenantId: string;
  scopes?: string[];
  /** Encrypted token cache file and the secret its key is derived from. */
  cachePath: string;
  cacheSecret: string;
  /** Which cached account to use when there are several (the integration user's UPN). */
  username?: string;
  authorityHost?: string;
  /** For tests: replaces the PublicClientApplication. */
  application?: Pick<PublicClientApplication, "acquireTokenSilent" | "acquireTokenByDeviceCode" | "getTokenCache">;
}

export interface DeviceCodePrompt {
  message: string;
  userCode: string;
  verificationUri: string;
}

export class MsalDelegatedTokenProvider implements TokenProvider {
  private readonly app: NonNullable<MsalDelegatedOptions["application"]>;
  private readonly scopes: string[];
  private expiresOn: Date | undefined;

  constructor(private readonly options: MsalDelegatedOptions) {
    if (!options.clientId || !options.tenantId) throw new Error("MSAL sign-in needs clientId and tenantId");
    this.scopes = options.scopes ?? [REFERRALS_SCOPE];
    const config: Configuration = {
      auth: {
        clientId: options.clientId,
        authority: `${options.authorityHost ?? "https://login.microsoftonline.com"}/${options.tenantId}`,
      },
      cache: { cachePlugin: encryptedFileCachePlugin(options.cachePath, options.cacheSecret) },
    };
    this.app = options.application ?? new PublicClientApplication(config);
  }

  private async account(): Promise<AccountInfo | undefined> {
    const accounts = await this.app.getTokenCache().getAllAccounts();
    const wanted = this.options.username?.toLowerCase();
    return wanted ? accounts.find((a) => a.username.toLowerCase() === wanted) : accounts[0];
  }

  /** The one-time sign-in of the integration user; `prompt` shows where to enter which code. */
  async signInWithDeviceCode(prompt: (p: DeviceCodePrompt) => void): Promise<AccountInfo> {
    const result = await this.app.acquireTokenByDeviceCode({
      scopes: this.scopes,
      deviceCodeCallback: (r) =>
        prompt({ message: r.message, userCode: r.userCode, verificationUri: r.verificationUri }),
    });
    if (!result?.account) throw new Error("device code sign-in returned no account");
    this.expiresOn = result.expiresOn ?? undefined;
    return result.account;
  }

  async getAccessToken(): Promise<string> {
    const account = await this.account();
    const signIn = (reason: string, cause?: unknown) =>
      new PartnerCenterError(`Partner Center sign-in needed: ${reason}`, {
        category: "auth",
        operation: "acquireToken",
        clientRequestId: "",
        attempts: 0,
        outcomeUnknown: false,
        cause,
      });
    if (!account) throw signIn("no integration user has signed in (run the device code sign-in once)");
    try {
      const result = await this.app.acquireTokenSilent({ account, scopes: this.scopes });
      this.expiresOn = result.expiresOn ?? undefined;
      return result.accessToken;
    } catch (e) {
      // Expired/revoked refresh token, password change, MFA or conditional access: a person must sign in again.
      if (e instanceof InteractionRequiredAuthError) throw signIn(e.errorCode || e.message, e);
      throw e;
    }
  }

  async status(): Promise<TokenStatus> {
    const account = await this.account();
    return { signedIn: account !== undefined, account: account?.username, expiresOn: this.expiresOn };
  }
}
