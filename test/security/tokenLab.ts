import Fastify from "fastify";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from "jose";
import { randomUUID } from "node:crypto";

/**
 * An OIDC issuer whose signing key the tests hold, so they can mint exactly the token an attacker or a broken
 * client would present (alg none, another key, expired, not yet valid, another audience, issuer or tenant) while
 * everything else about the token is right. The proxy trusts it through discovery, as it trusts Entra ID.
 */

export interface TokenLab {
  issuer: string;
  audience: string;
  tenantId: string;
  /** A token the proxy must accept for this user (the control case). */
  valid(oid: string): Promise<string>;
  /** A correctly signed token with these claims changed (undefined removes a claim). */
  signed(oid: string, changes?: Partial<Record<keyof LabClaims, unknown>>): Promise<string>;
  /** Signed by a key the issuer does not publish, under the published key id. */
  otherKey(oid: string): Promise<string>;
  /** An unsecured JWT (alg "none") with otherwise valid claims; `signature` is what follows the last dot. */
  algNone(oid: string, signature?: string): string;
  close(): Promise<void>;
}

interface LabClaims {
  iss: string;
  aud: string;
  tid: string;
  oid: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  scp: string;
  ver: string;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export async function startTokenLab(): Promise<TokenLab> {
  const tenantId = "22222222-3333-4444-8555-666666666666";
  const audience = "api://pcs-referral-proxy-security";
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const stranger = (await generateKeyPair("RS256")).privateKey;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const app = Fastify({ logger: false });
  let issuer = "";
  app.get(`/${tenantId}/v2.0/.well-known/openid-configuration`, async () => ({
    issuer,
    jwks_uri: `${issuer.replace(/\/v2\.0$/, "")}/discovery/v2.0/keys`,
  }));
  app.get(`/${tenantId}/discovery/v2.0/keys`, async () => ({ keys: [jwk] }));
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  issuer = `${address}/${tenantId}/v2.0`;

  const claims = (oid: string): LabClaims => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: issuer,
      aud: audience,
      tid: tenantId,
      oid,
      sub: oid,
      iat: now,
      nbf: now - 5,
      exp: now + 3600,
      scp: "Sync.ReadWrite",
      ver: "2.0",
    };
  };
  const sign = (payload: JWTPayload, key: KeyLike) =>
    new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(key);

  return {
    issuer,
    audience,
    tenantId,
    valid: (oid) => sign({ ...claims(oid) }, privateKey),
    signed: (oid, changes = {}) => {
      const payload: Record<string, unknown> = { ...claims(oid), ...changes };
      for (const [k, v] of Object.entries(changes)) if (v === undefined) delete payload[k];
      return sign(payload as JWTPayload, privateKey);
    },
    otherKey: (oid) => sign({ ...claims(oid) }, stranger),
    algNone: (oid, signature = "") =>
      `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims(oid))}.${signature}`,
    close: () => app.close(),
  };
}
