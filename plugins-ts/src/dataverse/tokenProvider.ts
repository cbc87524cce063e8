import { ConfidentialClientApplication, type Configuration } from "@azure/msal-node";

/**
 * Where the proxy's Dataverse access token comes from. dynamics-web-api asks for a token on every
 * request and caches nothing, so providers must be cheap to call repeatedly.
 */
export interface TokenProvider {
  getToken(): Promise<string>;
  /** When the current token expires (for doctor/health), or null if unknown or not yet acquired. */
  expiresOn(): Date | null;
}

/** A fixed token: for the emulator, which maps tokens to users itself. */
export class StaticTokenProvider implements TokenProvider {
  constructor(private readonly token: string) {
    if (!token.trim()) throw new Error("StaticTokenProvider needs a non-empty token.");
  }

  getToken(): Promise<string> {
    return Promise.resolve(this.token);
  }

  expiresOn(): Date | null {
    return null;
  }
}

export interface ClientCredentialsSettings {
  tenantId: string;
  clientId: string;
  /** A client secret, or a certificate (PEM private key + SHA-256 thumbprint) for the application user. */
  clientSecret?: string;
  clientCertificate?: { thumbprintSha256: string; privateKey: string };
  /** The org URL, e.g. https://contoso.crm.dynamics.com; the scope is `<orgUrl>/.default`. */
  orgUrl: string;
  /** Defaults to https://login.microsoftonline.com/<tenantId>. */
  authority?: string;
  /** MSAL system options: an outbound proxy's network client, logging. */
  system?: Configuration["system"];
}

/** The application user's token by OAuth client credentials (@azure/msal-node caches and renews it). */
export class MsalClientCredentialsTokenProvider implements TokenProvider {
  private readonly app: ConfidentialClientApplication;
  private readonly scope: string;
  private expiry: Date | null = null;

  constructor(settings: ClientCredentialsSettings) {
    if (!settings.clientSecret && !settings.clientCertificate) {
      throw new Error("Client credentials need clientSecret or clientCertificate.");
    }
    const orgUrl = new URL(settings.orgUrl);
    this.scope = `${orgUrl.origin}/.default`;
    const config: Configuration = {
      auth: {
        clientId: settings.clientId,
        authority: settings.authority ?? `https://login.microsoftonline.com/${settings.tenantId}`,
        ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}),
        ...(settings.clientCertificate ? { clientCertificate: settings.clientCertificate } : {}),
      },
      ...(settings.system ? { system: settings.system } : {}),
    };
    this.app = new ConfidentialClientApplication(config);
  }

  async getToken(): Promise<string> {
    const result = await this.app.acquireTokenByClientCredential({ scopes: [this.scope] });
    if (!result?.accessToken) throw new Error(`No access token was returned for scope ${this.scope}.`);
    this.expiry = result.expiresOn ?? null;
    return result.accessToken;
  }

  expiresOn(): Date | null {
    return this.expiry;
  }
}
