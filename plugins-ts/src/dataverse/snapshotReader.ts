import type { DynamicsWebApi } from "dynamics-web-api";
import {
  choiceName,
  MICROSOFT_HELP_VALUES,
  type CustomerAccount,
  type CustomerContact,
  type DealPerson,
  type LinkedMicrosoftSolution,
  type OpportunitySnapshot,
  type OpportunityState,
} from "../../../domain";
import { executeBatchOrThrow } from "./batchOutcome";
import { isoOf, readSyncFields, SYNC_COLUMNS, type OpportunitySyncFields } from "./opportunitySyncFields";

/**
 * Reads everything the sync needs about one opportunity in ONE HTTP request: a $batch holding the
 * opportunity (with its account, contact, currency, owner and Microsoft solutions expanded) and the
 * members of its Sales Team (the access team whose regarding row is the opportunity).
 */

export interface OpportunityRead {
  snapshot: OpportunitySnapshot;
  sync: OpportunitySyncFields;
  /** @odata.etag of the opportunity row, for the If-Match of the write that follows. */
  etag: string;
}

type Json = Record<string, unknown>;

const USER_SELECT = ["fullname", "firstname", "lastname", "internalemailaddress", "address1_telephone1", "isdisabled"];

export const OPPORTUNITY_SELECT = [
  "name",
  "description",
  "statecode",
  "estimatedvalue",
  "estimatedclosedate",
  "pcs_microsofthelp",
  "pcs_sharewithmicrosoftsellers",
  "modifiedon",
  "_ownerid_value",
  ...SYNC_COLUMNS,
];

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

function stateOf(statecode: unknown): OpportunityState {
  return statecode === 1 ? "won" : statecode === 2 ? "lost" : "open";
}

function userPerson(user: Json): DealPerson {
  return {
    id: String(user.systemuserid),
    kind: "systemuser",
    fullName: str(user.fullname),
    firstName: str(user.firstname),
    lastName: str(user.lastname),
    email: str(user.internalemailaddress),
    phone: str(user.address1_telephone1),
    isDisabled: user.isdisabled === true,
  };
}

function accountOf(row: Json | null | undefined): CustomerAccount | null {
  if (!row) return null;
  return {
    id: String(row.accountid),
    name: str(row.name),
    address: {
      line1: str(row.address1_line1),
      line2: str(row.address1_line2),
      city: str(row.address1_city),
      stateOrProvince: str(row.address1_stateorprovince),
      postalCode: str(row.address1_postalcode),
      country: str(row.address1_country),
    },
    numberOfEmployees: typeof row.numberofemployees === "number" ? row.numberofemployees : null,
  };
}

function contactOf(row: Json | null | undefined): CustomerContact | null {
  if (!row) return null;
  return {
    id: String(row.contactid),
    firstName: str(row.firstname),
    lastName: str(row.lastname),
    email: str(row.emailaddress1),
    phone: str(row.telephone1),
  };
}

function ownerOf(row: Json): DealPerson | null {
  const user = row.owninguser as Json | null | undefined;
  if (user) return userPerson(user);
  const team = row.owningteam as Json | null | undefined;
  if (team) {
    return {
      id: String(team.teamid),
      kind: "team",
      fullName: str(team.name),
      firstName: null,
      lastName: null,
      email: null,
      phone: null,
      isDisabled: false,
    };
  }
  const id = str(row._ownerid_value);
  return id
    ? {
        id,
        kind: "unknown",
        fullName: null,
        firstName: null,
        lastName: null,
        email: null,
        phone: null,
        isDisabled: false,
      }
    : null;
}

export function opportunityRequest(id: string) {
  return {
    collection: "opportunities",
    key: id,
    select: OPPORTUNITY_SELECT,
    expand: [
      {
        property: "customerid_account",
        select: [
          "name",
          "address1_line1",
          "address1_line2",
          "address1_city",
          "address1_stateorprovince",
          "address1_postalcode",
          "address1_country",
          "numberofemployees",
        ],
      },
      {
        property: "parentaccountid",
        select: [
          "name",
          "address1_line1",
          "address1_line2",
          "address1_city",
          "address1_stateorprovince",
          "address1_postalcode",
          "address1_country",
          "numberofemployees",
        ],
      },
      { property: "parentcontactid", select: ["firstname", "lastname", "emailaddress1", "telephone1"] },
      { property: "transactioncurrencyid", select: ["isocurrencycode", "currencyname"] },
      { property: "owninguser", select: USER_SELECT },
      { property: "owningteam", select: ["name"] },
      { property: "pcs_opportunity_microsoftsolution", select: ["pcs_solutionid", "pcs_name"] },
    ],
  };
}

export function salesTeamRequest(id: string) {
  return {
    collection: "teams",
    select: ["teamid"],
    filter: `_regardingobjectid_value eq ${id} and teamtype eq 1`,
    expand: [{ property: "teammembership_association", select: USER_SELECT }],
  };
}

/** Builds the domain snapshot from the two responses. */
export function toOpportunityRead(row: Json, teams: Json[]): OpportunityRead {
  const currency = row.transactioncurrencyid as Json | null | undefined;
  const solutions = (row.pcs_opportunity_microsoftsolution as Json[] | undefined) ?? [];
  const members = new Map<string, DealPerson>();
  for (const team of teams) {
    for (const user of (team.teammembership_association as Json[] | undefined) ?? []) {
      const person = userPerson(user);
      members.set(person.id, person);
    }
  }
  const snapshot: OpportunitySnapshot = {
    id: String(row.opportunityid),
    name: str(row.name),
    description: str(row.description),
    state: stateOf(row.statecode),
    estimatedValue: typeof row.estimatedvalue === "number" ? row.estimatedvalue : null,
    estimatedCloseDate: isoOf(row.estimatedclosedate)?.slice(0, 10) ?? null,
    currency: currency
      ? {
          id: String(currency.transactioncurrencyid),
          isoCode: str(currency.isocurrencycode),
          name: str(currency.currencyname),
        }
      : null,
    account: accountOf((row.customerid_account as Json | null) ?? (row.parentaccountid as Json | null)),
    customerContact: contactOf(row.parentcontactid as Json | null),
    owner: ownerOf(row),
    salesTeam: [...members.values()],
    solutions: solutions.map((s): LinkedMicrosoftSolution => ({
      id: String(s.pcs_microsoftsolutionid),
      solutionId: str(s.pcs_solutionid),
      name: str(s.pcs_name),
    })),
    microsoftHelp: choiceName(
      MICROSOFT_HELP_VALUES,
      typeof row.pcs_microsofthelp === "number" ? row.pcs_microsofthelp : null,
    ),
    shareWithMicrosoftSellers: row.pcs_sharewithmicrosoftsellers === true,
    modifiedOn: isoOf(row.modifiedon),
  };
  return { snapshot, sync: readSyncFields(row), etag: String(row["@odata.etag"] ?? "") };
}

/** One $batch on a fresh client (dynamics-web-api keeps batch state per instance, so a shared one is not safe). */
export async function readOpportunity(client: DynamicsWebApi, id: string): Promise<OpportunityRead | null> {
  client.startBatch();
  void client.retrieve(opportunityRequest(id));
  void client.retrieveMultiple(salesTeamRequest(id));
  let results: unknown[];
  try {
    results = await executeBatchOrThrow(client);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
  const [row, teams] = results as [Json, { value: Json[] }];
  return toOpportunityRead(row, teams.value);
}
