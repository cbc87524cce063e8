/**
 * Where the client's bearer tokens come from. The Referrals API accepts only delegated (App+User) tokens; the
 * real provider is MsalDelegatedTokenProvider; the emulator takes any token, so tests use StaticTokenProvider.
 */

export interface TokenStatus {
  signedIn: boolean;
  /** The signed-in integration user, when known. */
  account?: string;
  /** When the current access token expires (refresh tokens renew it silently). */
  expiresOn?: Date;
}

export interface TokenProvider {
  /** A bearer token valid now; throws when the user has to sign in again. */
  getAccessToken(): Promise<string>;
  /** For health checks: who is signed in and until when. */
  status(): Promise<TokenStatus>;
}

export class StaticTokenProvider implements TokenProvider {
  constructor(
    private readonly token: string,
    private readonly expiresOn?: Date,
  ) {
    if (!token) throw new Error("StaticTokenProvider needs a non-empty token");
  }

  async getAccessToken(): Promise<string> {
    return this.token;
  }

  async status(): Promise<TokenStatus> {
    return { signedIn: true, account: "static token", expiresOn: this.expiresOn };
  }
}
