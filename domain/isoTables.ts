import codes from "i18n-iso-countries/codes.json";
import englishNames from "i18n-iso-countries/langs/en.json";
import koreanNames from "i18n-iso-countries/langs/ko.json";
import currencyCodes from "currency-codes";

/**
 * The ISO 3166-1 and ISO 4217 tables the rules need, derived from the maintained datasets
 * (i18n-iso-countries, currency-codes). This is the only module that imports them: code that must stay
 * small (the PCF toggle) imports the rules without it and loads these tables as JSON when it needs them.
 */

export interface IsoTables {
  /** [alpha-2, alpha-3, numeric] */
  countryCodes: [string, string, string][];
  /** Every English and Korean name (and alias) of each country, by alpha-2. */
  countryNames: Record<string, string[]>;
  /** Tradable currencies: [code, minor digits, English name]. */
  currencies: [string, number, string][];
}

type NameTable = Record<string, string | string[]>;

/**
 * Everyday Korean names the dataset lacks. Unlike English "Korea", 한국/남한 name only the Republic of Korea
 * in Korean usage (the North is 북한).
 */
const EXTRA_NAMES: NameTable = { KR: ["한국", "남한"] };

function deriveIsoTables(): IsoTables {
  const countryNames: Record<string, string[]> = {};
  for (const table of [englishNames.countries, koreanNames.countries, EXTRA_NAMES] as NameTable[]) {
    for (const [code, names] of Object.entries(table)) {
      (countryNames[code] ??= []).push(...(Array.isArray(names) ? names : [names]));
    }
  }
  return {
    countryCodes: (codes as string[][])
      .filter((row) => row[0] && row[1] && row[2])
      .map((row) => [row[0]!, row[1]!, row[2]!] as [string, string, string]),
    countryNames,
    // The list marks its non-currency entries (metals, SDR, testing, "no currency") with pseudo-countries "Zz…".
    currencies: currencyCodes.data
      .filter((entry) => !entry.countries.some((country) => country.startsWith("Zz")))
      .map((entry) => [entry.code, entry.digits, entry.currency] as [string, number, string]),
  };
}

export const isoTables: IsoTables = deriveIsoTables();
