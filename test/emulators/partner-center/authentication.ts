import { decodeJwt } from "jose";
import { ApiError } from "./apiError";

/**
 * Bearer-token checks. The Referrals API accepts App+User (delegated) tokens only, for the audience
 * https://api.partner.microsoft.com; the webhook API's audience is https://api.partnercenter.microsoft.com.
 * The emulator does not verify signatures (it has no Entra keys): a JWT is read for audience, expiry and whether
 * it is delegated; an opaque token is looked up in the configured token table, or accepted if there is none.
 */

export type TokenRole = "referralsAdmin" | "referralsUser" | "noReferralsRole";

export interface AuthConfig {
  /** Opaque tokens and who they stand for. Null: any opaque token is a Referrals admin. */
  tokens: Record<string, TokenRole> | null;
  /** Check JWT audiences (off lets a token for either host through). */
  checkAudience: boolean;
}

export const DEFAULT_AUTH: AuthConfig = { tokens: null, checkAudience: true };

export const REFERRALS_AUDIENCE = "https://api.partner.microsoft.com";
export const WEBHOOKS_AUDIENCE = "https://api.partnercenter.microsoft.com";

const unauthenticated = (message: string) =>
  new ApiError(401, "unauthenticated", message, "Authorization", { "WWW-Authenticate": 'Bearer realm="partner"' });

export function authenticate(header: string | undefined, config: AuthConfig, audience: string, now: Date): TokenRole {
  if (!header) throw unauthenticated("Authorization header is missing");
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw unauthenticated("Authorization header must be 'Bearer <token>'");
  const token = m[1]!;
  if (token.split(".").length === 3) {
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(token);
    } catch {
      throw unauthenticated("the access token is malformed");
    }
    if (typeof claims.exp === "number" && claims.exp * 1000 <= now.getTime())
      throw unauthenticated("the access token has expired");
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (config.checkAudience && !aud.some((a) => typeof a === "string" && a.replace(/\/$/, "") === audience)) {
      throw unauthenticated(`the access token is not for ${audience}`);
    }
    if (audience === REFERRALS_AUDIENCE && typeof claims.scp !== "string") {
      // App-only tokens carry roles, not scp; the Referrals API supports App+User only.
      throw new ApiError(
        403,
        "accessDenied",
        "the Referrals API accepts App+User (delegated) tokens only",
        "Authorization",
      );
    }
    return "referralsAdmin";
  }
  if (config.tokens === null) return "referralsAdmin";
  const role = config.tokens[token];
  if (!role) throw unauthenticated("the access token is not valid");
  if (role === "noReferralsRole") {
    throw new ApiError(
      403,
      "accessDenied",
      "the user needs the Referrals admin or Referrals user role",
      "Authorization",
    );
  }
  return role;
}
