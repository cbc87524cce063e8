import { createHash } from "node:crypto";

/**
 * Name-based UUIDs (RFC 4122 version 5, SHA-1): the same component name gives the same id in every build, so
 * WebResourceIds, form ids and role ids never change between versions (a changed id would be a new component
 * on import, leaving the old one behind).
 */

/** The product's namespace: uuid v5 of the URL namespace and "urn:pcs:cosell-referral-sync:solution". */
const URL_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`Not a UUID: ${uuid}`);
  return Buffer.from(hex, "hex");
}

export function uuidV5(namespace: string, name: string): string {
  const hash = createHash("sha1").update(uuidBytes(namespace)).update(name, "utf8").digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const PRODUCT_NAMESPACE = uuidV5(URL_NAMESPACE, "urn:pcs:cosell-referral-sync:solution");

/** `{…}`-wrapped lower-case GUID for one component, e.g. stableGuid("webresource", "pcs_/scripts/opportunityForm.js"). */
export function stableGuid(kind: string, name: string): string {
  return `{${uuidV5(PRODUCT_NAMESPACE, `${kind}:${name}`)}}`;
}
