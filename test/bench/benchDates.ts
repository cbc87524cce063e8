/** A UTC calendar day `days` after `from`, as YYYY-MM-DD (close dates the readiness rules accept as future). */
export function utcDayAfter(from: Date, days: number): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
