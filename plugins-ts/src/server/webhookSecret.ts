import { createHash, timingSafeEqual } from "node:crypto";

/** Compares a presented secret with the configured one in constant time (hashing first equalises lengths). */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}
