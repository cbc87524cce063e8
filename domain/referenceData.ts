import { createCountryResolver, type CountryResolver } from "./countryResolution";
import { createCurrencyValidator, type CurrencyValidator } from "./currencyValidation";
import type { IsoTables } from "./isoTables";

/**
 * The lookups the rules consult, built from ISO tables. Passed in rather than imported so the rules stay
 * free of the datasets: Node and the web resource pass the bundled tables (`defaultReferenceData`), the
 * PCF toggle passes tables it loads as JSON.
 */
export interface ReferenceData {
  resolveCountry: CountryResolver;
  validateCurrency: CurrencyValidator;
}

export function createReferenceData(tables: IsoTables): ReferenceData {
  return { resolveCountry: createCountryResolver(tables), validateCurrency: createCurrencyValidator(tables) };
}
