import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { PROJECTION_PATHS, comparableValue, type ProjectionPath, type ReferralProjection } from "./referralProjection";

/**
 * A fingerprint records, per managed path, a digest of the value both sides last agreed on.
 * Stored on the opportunity (pcs_syncfingerprint), it lets the proxy tell without any API call
 * whether a save changed anything, which paths changed, and whether a Dataverse change is only
 * the echo of its own write.
 */

const VERSION = "v1";
const DIGEST_LENGTH = 16; // 64 bits of SHA-256: collisions are not a practical concern for one deal's fields

export type Fingerprint = Readonly<Record<ProjectionPath, string>>;

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function digestOf<P extends ProjectionPath>(path: P, value: ReferralProjection[P] | null): string {
  const text = canonicalJson(value === null ? null : comparableValue(path, value));
  return bytesToHex(sha256(utf8ToBytes(`${path}=${text}`))).slice(0, DIGEST_LENGTH);
}

export function fingerprintDigests(projection: ReferralProjection): Fingerprint {
  return Object.fromEntries(PROJECTION_PATHS.map((p) => [p, digestOf(p, projection[p])])) as Fingerprint;
}

export function serializeFingerprint(fingerprint: Fingerprint): string {
  return `${VERSION}:${PROJECTION_PATHS.map((p) => fingerprint[p]).join(".")}`;
}

export function fingerprintOf(projection: ReferralProjection): string {
  return serializeFingerprint(fingerprintDigests(projection));
}

export type FingerprintParse = { ok: true; fingerprint: Fingerprint | null } | { ok: false; error: string };

/** Empty means "never synced". Anything malformed is reported, never read as "nothing changed". */
export function parseFingerprint(text: string | null | undefined): FingerprintParse {
  const value = (text ?? "").trim();
  if (!value) return { ok: true, fingerprint: null };
  const [version, body, ...rest] = value.split(":");
  if (version !== VERSION || body === undefined || rest.length > 0) {
    return { ok: false, error: `Unsupported sync fingerprint format (expected "${VERSION}:…").` };
  }
  const digests = body.split(".");
  if (digests.length !== PROJECTION_PATHS.length || !digests.every((d) => /^[0-9a-f]{16}$/.test(d))) {
    return {
      ok: false,
      error: `Corrupt sync fingerprint: expected ${PROJECTION_PATHS.length} digests of 16 hex digits.`,
    };
  }
  return { ok: true, fingerprint: Object.fromEntries(PROJECTION_PATHS.map((p, i) => [p, digests[i]])) as Fingerprint };
}

/** Paths whose current value differs from the fingerprint; every path when there is no fingerprint. */
export function changedPaths(fingerprint: Fingerprint | null, projection: ReferralProjection): ProjectionPath[] {
  return PROJECTION_PATHS.filter((p) => fingerprint === null || fingerprint[p] !== digestOf(p, projection[p]));
}
