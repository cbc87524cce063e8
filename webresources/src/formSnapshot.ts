/// <reference types="xrm" />
import { choiceName, MICROSOFT_HELP_VALUES } from "../../domain/choices";
import type {
  CustomerAccount,
  CustomerContact,
  DealPerson,
  LinkedMicrosoftSolution,
  OpportunitySnapshot,
  OpportunityState,
} from "../../domain/opportunitySnapshot";
import {
  booleanValue,
  dateValue,
  lookupValue,
  numberValue,
  recordId,
  stringValue,
  toDateOnly,
  type FormContext,
  type LookupRef,
} from "./formAccess";
import { COLUMNS, OPPORTUNITY_STATE } from "./formColumns";

/**
 * The domain's OpportunitySnapshot from what the seller sees on the form (unsaved edits included), plus the
 * related rows the form does not hold, read with Xrm.WebApi: one request per related row that is set
 * (account, contact, currency, owning user), one for the linked Microsoft solutions and one for the Sales
 * Team members, all in parallel. Nothing is read for a lookup that is empty.
 */

type Row = Record<string, unknown>;

const ACCOUNT_SELECT =
  "name,address1_line1,address1_line2,address1_city,address1_stateorprovince,address1_postalcode,address1_country,numberofemployees";
const CONTACT_SELECT = "firstname,lastname,emailaddress1,telephone1";
const CURRENCY_SELECT = "isocurrencycode,currencyname";
export const USER_SELECT = "fullname,firstname,lastname,internalemailaddress,address1_telephone1,isdisabled";

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

function userPerson(row: Row, id: string): DealPerson {
  return {
    id,
    kind: "systemuser",
    fullName: str(row.fullname),
    firstName: str(row.firstname),
    lastName: str(row.lastname),
    email: str(row.internalemailaddress),
    phone: str(row.address1_telephone1),
    isDisabled: row.isdisabled === true,
  };
}

function otherPerson(ref: LookupRef, kind: DealPerson["kind"]): DealPerson {
  return {
    id: ref.id,
    kind,
    fullName: ref.name,
    firstName: null,
    lastName: null,
    email: null,
    phone: null,
    isDisabled: false,
  };
}

export function stateFromForm(fc: FormContext): OpportunityState {
  const state = numberValue(fc, COLUMNS.state);
  return state === OPPORTUNITY_STATE.won ? "won" : state === OPPORTUNITY_STATE.lost ? "lost" : "open";
}

/** The customer account: Potential Customer when it is an account, else the opportunity's Account. */
export function accountRef(fc: FormContext): LookupRef | null {
  const customer = lookupValue(fc, COLUMNS.customer);
  if (customer?.entityType === "account") return customer;
  const parent = lookupValue(fc, COLUMNS.parentAccount);
  return parent?.entityType === "account" ? parent : null;
}

export async function readFormSnapshot(fc: FormContext, webApi: Xrm.WebApi): Promise<OpportunitySnapshot> {
  const id = recordId(fc);
  const account = accountRef(fc);
  const contact = lookupValue(fc, COLUMNS.contact);
  const currency = lookupValue(fc, COLUMNS.currency);
  const owner = lookupValue(fc, COLUMNS.owner);

  const retrieve = (table: string, ref: LookupRef | null, select: string): Promise<Row | null> =>
    ref
      ? (Promise.resolve(webApi.retrieveRecord(table, ref.id, `?$select=${select}`)) as Promise<Row>)
      : Promise.resolve(null);

  const [accountRow, contactRow, currencyRow, ownerRow, solutionsRow, teamsResult] = await Promise.all([
    retrieve("account", account, ACCOUNT_SELECT),
    retrieve("contact", contact?.entityType === "contact" ? contact : null, CONTACT_SELECT),
    retrieve("transactioncurrency", currency, CURRENCY_SELECT),
    retrieve("systemuser", owner?.entityType === "systemuser" ? owner : null, USER_SELECT),
    id
      ? (Promise.resolve(
          webApi.retrieveRecord(
            "opportunity",
            id,
            "?$select=opportunityid&$expand=pcs_opportunity_microsoftsolution($select=pcs_solutionid,pcs_name)",
          ),
        ) as Promise<Row>)
      : Promise.resolve(null),
    id
      ? Promise.resolve(
          webApi.retrieveMultipleRecords(
            "team",
            `?$select=teamid&$filter=_regardingobjectid_value eq ${id} and teamtype eq 1&$expand=teammembership_association($select=${USER_SELECT})`,
          ),
        )
      : Promise.resolve(null),
  ]);

  const accountValue: CustomerAccount | null =
    account && accountRow
      ? {
          id: account.id,
          name: str(accountRow.name) ?? account.name,
          address: {
            line1: str(accountRow.address1_line1),
            line2: str(accountRow.address1_line2),
            city: str(accountRow.address1_city),
            stateOrProvince: str(accountRow.address1_stateorprovince),
            postalCode: str(accountRow.address1_postalcode),
            country: str(accountRow.address1_country),
          },
          numberOfEmployees: typeof accountRow.numberofemployees === "number" ? accountRow.numberofemployees : null,
        }
      : null;

  const contactValue: CustomerContact | null =
    contact && contactRow
      ? {
          id: contact.id,
          firstName: str(contactRow.firstname),
          lastName: str(contactRow.lastname),
          email: str(contactRow.emailaddress1),
          phone: str(contactRow.telephone1),
        }
      : null;

  let ownerValue: DealPerson | null = null;
  if (owner) {
    if (owner.entityType === "systemuser")
      ownerValue = ownerRow ? userPerson(ownerRow, owner.id) : otherPerson(owner, "unknown");
    else ownerValue = otherPerson(owner, owner.entityType === "team" ? "team" : "unknown");
  }

  const members = new Map<string, DealPerson>();
  for (const team of (teamsResult?.entities ?? []) as Row[]) {
    for (const user of (team.teammembership_association as Row[] | undefined) ?? []) {
      const userId = str(user.systemuserid);
      if (userId) members.set(userId.toLowerCase(), userPerson(user, userId.toLowerCase()));
    }
  }

  const solutions = ((solutionsRow?.pcs_opportunity_microsoftsolution as Row[] | undefined) ?? []).map(
    (row): LinkedMicrosoftSolution => ({
      id: String(row.pcs_microsoftsolutionid ?? ""),
      solutionId: str(row.pcs_solutionid),
      name: str(row.pcs_name),
    }),
  );

  const closeDate = dateValue(fc, COLUMNS.estimatedCloseDate);
  const modifiedOn = dateValue(fc, COLUMNS.modifiedOn);
  return {
    id: id ?? "",
    name: stringValue(fc, COLUMNS.name),
    description: stringValue(fc, COLUMNS.description),
    state: stateFromForm(fc),
    estimatedValue: numberValue(fc, COLUMNS.estimatedValue),
    estimatedCloseDate: closeDate ? toDateOnly(closeDate) : null,
    currency:
      currency && currencyRow
        ? {
            id: currency.id,
            isoCode: str(currencyRow.isocurrencycode),
            name: str(currencyRow.currencyname) ?? currency.name,
          }
        : null,
    account: accountValue,
    customerContact: contactValue,
    owner: ownerValue,
    salesTeam: [...members.values()],
    solutions,
    microsoftHelp: choiceName(MICROSOFT_HELP_VALUES, numberValue(fc, COLUMNS.microsoftHelp)),
    shareWithMicrosoftSellers: booleanValue(fc, COLUMNS.shareWithMicrosoftSellers),
    modifiedOn: modifiedOn ? modifiedOn.toISOString() : null,
  };
}
