import { choiceName, MICROSOFT_HELP_VALUES, SYNC_STATE_VALUES, type SyncState } from "../../domain/choices";
import type { DealPerson, OpportunitySnapshot } from "../../domain/opportunitySnapshot";
import type { WebApi } from "./record";

/**
 * Reads one opportunity through context.webAPI (two requests: the row with its related rows, and its sales
 * team) and flattens it into the domain's OpportunitySnapshot, plus the sync columns the controls show.
 * Logical names follow solution/schema. Only what the readiness rules read is selected (the toggle's bundle
 * budget is 15 KB): address lines, phones and head count stay null.
 */

type Row = ComponentFramework.WebApi.Entity;

export interface SyncColumns {
  syncOn: boolean;
  syncState: SyncState | null;
  referralId: string | null;
  referralLink: string | null;
}

export interface OpportunityRead {
  snapshot: OpportunitySnapshot;
  sync: SyncColumns;
}

const PERSON = "fullname,firstname,lastname,internalemailaddress,isdisabled";

export const OPPORTUNITY_QUERY =
  "?$select=name,description,statecode,estimatedvalue,estimatedclosedate,pcs_microsofthelp," +
  "pcs_sharewithmicrosoftsellers,modifiedon,pcs_syncwithpartnercenter,pcs_syncstate,pcs_referralid,pcs_referrallink" +
  "&$expand=customerid_account($select=name,address1_country)," +
  "parentcontactid($select=firstname,lastname,emailaddress1)," +
  "transactioncurrencyid($select=isocurrencycode)," +
  `owninguser($select=${PERSON}),owningteam($select=name),` +
  "pcs_opportunity_microsoftsolution($select=pcs_solutionid,pcs_name)";

export function salesTeamQuery(opportunityId: string): string {
  return (
    `?$select=teamid&$filter=_regardingobjectid_value eq ${opportunityId} and teamtype eq 1` +
    `&$expand=teammembership_association($select=${PERSON})`
  );
}

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);
const rows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);
/** A single-valued navigation property ($expand), or null. */
const one = (value: unknown): Row | null => (value && typeof value === "object" ? (value as Row) : null);

function person(row: Row, kind: DealPerson["kind"] = "systemuser"): DealPerson {
  return {
    id: str(row.systemuserid ?? row.teamid) ?? "",
    kind,
    fullName: str(row.fullname ?? row.name),
    firstName: str(row.firstname),
    lastName: str(row.lastname),
    email: str(row.internalemailaddress),
    phone: null,
    isDisabled: row.isdisabled === true,
  };
}

export function toSnapshot(id: string, row: Row, team: Row[]): OpportunityRead {
  const account = one(row.customerid_account);
  const contact = one(row.parentcontactid);
  const currency = one(row.transactioncurrencyid);
  const owningUser = one(row.owninguser);
  const owningTeam = one(row.owningteam);
  const state = row.statecode;
  const snapshot: OpportunitySnapshot = {
    id,
    name: str(row.name),
    description: str(row.description),
    state: state === 1 ? "won" : state === 2 ? "lost" : "open",
    estimatedValue: num(row.estimatedvalue),
    estimatedCloseDate: str(row.estimatedclosedate),
    currency: currency && {
      id: str(currency.transactioncurrencyid) ?? "",
      isoCode: str(currency.isocurrencycode),
      name: null,
    },
    account: account && {
      id: str(account.accountid) ?? "",
      name: str(account.name),
      address: {
        line1: null,
        line2: null,
        city: null,
        stateOrProvince: null,
        postalCode: null,
        country: str(account.address1_country),
      },
      numberOfEmployees: null,
    },
    customerContact: contact && {
      id: str(contact.contactid) ?? "",
      firstName: str(contact.firstname),
      lastName: str(contact.lastname),
      email: str(contact.emailaddress1),
      phone: null,
    },
    owner: owningUser ? person(owningUser) : owningTeam && person(owningTeam, "team"),
    salesTeam: team.flatMap((t) => rows(t.teammembership_association).map((m) => person(m))),
    solutions: rows(row.pcs_opportunity_microsoftsolution).map((s) => ({
      id: str(s.pcs_microsoftsolutionid) ?? "",
      solutionId: str(s.pcs_solutionid),
      name: str(s.pcs_name),
    })),
    microsoftHelp: choiceName(MICROSOFT_HELP_VALUES, num(row.pcs_microsofthelp)),
    shareWithMicrosoftSellers: row.pcs_sharewithmicrosoftsellers === true,
    modifiedOn: str(row.modifiedon),
  };
  return {
    snapshot,
    sync: {
      syncOn: row.pcs_syncwithpartnercenter === true,
      syncState: choiceName(SYNC_STATE_VALUES, num(row.pcs_syncstate)),
      referralId: str(row.pcs_referralid),
      referralLink: str(row.pcs_referrallink),
    },
  };
}

export async function readOpportunity(webApi: WebApi, id: string): Promise<OpportunityRead> {
  const [row, team] = await Promise.all([
    webApi.retrieveRecord("opportunity", id, OPPORTUNITY_QUERY),
    webApi.retrieveMultipleRecords("team", salesTeamQuery(id)),
  ]);
  return toSnapshot(id, row, team.entities);
}

/** Only http(s) links are rendered as links: a referral link is data, never script. */
export function safeHttpUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}
