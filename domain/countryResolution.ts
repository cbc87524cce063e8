import type { IsoTables } from "./isoTables";

/**
 * Resolves what a user typed into an account's country field to an ISO 3166-1 alpha-2 code.
 * Accepts alpha-2, alpha-3 and numeric codes, and English or Korean names (with the dataset's aliases).
 * Only an exact name match is accepted; a partial match is offered as a suggestion, and a name that
 * fits several countries ("Korea", "Congo") is refused as ambiguous rather than guessed.
 */

export type CountryResolution =
  | { ok: true; code: string }
  | { ok: false; reason: "missing" }
  | { ok: false; reason: "ambiguous" | "suggest"; candidates: string[] }
  | { ok: false; reason: "unknown" };

export type CountryResolver = (raw: string | null | undefined) => CountryResolution;

const MAX_INPUT_LENGTH = 100;
const HANGUL = /\p{Script=Hangul}/u;

/** Case, accents, punctuation and a leading "the" do not distinguish countries. */
function normalizeName(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .replace(/^the /, "");
}

function sorted(set: Iterable<string>): string[] {
  return [...new Set(set)].sort();
}

export function createCountryResolver(tables: Pick<IsoTables, "countryCodes" | "countryNames">): CountryResolver {
  const alpha2Codes = new Set<string>();
  const alpha3ToAlpha2 = new Map<string, string>();
  const numericToAlpha2 = new Map<string, string>();
  for (const [alpha2, alpha3, numeric] of tables.countryCodes) {
    alpha2Codes.add(alpha2);
    alpha3ToAlpha2.set(alpha3, alpha2);
    numericToAlpha2.set(numeric, alpha2);
  }
  /** normalized name → the countries it names */
  const nameIndex = new Map<string, Set<string>>();
  for (const [code, names] of Object.entries(tables.countryNames)) {
    for (const name of names) {
      const key = normalizeName(name);
      if (!key) continue;
      const set = nameIndex.get(key) ?? new Set<string>();
      set.add(code);
      nameIndex.set(key, set);
    }
  }

  /** Countries whose name contains the input: as whole words for Latin script, as a substring for Hangul. */
  function partialMatches(input: string): string[] {
    const found = new Set<string>();
    const korean = HANGUL.test(input);
    const padded = ` ${input} `;
    for (const [name, countries] of nameIndex) {
      const hit = korean ? name.includes(input) : ` ${name} `.includes(padded);
      if (hit) countries.forEach((c) => found.add(c));
    }
    return sorted(found);
  }

  return (raw) => {
    const text = (raw ?? "").trim();
    if (!text) return { ok: false, reason: "missing" };
    if (text.length > MAX_INPUT_LENGTH) return { ok: false, reason: "unknown" };

    const upper = text.toUpperCase();
    if (/^[A-Z]{2}$/.test(upper) && alpha2Codes.has(upper)) return { ok: true, code: upper };
    const fromAlpha3 = /^[A-Z]{3}$/.test(upper) ? alpha3ToAlpha2.get(upper) : undefined;
    if (fromAlpha3) return { ok: true, code: fromAlpha3 };
    const fromNumeric = /^\d{3}$/.test(text) ? numericToAlpha2.get(text) : undefined;
    if (fromNumeric) return { ok: true, code: fromNumeric };

    const key = normalizeName(text);
    if (!key) return { ok: false, reason: "unknown" };
    const exact = nameIndex.get(key);
    if (exact) {
      const candidates = sorted(exact);
      return candidates.length === 1
        ? { ok: true, code: candidates[0]! }
        : { ok: false, reason: "ambiguous", candidates };
    }
    const partial = partialMatches(key);
    if (partial.length > 1) return { ok: false, reason: "ambiguous", candidates: partial };
    if (partial.length === 1) return { ok: false, reason: "suggest", candidates: partial };
    return { ok: false, reason: "unknown" };
  };
}
