import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";

/**
 * Who is calling /api/sync: a seller's bearer token, validated with jose against the configured OIDC issuer
 * (signature by the issuer's JWKS, issuer, audience, lifetime) and the tenant allow-list. The proxy then acts
 * on Dataverse as that user (by object id), so Dataverse decides what the user may change.
 */

export interface Caller {
  objectId: string;
  tenantId: string;
  name: string | null;
}

export class AuthenticationError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 403,
  ) {
    super(message);
    this.name = "AuthenticationError";
  }
}

export interface CallerAuthenticatorOptions {
  issuer: string;
  audience: string;
  jwksUri: string | null;
  allowedTenants: string[];
  fetch?: typeof fetch;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CallerAuthenticator = (authorization: string | undefined) => Promise<Caller>;

export function createCallerAuthenticator(options: CallerAuthenticatorOptions): CallerAuthenticator {
  let keys: JWTVerifyGetKey | null = null;
  const doFetch = options.fetch ?? fetch;

  async function keySet(): Promise<JWTVerifyGetKey> {
    if (keys) return keys;
    let jwksUri = options.jwksUri;
    if (!jwksUri) {
      const res = await doFetch(`${options.issuer}/.well-known/openid-configuration`);
      if (!res.ok) throw new Error(`OpenID configuration of ${options.issuer} answered ${res.status}.`);
      const discovered = (await res.json()) as { jwks_uri?: unknown; issuer?: unknown };
      if (typeof discovered.jwks_uri !== "string")
        throw new Error(`OpenID configuration of ${options.issuer} has no jwks_uri.`);
      jwksUri = discovered.jwks_uri;
    }
    keys = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    return keys;
  }

  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/.exec(authorization?.trim() ?? "");
    if (!match) throw new AuthenticationError("A bearer token is required (Authorization: Bearer <token>).", 401);
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1]!, await keySet(), {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ["RS256"],
        clockTolerance: 60,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        throw new AuthenticationError("The token has expired; sign in again.", 401);
      if (error instanceof errors.JOSEError)
        throw new AuthenticationError(`The token was refused: ${error.message}`, 401);
      throw error; // the issuer could not be reached: not the caller's fault
    }
    const tenantId = typeof payload.tid === "string" ? payload.tid.toLowerCase() : "";
    const objectId = typeof payload.oid === "string" ? payload.oid.toLowerCase() : "";
    if (!GUID.test(objectId)) throw new AuthenticationError("The token has no user object id (oid).", 401);
    if (options.allowedTenants.length > 0 && !options.allowedTenants.includes(tenantId)) {
      throw new AuthenticationError(`Users of tenant ${tenantId || "(none)"} may not use this proxy.`, 403);
    }
    return { objectId, tenantId, name: typeof payload.name === "string" ? payload.name : null };
  };
}
