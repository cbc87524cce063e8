import { readSeedFile, type SeedData } from "../emulators/dataverse/seed";
import { SEED } from "../dataverse/fixture";
import type { SeededRandom } from "./seededRandom";

/**
 * The Dataverse seed of a chaos run: the sandbox seed plus `deals` opportunities that are ready to share (a
 * Microsoft solution, a customer in KR with a contact, USD, a value and a future close date, an enabled owner),
 * with ids drawn from the run's generator so a seed replays the same data.
 */

export interface ChaosDeal {
  opportunityId: string;
  name: string;
  value: number;
  closeDate: string;
  notes: string;
}

export function chaosSeed(random: SeededRandom, deals: number): { seed: SeedData; deals: ChaosDeal[] } {
  const seed = readSeedFile();
  const template = seed.rows.opportunity?.find((o) => o.opportunityid === SEED.opportunities.contosoReady);
  if (!template) throw new Error("The sandbox seed no longer has the Contoso ready opportunity the chaos deals copy.");
  const made: ChaosDeal[] = Array.from({ length: deals }, (_, i) => ({
    opportunityId: random.guid(),
    name: `Chaos deal ${i + 1}`,
    value: random.int(10, 900) * 1000,
    closeDate: `2027-${String(random.int(1, 12)).padStart(2, "0")}-${String(random.int(1, 28)).padStart(2, "0")}`,
    notes: `Initial notes ${i + 1}`,
  }));
  const links = seed.links ?? {};
  return {
    seed: {
      ...seed,
      rows: {
        ...seed.rows,
        opportunity: [
          ...(seed.rows.opportunity ?? []),
          ...made.map((d) => ({
            ...template,
            opportunityid: d.opportunityId,
            name: d.name,
            description: d.notes,
            estimatedvalue: d.value,
            estimatedclosedate: d.closeDate,
          })),
        ],
      },
      links: {
        ...links,
        pcs_opportunity_microsoftsolution: [
          ...(links.pcs_opportunity_microsoftsolution ?? []),
          ...made.map((d): [string, string] => [d.opportunityId, SEED.solutions.azure]),
        ],
      },
    },
    deals: made,
  };
}
