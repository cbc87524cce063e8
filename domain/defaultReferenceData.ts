import { isoTables } from "./isoTables";
import { createReferenceData, type ReferenceData } from "./referenceData";

/** Reference data built from the bundled ISO tables; built once, on first use. */
let cached: ReferenceData | null = null;

export function defaultReferenceData(): ReferenceData {
  cached ??= createReferenceData(isoTables);
  return cached;
}

/** Convenience for callers that bundle the tables anyway (Node, the web resource). */
export const resolveCountry: ReferenceData["resolveCountry"] = (raw) => defaultReferenceData().resolveCountry(raw);
export const validateCurrency: ReferenceData["validateCurrency"] = (raw) =>
  defaultReferenceData().validateCurrency(raw);
