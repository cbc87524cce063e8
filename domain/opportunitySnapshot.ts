import type { AssistanceRequestCode } from "./referral";

/**
 * Everything the sync needs to know about one opportunity, read from Dataverse and flattened.
 * The gateways (proxy, form script, controls) build it; the domain never reads Dataverse itself.
 * Values are as Dataverse holds them: nothing here is validated yet (readiness rules do that).
 */

export type Guid = string;
export type OpportunityState = "open" | "won" | "lost";

export interface Address {
  line1: string | null;
  line2: string | null;
  city: string | null;
  stateOrProvince: string | null;
  postalCode: string | null;
  /** address1_country as typed by a user: a code or a name, in any language. */
  country: string | null;
}

export interface CustomerAccount {
  id: Guid;
  name: string | null;
  address: Address;
  numberOfEmployees: number | null;
}

export interface CustomerContact {
  id: Guid;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
}

/** A principal on the deal: the owner or a sales team member. Owners can be teams, members can be contacts. */
export interface DealPerson {
  id: Guid;
  kind: "systemuser" | "team" | "contact" | "unknown";
  fullName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  /** systemuser.isdisabled */
  isDisabled: boolean;
}

export interface Currency {
  id: Guid;
  /** transactioncurrency.isocurrencycode */
  isoCode: string | null;
  name: string | null;
}

export interface LinkedMicrosoftSolution {
  /** The catalogue row. */
  id: Guid;
  /** Partner Center solution id, `SOL-…`. */
  solutionId: string | null;
  name: string | null;
}

export interface OpportunitySnapshot {
  id: Guid;
  name: string | null;
  description: string | null;
  state: OpportunityState;
  /** estimatedvalue, in the opportunity's currency */
  estimatedValue: number | null;
  /** estimatedclosedate, date only: YYYY-MM-DD */
  estimatedCloseDate: string | null;
  currency: Currency | null;
  account: CustomerAccount | null;
  /** parentcontactid */
  customerContact: CustomerContact | null;
  owner: DealPerson | null;
  salesTeam: DealPerson[];
  solutions: LinkedMicrosoftSolution[];
  /** pcs_microsofthelp: null when no help is requested */
  microsoftHelp: AssistanceRequestCode | null;
  /** pcs_sharewithmicrosoftsellers */
  shareWithMicrosoftSellers: boolean;
  /** modifiedon (ISO date-time): the CRM side's timestamp for last-writer-wins */
  modifiedOn: string | null;
}

/** Where a seller goes to fix something: a table and column, and the row when it is not the opportunity itself. */
export interface FieldRef {
  table:
    "opportunity" | "account" | "contact" | "systemuser" | "team" | "transactioncurrency" | "pcs_microsoftsolution";
  column: string;
  recordId?: Guid;
}
