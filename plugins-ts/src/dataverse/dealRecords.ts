import type { Address } from "../../../domain";
import {
  crmFieldsPatch,
  syncFieldsPatch,
  type OpportunityCrmFields,
  type OpportunitySyncFields,
} from "./opportunitySyncFields";

/**
 * Request bodies for creating a deal that arrives from Partner Center (an inbound Microsoft referral):
 * the customer account and contact when no existing row matches, and the opportunity bound to them.
 */

export interface NewAccount {
  name: string;
  address: Partial<Address>;
  numberOfEmployees?: number | null;
}

export interface NewContact {
  firstName: string | null;
  lastName: string;
  email: string | null;
  phone: string | null;
}

export interface NewOpportunity extends OpportunityCrmFields {
  name: string;
  /** systemuser that will own the opportunity; the calling user when absent. */
  ownerUserId?: string | null;
  sync?: Partial<OpportunitySyncFields>;
}

export interface NewDeal {
  account: { id: string } | { create: NewAccount };
  contact: { id: string } | { create: NewContact } | null;
  opportunity: NewOpportunity;
}

export function accountBody(account: NewAccount): Record<string, unknown> {
  const a = account.address;
  const body: Record<string, unknown> = { name: account.name };
  const put = (column: string, value: string | null | undefined) => {
    if (value !== undefined && value !== null && value !== "") body[column] = value;
  };
  put("address1_line1", a.line1);
  put("address1_line2", a.line2);
  put("address1_city", a.city);
  put("address1_stateorprovince", a.stateOrProvince);
  put("address1_postalcode", a.postalCode);
  put("address1_country", a.country);
  if (account.numberOfEmployees !== undefined && account.numberOfEmployees !== null)
    body.numberofemployees = account.numberOfEmployees;
  return body;
}

export function contactBody(contact: NewContact, accountRef: string): Record<string, unknown> {
  return {
    firstname: contact.firstName,
    lastname: contact.lastName,
    emailaddress1: contact.email,
    telephone1: contact.phone,
    "parentcustomerid_account@odata.bind": accountRef,
  };
}

export function opportunityBody(
  opportunity: NewOpportunity,
  accountRef: string,
  contactRef: string | null,
): Record<string, unknown> {
  const { sync, ownerUserId, ...crm } = opportunity;
  const body: Record<string, unknown> = {
    ...crmFieldsPatch(crm),
    ...syncFieldsPatch(sync ?? {}),
    "customerid_account@odata.bind": accountRef,
    "parentaccountid@odata.bind": accountRef,
  };
  if (crm.currencyId === null) delete body["transactioncurrencyid@odata.bind"];
  if (contactRef) body["parentcontactid@odata.bind"] = contactRef;
  if (ownerUserId) body["ownerid@odata.bind"] = `/systemusers(${ownerUserId})`;
  return body;
}

/** OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
