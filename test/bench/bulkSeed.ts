import type { SeedData } from "../emulators/dataverse/seed";

/**
 * The sandbox seed plus `count` opportunities that pass every readiness rule, generated rather than created over
 * HTTP (10,000 Web API creates would measure the emulator, not the product). Each is a copy of the seed's ready
 * Contoso deal (its account, contact, currency, seller and Azure solution) with its own id, name and value.
 */

export const TEMPLATE_OPPORTUNITY = "0bb00000-0000-4000-8000-000000000001";

export function benchOpportunityId(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 999_999_999_999) {
    throw new Error(`bench opportunity index must be a whole number from 0 to 999999999999, got ${index}.`);
  }
  return `b0000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
}

export interface BulkSeedOptions {
  count: number;
  /** Sync already turned on (a backfill's input) or not (the trace turns it on). */
  syncOn: boolean;
  /** Estimated close date, YYYY-MM-DD; a new referral's may not be in the past (R6). */
  closeDate: string;
}

export function withBenchOpportunities(base: SeedData, options: BulkSeedOptions): SeedData {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.closeDate)) {
    throw new Error(`closeDate must be YYYY-MM-DD, got '${options.closeDate}'.`);
  }
  const opportunities = base.rows.opportunity ?? [];
  const template = opportunities.find((o) => o.opportunityid === TEMPLATE_OPPORTUNITY);
  if (!template) throw new Error(`The seed has no opportunity ${TEMPLATE_OPPORTUNITY} to copy.`);
  const solutionLinks = (base.links?.pcs_opportunity_microsoftsolution ?? []).filter(
    ([opportunity]) => opportunity === TEMPLATE_OPPORTUNITY,
  );
  if (solutionLinks.length === 0) throw new Error("The template opportunity has no Microsoft solution linked.");
  const added: Record<string, unknown>[] = [];
  const links: [string, string][] = [];
  for (let i = 0; i < options.count; i++) {
    const id = benchOpportunityId(i);
    added.push({
      ...template,
      opportunityid: id,
      name: `Bench deal ${i}`,
      estimatedvalue: 10_000 + i,
      estimatedclosedate: options.closeDate,
      pcs_syncwithpartnercenter: options.syncOn,
    });
    for (const [, solution] of solutionLinks) links.push([id, solution]);
  }
  return {
    ...base,
    rows: { ...base.rows, opportunity: [...opportunities, ...added] },
    links: {
      ...base.links,
      pcs_opportunity_microsoftsolution: [...(base.links?.pcs_opportunity_microsoftsolution ?? []), ...links],
    },
  };
}
