/**
 * Logical names of the Opportunity columns the form script reads (solution/schema/tables.ts is the source).
 */
export const COLUMNS = {
  sync: "pcs_syncwithpartnercenter",
  syncState: "pcs_syncstate",
  referralId: "pcs_referralid",
  referralLink: "pcs_referrallink",
  referralStatus: "pcs_referralstatus",
  referralSubstatus: "pcs_referralsubstatus",
  microsoftCrmId: "pcs_microsoftcrmid",
  lastSyncOn: "pcs_lastsyncon",
  lastSyncError: "pcs_lastsyncerror",
  microsoftHelp: "pcs_microsofthelp",
  shareWithMicrosoftSellers: "pcs_sharewithmicrosoftsellers",
  name: "name",
  description: "description",
  estimatedValue: "estimatedvalue",
  estimatedCloseDate: "estimatedclosedate",
  currency: "transactioncurrencyid",
  customer: "customerid",
  parentAccount: "parentaccountid",
  contact: "parentcontactid",
  owner: "ownerid",
  state: "statecode",
  status: "statuscode",
  modifiedOn: "modifiedon",
} as const;

/**
 * Columns whose change, once saved, Partner Center must hear about (the referral mapping's inputs on the
 * opportunity row). Changes to related rows (the account's address, the linked solutions) do not dirty the
 * form: "Sync now" covers those.
 */
export const MAPPED_COLUMNS: readonly string[] = [
  COLUMNS.name,
  COLUMNS.description,
  COLUMNS.estimatedValue,
  COLUMNS.estimatedCloseDate,
  COLUMNS.currency,
  COLUMNS.customer,
  COLUMNS.parentAccount,
  COLUMNS.contact,
  COLUMNS.owner,
  COLUMNS.microsoftHelp,
  COLUMNS.shareWithMicrosoftSellers,
  COLUMNS.state,
  COLUMNS.status,
];

/** Columns Partner Center owns (product-spec §5 field ownership): never edited on the form. */
export const PARTNER_CENTER_OWNED: readonly string[] = [
  COLUMNS.referralStatus,
  COLUMNS.referralSubstatus,
  COLUMNS.microsoftCrmId,
];

/** Sent when the referral is created and not changeable afterwards (the patch reports, never sends, them). */
export const CREATE_ONLY: readonly string[] = [COLUMNS.microsoftHelp];

/** opportunity.statecode */
export const OPPORTUNITY_STATE = { open: 0, won: 1, lost: 2 } as const;
/** opportunity.statuscode values of the closed states (Won; Canceled, Out-Sold). */
export const WON_STATUS_REASONS: readonly number[] = [3];
export const LOST_STATUS_REASONS: readonly number[] = [4, 5];

/** The audit table whose subgrid on the form is refreshed after a sync. */
export const AUDIT_TABLE = "pcs_referralsyncaudit";
