/**
 * The sandbox's Opportunity main form, as a form designer would lay it out: which columns are on it, in which
 * section, and where the two PCF controls sit. Labels and choice options are not here: they come from the org's
 * metadata in the user's language, as on a real form.
 */

export type FieldKind =
  "string" | "memo" | "money" | "lookup" | "optionset" | "boolean" | "date" | "datetime" | "integer";

export interface FieldDefinition {
  column: string;
  kind: FieldKind;
  /** Lookup target table (the sandbox offers the rows of this table to pick from). */
  target?: string;
  /** Shown but never editable on this form (platform- or Partner Center-owned). */
  readOnly?: boolean;
  /** On the form but not shown (the form script still reads it). */
  hidden?: boolean;
}

export interface PcfSlot {
  control: "SyncToggle" | "SyncStatusPanel";
  /** The manifest's bound property and the column it is bound to on this form. */
  boundProperty: string;
  column: string;
  /** The control's other bound properties → the columns they read. */
  also?: Readonly<Record<string, string>>;
  /** Static values of the control's input properties, as set in the form designer (none: manifest defaults). */
  inputs?: Record<string, string | number>;
}

export interface SectionDefinition {
  id: string;
  /** Sandbox chrome label (the section names of a form are customizer text, English here). */
  label: { 1033: string; 1042: string };
  fields: FieldDefinition[];
  controls?: PcfSlot[];
}

export const OPPORTUNITY_FORM: SectionDefinition[] = [
  {
    id: "summary",
    label: { 1033: "Opportunity", 1042: "영업 기회" },
    fields: [
      { column: "name", kind: "string" },
      { column: "customerid", kind: "lookup", target: "account" },
      { column: "parentcontactid", kind: "lookup", target: "contact" },
      { column: "estimatedvalue", kind: "money" },
      { column: "transactioncurrencyid", kind: "lookup", target: "transactioncurrency" },
      { column: "estimatedclosedate", kind: "date" },
      { column: "description", kind: "memo" },
      { column: "ownerid", kind: "lookup", target: "systemuser", readOnly: true },
    ],
  },
  {
    id: "cosell",
    label: { 1033: "Co-sell with Microsoft", 1042: "Microsoft 공동 판매" },
    fields: [
      { column: "pcs_microsofthelp", kind: "optionset" },
      { column: "pcs_sharewithmicrosoftsellers", kind: "boolean" },
    ],
  },
  {
    id: "partnercenter",
    label: { 1033: "Partner Center", 1042: "파트너 센터" },
    controls: [
      {
        control: "SyncToggle",
        boundProperty: "syncWithPartnerCenter",
        column: "pcs_syncwithpartnercenter",
        also: { syncState: "pcs_syncstate" },
      },
      { control: "SyncStatusPanel", boundProperty: "syncState", column: "pcs_syncstate" },
    ],
    fields: [
      { column: "pcs_referralstatus", kind: "optionset", readOnly: true },
      { column: "pcs_referralsubstatus", kind: "optionset", readOnly: true },
      { column: "pcs_microsoftcrmid", kind: "string", readOnly: true },
      { column: "pcs_syncwithpartnercenter", kind: "boolean", hidden: true },
      { column: "pcs_syncstate", kind: "optionset", hidden: true },
      { column: "pcs_referralid", kind: "string", hidden: true },
      { column: "pcs_referrallink", kind: "string", hidden: true },
      { column: "pcs_lastsyncon", kind: "datetime", hidden: true },
      { column: "pcs_lastsyncerror", kind: "memo", hidden: true },
      { column: "parentaccountid", kind: "lookup", target: "account", hidden: true },
      { column: "statecode", kind: "optionset", hidden: true, readOnly: true },
      { column: "statuscode", kind: "optionset", hidden: true, readOnly: true },
      { column: "modifiedon", kind: "datetime", hidden: true, readOnly: true },
    ],
  },
];

export const ALL_FIELDS: FieldDefinition[] = OPPORTUNITY_FORM.flatMap((s) => s.fields);

/** Form handlers as the solution registers them (webresources/README.md), all with the execution context. */
export const FORM_LIBRARY = {
  url: "/WebResources/pcs_/scripts/opportunityForm.js",
  onLoad: "Pcs.OpportunityForm.onLoad",
  onSave: "Pcs.OpportunityForm.onSave",
  onChange: { pcs_syncwithpartnercenter: "Pcs.OpportunityForm.onSyncChange" } as Record<string, string>,
  closeDialogOnSave: "Pcs.OpportunityForm.onCloseDialogSave",
  syncNow: "Pcs.OpportunityForm.syncNow",
  syncNowEnabled: "Pcs.OpportunityForm.isSyncNowEnabled",
} as const;
