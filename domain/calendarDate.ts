/** Calendar dates as Dataverse date-only columns hold them (YYYY-MM-DD), and Partner Center's UTC date-times. */

/** Parses a date-only value (or the date part of a date-time) and refuses impossible dates such as 2026-02-30. */
export function parseDateOnly(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value.trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real && y >= 1900 && y <= 9999 ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** A Partner Center date-time with a zone, or a CRM date, as the UTC calendar date. */
export function canonicalDate(value: string | null | undefined): string | null {
  const raw = (value ?? "").trim();
  if (!raw) return null;
  if (raw.includes("T") && /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(raw)) {
    const time = Date.parse(raw);
    return Number.isNaN(time) ? null : parseDateOnly(new Date(time).toISOString());
  }
  return parseDateOnly(raw);
}

/** Partner Center's closingDateTime for a calendar date: midnight UTC. */
export function dateToUtcMidnight(date: string): string {
  return `${date}T00:00:00Z`;
}

/** The UTC calendar date of an instant. */
export function utcDateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
