import currencyCodes from "currency-codes";

/**
 * ISO 4217 validation against the maintained currency-codes list. Codes for things that are not
 * money a deal is priced in (gold, SDR, the testing and "no currency" codes) are refused.
 */

export type CurrencyValidation =
  | { ok: true; code: string; minorDigits: number }
  | { ok: false; reason: "missing" | "invalid" }
  | { ok: false; reason: "suggest"; candidates: string[] };

/** The list marks its non-currency entries with pseudo-countries named "Zz…". */
const tradable = new Map<string, number>(
  currencyCodes.data
    .filter((entry) => !entry.countries.some((country) => country.startsWith("Zz")))
    .map((entry) => [entry.code, entry.digits]),
);

const MAX_INPUT_LENGTH = 60;

export function validateCurrency(raw: string | null | undefined): CurrencyValidation {
  const text = (raw ?? "").trim();
  if (!text) return { ok: false, reason: "missing" };
  const upper = text.toUpperCase();
  const digits = tradable.get(upper);
  if (/^[A-Z]{3}$/.test(upper) && digits !== undefined) return { ok: true, code: upper, minorDigits: digits };
  if (text.length > MAX_INPUT_LENGTH) return { ok: false, reason: "invalid" };

  // "WON", "dollar", "yen": offer the codes whose currency name has that word.
  const word = text.toLowerCase();
  const candidates = currencyCodes.data
    .filter((entry) => tradable.has(entry.code))
    .filter((entry) =>
      entry.currency
        .toLowerCase()
        .split(/[^a-z]+/)
        .includes(word),
    )
    .map((entry) => entry.code)
    .sort();
  return candidates.length > 0 ? { ok: false, reason: "suggest", candidates } : { ok: false, reason: "invalid" };
}
