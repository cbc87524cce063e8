import cors from "@fastify/cors";
import Fastify from "fastify";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from "jose";
import { randomUUID } from "node:crypto";

/**
 * A local stand-in for Microsoft Entra ID, for the sandbox and the tests: OpenID discovery, a JWKS endpoint
 * and a token endpoint that signs v2.0-shaped access tokens (iss, aud, tid, oid, scp, name). The proxy
 * validates these exactly as it validates Entra's: by discovery, JWKS, issuer, audience and tenant.
 * Never used by a production path.
 */

export interface TokenClaims {
  oid: string;
  tid?: string;
  name?: string;
  preferred_username?: string;
  aud?: string;
  scp?: string;
  /** Lifetime in seconds (default 3600); negative gives an expired token. */
  lifetimeSeconds?: number;
}

export interface DevelopmentIssuer {
  /** The issuer (iss) of its tokens, e.g. http://127.0.0.1:5123/<tenant>/v2.0 */
  issuer: string;
  jwksUri: string;
  tenantId: string;
  audience: string;
  /** The form script's sandbox sign-in endpoint (see the route). */
  sandboxTokenUrl: string;
  issue(claims: TokenClaims): Promise<string>;
  /** A token signed with a key the issuer does not publish: what a forger would present. */
  forge(claims: TokenClaims): Promise<string>;
  close(): Promise<void>;
}

/** A sandbox user, found by Dataverse systemuserid (what the form script knows about the signed-in user). */
export type SandboxUserResolver = (systemUserId: string) => Promise<{ oid: string; name: string | null } | null>;

export async function createDevelopmentIssuer(
  options: { port?: number; tenantId?: string; audience?: string; resolveUser?: SandboxUserResolver } = {},
): Promise<DevelopmentIssuer> {
  const tenantId = options.tenantId ?? "11111111-2222-4333-8444-555555555555";
  const audience = options.audience ?? "api://pcs-referral-proxy";
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const forgerKey = (await generateKeyPair("RS256")).privateKey;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };

  const app = Fastify({ logger: false });
  // The sandbox's form page (another origin) asks for tokens from the browser.
  await app.register(cors, { origin: true, methods: ["GET", "POST"] });
  let issuer = "";
  app.get(`/${tenantId}/v2.0/.well-known/openid-configuration`, async () => ({
    issuer,
    jwks_uri: `${issuer.replace(/\/v2\.0$/, "")}/discovery/v2.0/keys`,
    token_endpoint: `${issuer.replace(/\/v2\.0$/, "")}/oauth2/v2.0/token`,
    id_token_signing_alg_values_supported: ["RS256"],
  }));
  app.get(`/${tenantId}/discovery/v2.0/keys`, async () => ({ keys: [jwk] }));
  // The sandbox page asks for a token for the signed-in sandbox user; real Entra does this through MSAL.
  app.post<{ Body: TokenClaims }>(
    `/${tenantId}/oauth2/v2.0/token`,
    {
      schema: {
        body: {
          type: "object",
          required: ["oid"],
          additionalProperties: false,
          properties: {
            oid: { type: "string", format: "uuid" },
            name: { type: "string", maxLength: 200 },
            preferred_username: { type: "string", maxLength: 200 },
          },
        },
      },
    },
    async (req) => ({ token_type: "Bearer", expires_in: 3600, access_token: await sign(req.body, privateKey, kid) }),
  );

  /**
   * The form script's sandbox sign-in (webresources/src/tokenSource.ts): POST {userId: systemuserid, scope}
   * gives that user's access token. Real orgs use MSAL instead; this route exists only here.
   */
  app.post<{ Body: { userId: string; scope: string } }>(
    `/${tenantId}/sandbox/token`,
    {
      schema: {
        body: {
          type: "object",
          required: ["userId", "scope"],
          additionalProperties: false,
          properties: { userId: { type: "string", format: "uuid" }, scope: { type: "string", maxLength: 500 } },
        },
      },
    },
    async (req, reply) => {
      const user = options.resolveUser ? await options.resolveUser(req.body.userId.toLowerCase()) : null;
      if (!user)
        return reply
          .code(404)
          .send({ error: "unknown_user", error_description: `No sandbox user ${req.body.userId}.` });
      const scp = req.body.scope.split("/").pop() || "Sync.ReadWrite";
      return {
        token_type: "Bearer",
        expires_in: 3600,
        access_token: await sign({ oid: user.oid, name: user.name ?? undefined, scp }, privateKey, kid),
      };
    },
  );

  async function sign(claims: TokenClaims, key: KeyLike, keyId: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      tid: claims.tid ?? tenantId,
      oid: claims.oid,
      name: claims.name ?? "Sandbox User",
      preferred_username: claims.preferred_username ?? "user@sandbox.example",
      scp: claims.scp ?? "Sync.ReadWrite",
      ver: "2.0",
    })
      .setProtectedHeader({ alg: "RS256", kid: keyId, typ: "JWT" })
      .setIssuer(issuer)
      .setAudience(claims.aud ?? audience)
      .setSubject(claims.oid)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + (claims.lifetimeSeconds ?? 3600))
      .sign(key);
  }

  const address = await app.listen({ port: options.port ?? 0, host: "127.0.0.1" });
  issuer = `${address}/${tenantId}/v2.0`;
  return {
    issuer,
    jwksUri: `${address}/${tenantId}/discovery/v2.0/keys`,
    sandboxTokenUrl: `${address}/${tenantId}/sandbox/token`,
    tenantId,
    audience,
    issue: (claims) => sign(claims, privateKey, kid),
    forge: (claims) => sign(claims, forgerKey, kid),
    close: () => app.close(),
  };
}
