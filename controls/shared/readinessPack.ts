import type { OpportunitySnapshot } from "../../domain/opportunitySnapshot";
import type { ReadinessReport } from "../../domain/readinessRules";

/**
 * The readiness rules and the ISO tables they consult are the largest part of the toggle's work, and the
 * seller needs them only when turning sync on. They ship as one web resource (`pcs_/scripts/readinessPack.js`,
 * built from readinessPackWebResource.ts) that the toggle loads on first use, so the toggle's bundle stays
 * within its 15 KB budget and the form loads without them. This file is the contract between the two: the
 * toggle imports only this, never the rules themselves.
 */

export const READINESS_PACK_GLOBAL = "PcsReadinessPack";
/** Bumped when `ReadinessPack` changes, so a toggle never runs against a pack from another release. */
export const READINESS_PACK_CONTRACT = 1;
export const DEFAULT_READINESS_PACK_URL = "/WebResources/pcs_/scripts/readinessPack.js";

export interface ReadinessPack {
  contract: typeof READINESS_PACK_CONTRACT;
  evaluate(snapshot: OpportunitySnapshot, context: { now: Date; hasReferral: boolean }): ReadinessReport;
}

export type ReadinessPackLoader = () => Promise<ReadinessPack>;

function installedPack(scope: object): ReadinessPack | null {
  const pack = (scope as Record<string, unknown>)[READINESS_PACK_GLOBAL] as Partial<ReadinessPack> | undefined;
  return pack?.contract === READINESS_PACK_CONTRACT && typeof pack.evaluate === "function"
    ? (pack as ReadinessPack)
    : null;
}

/** Loads the pack with a script element (same origin as the form); a pack already on the page is reused. */
export function scriptReadinessPack(url: string = DEFAULT_READINESS_PACK_URL): ReadinessPackLoader {
  return () =>
    new Promise((resolve, reject) => {
      const existing = installedPack(window);
      if (existing) return resolve(existing);
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => {
        const pack = installedPack(window);
        if (pack) resolve(pack);
        else
          reject(
            new Error(
              `${url} did not provide the readiness rules (contract ${READINESS_PACK_CONTRACT}): publish all customizations.`,
            ),
          );
      };
      script.onerror = () => reject(new Error(`${url} could not be loaded.`));
      document.head.appendChild(script);
    });
}

/** One load per loader for the page's lifetime; a failed load is retried on the next call. */
export function cachedReadinessPack(loader: ReadinessPackLoader): ReadinessPackLoader {
  let pending: Promise<ReadinessPack> | null = null;
  return () => {
    pending ??= loader().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}
