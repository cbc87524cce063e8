import type { IsoTables } from "../../domain/isoTables";
import { createReferenceData, type ReferenceData } from "../../domain/referenceData";

/**
 * The ISO 3166/4217 tables are 18.7 KB of JSON: too much for the toggle's bundle, so they are loaded when the
 * rules first run. The controls build writes them (from domain/isoTables.ts) to
 * out/controls/webresources/pcs_/data/isoTables.json, shipped as the web resource `pcs_/data/isoTables.json`.
 */
export type IsoTablesLoader = () => Promise<IsoTables>;

export const DEFAULT_ISO_TABLES_URL = "/WebResources/pcs_/data/isoTables.json";

export function fetchIsoTables(url: string = DEFAULT_ISO_TABLES_URL): IsoTablesLoader {
  return async () => {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return (await response.json()) as IsoTables; // createReferenceData rejects a malformed document
  };
}

/** One load per loader for the page's lifetime; a failed load is retried on the next call. */
export function cachedReferenceData(loader: IsoTablesLoader): () => Promise<ReferenceData> {
  let pending: Promise<ReferenceData> | null = null;
  return () => {
    pending ??= loader().then(createReferenceData, (error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}
