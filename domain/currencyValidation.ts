import type { IsoTables } from "./isoTables";

/**
 * ISO 4217 validation. The tables hold only currencies a deal can be priced in: gold, SDR, the testing
 * and "no currency" codes are not there, so they are refused.
 */

export type CurrencyValidation =
  | { ok: true; code: string; minorDigits: number }
  | { ok: false; reason: "missing" | "invalid" }
  | { ok: false; reason: "suggest"; candidates: string[] };

export type CurrencyValidator = (raw: string | null | undefined) => CurrencyValidation;

const MAX_INPUT_LENGTH = 60;

export function createCurrencyValidator(tables: Pick<IsoTables, "currencies">): CurrencyValidator {
  const digitsOf = new Map<string, number>(tables.currencies.map(([code, digits]) => [code, digits]));
  return (raw) => {
    const text = (raw ?? "").trim();
    if (!text) return { ok: false, reason: "missing" };
    const upper = text.toUpperCase();
    const digits = digitsOf.get(upper);
    if (/^[A-Z]{3}$/.test(upper) && digits !== undefined) return { ok: true, code: upper, minorDigits: digits };
    if (text.length > MAX_INPUT_LENGTH) return { ok: false, reason: "invalid" };

    // "WON", "dollar", "yen": offer the codes whose currency name has that word.
    const word = text.toLowerCase();
    const candidates = tables.currencies
      .filter(([, , name]) =>
        name
          .toLowerCase()
          .split(/[^a-z]+/)
          .includes(word),
      )
      .map(([code]) => code)
      .sort();
    return candidates.length > 0 ? { ok: false, reason: "suggest", candidates } : { ok: false, reason: "invalid" };
  };
}
