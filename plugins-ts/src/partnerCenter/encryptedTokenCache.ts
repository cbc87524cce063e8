import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { ICachePlugin, TokenCacheContext } from "@azure/msal-node";

/**
 * MSAL's token cache (which holds the integration user's refresh token) kept on disk encrypted with AES-256-GCM
 * under a key derived from a secret the operator supplies (e.g. from Key Vault), never in clear.
 */

interface Envelope {
  v: 1;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

function keyOf(secret: string, salt: Buffer): Buffer {
  return scryptSync(secret, salt, 32);
}

export function encryptCache(plain: string, secret: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret, salt), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const envelope: Envelope = {
    v: 1,
    salt: salt.toString("base64"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
  };
  return JSON.stringify(envelope);
}

/** Throws when the file was not written with this secret or was altered. */
export function decryptCache(stored: string, secret: string): string {
  const e = JSON.parse(stored) as Partial<Envelope>;
  if (e.v !== 1 || !e.salt || !e.iv || !e.tag || !e.data)
    throw new Error("token cache file is not in the expected format");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    keyOf(secret, Buffer.from(e.salt, "base64")),
    Buffer.from(e.iv, "base64"),
  );
  decipher.setAuthTag(Buffer.from(e.tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(e.data, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("token cache file cannot be decrypted with the configured secret (wrong secret or altered file)");
  }
}

export function encryptedFileCachePlugin(path: string, secret: string): ICachePlugin {
  if (secret.length < 16) throw new Error("the token cache secret must be at least 16 characters");
  return {
    async beforeCacheAccess(ctx: TokenCacheContext): Promise<void> {
      if (existsSync(path)) ctx.tokenCache.deserialize(decryptCache(readFileSync(path, "utf8"), secret));
    },
    async afterCacheAccess(ctx: TokenCacheContext): Promise<void> {
      if (!ctx.cacheHasChanged) return;
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, encryptCache(ctx.tokenCache.serialize(), secret), { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}
