import { defaultReferenceData, type DealPerson, type OpportunitySnapshot } from "../../domain";

/** Fixed clock for every domain test: rules take `now` as input, so results never depend on the day CI runs. */
export const NOW = new Date("2026-11-25T12:00:00Z");

/** Reference data from the bundled ISO tables, as the proxy and the web resource use it. */
export const REFERENCE = defaultReferenceData();

export function user(id: string, first: string, last: string, email: string | null): DealPerson {
  return {
    id,
    kind: "systemuser",
    fullName: `${first} ${last}`,
    firstName: first,
    lastName: last,
    email,
    phone: null,
    isDisabled: false,
  };
}

/** A deal that passes every readiness rule; each test changes one thing. */
export function readySnapshot(): OpportunitySnapshot {
  return {
    id: "6F0C5B1A-3D2E-4C8B-9A7F-1E2D3C4B5A69",
    name: "Contoso Azure migration",
    description: "Lift and shift of 40 VMs.",
    state: "open",
    estimatedValue: 125000,
    estimatedCloseDate: "2027-03-31",
    currency: { id: "c-usd", isoCode: "USD", name: "US Dollar" },
    account: {
      id: "a-1",
      name: "Contoso Korea",
      address: {
        line1: "152 Teheran-ro",
        line2: null,
        city: "Seoul",
        stateOrProvince: null,
        postalCode: "06236",
        country: "KR",
      },
      numberOfEmployees: 420,
    },
    customerContact: { id: "ct-1", firstName: "Minji", lastName: "Kim", email: "minji.kim@contoso.kr", phone: null },
    owner: user("u-1", "Alex", "Wilber", "alex@partner.example"),
    salesTeam: [user("u-2", "Megan", "Bowen", "megan@partner.example")],
    solutions: [{ id: "s-1", solutionId: "SOL-AZ-MIGRATE-01", name: "Azure Migration Factory" }],
    microsoftHelp: "CustomerTechnicalArchitecture",
    shareWithMicrosoftSellers: true,
    modifiedOn: "2026-11-20T09:00:00Z",
  };
}

/** readySnapshot() with one change applied by `edit`. */
export function snapshotWith(edit: (s: OpportunitySnapshot) => void): OpportunitySnapshot {
  const s = readySnapshot();
  edit(s);
  return s;
}
