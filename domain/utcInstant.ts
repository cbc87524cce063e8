/**
 * Partner Center stamps changes with 7 fractional digits ("2026-11-25T10:00:00.1234567Z"); a JavaScript Date
 * keeps milliseconds. To tell "the change I already have" from "a newer one", instants are compared as text in
 * one fixed-width form, which keeps every digit.
 */

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?(?:Z|\+00:00)$/;

/** "yyyy-mm-ddThh:mm:ss.fffffffZ", or null when the text is not a UTC instant. */
export function normalizeUtcInstant(text: string | null | undefined): string | null {
  const match = INSTANT.exec((text ?? "").trim());
  if (!match) return null;
  if (Number.isNaN(Date.parse(`${match[1]}T${match[2]}Z`))) return null;
  return `${match[1]}T${match[2]}.${(match[3] ?? "").padEnd(7, "0")}Z`;
}

/** True when `changedAt` is a UTC instant no later than `seen` (both as Partner Center wrote them). */
export function isNoNewerThan(changedAt: string | null | undefined, seen: string | null | undefined): boolean {
  const a = normalizeUtcInstant(changedAt);
  const b = normalizeUtcInstant(seen);
  return a !== null && b !== null && a <= b;
}
