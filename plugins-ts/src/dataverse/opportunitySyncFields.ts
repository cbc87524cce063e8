import {
  choiceName,
  MICROSOFT_HELP_VALUES,
  REFERRAL_STATUS_VALUES,
  REFERRAL_SUBSTATUS_VALUES,
  SYNC_STATE_VALUES,
  type ReferralStatus,
  type ReferralSubstatus,
  type SyncState,
} from "../../../domain";

/** The product's sync columns on the opportunity (spec §3), typed, with their choice values from domain/choices. */
export interface OpportunitySyncFields {
  syncEnabled: boolean;
  referralId: string | null;
  referralLink: string | null;
  referralStatus: ReferralStatus | null;
  referralSubstatus: ReferralSubstatus | null;
  microsoftCrmId: string | null;
  syncState: SyncState;
  lastSyncOn: string | null;
  lastSyncError: string | null;
  referralEtag: string | null;
  referralUpdatedOn: string | null;
  fingerprint: string | null;
  nextRetryOn: string | null;
  syncAttempt: number | null;
}

export const SYNC_COLUMNS = [
  "pcs_syncwithpartnercenter",
  "pcs_referralid",
  "pcs_referrallink",
  "pcs_referralstatus",
  "pcs_referralsubstatus",
  "pcs_microsoftcrmid",
  "pcs_syncstate",
  "pcs_lastsyncon",
  "pcs_lastsyncerror",
  "pcs_referraletag",
  "pcs_referralupdatedon",
  "pcs_syncfingerprint",
  "pcs_nextretryon",
  "pcs_syncattempt",
] as const;

/** dynamics-web-api revives ISO date-times into Date objects; either way we keep ISO text. */
export function isoOf(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  return typeof value === "string" && value ? value : null;
}

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);

export function readSyncFields(row: Record<string, unknown>): OpportunitySyncFields {
  return {
    syncEnabled: row.pcs_syncwithpartnercenter === true,
    referralId: str(row.pcs_referralid),
    referralLink: str(row.pcs_referrallink),
    referralStatus: choiceName(REFERRAL_STATUS_VALUES, num(row.pcs_referralstatus)),
    referralSubstatus: choiceName(REFERRAL_SUBSTATUS_VALUES, num(row.pcs_referralsubstatus)),
    microsoftCrmId: str(row.pcs_microsoftcrmid),
    syncState: choiceName(SYNC_STATE_VALUES, num(row.pcs_syncstate)) ?? "NotSynced",
    lastSyncOn: isoOf(row.pcs_lastsyncon),
    lastSyncError: str(row.pcs_lastsyncerror),
    referralEtag: str(row.pcs_referraletag),
    referralUpdatedOn: str(row.pcs_referralupdatedon),
    fingerprint: str(row.pcs_syncfingerprint),
    nextRetryOn: isoOf(row.pcs_nextretryon),
    syncAttempt: num(row.pcs_syncattempt),
  };
}

/**
 * The body of one PATCH: only the fields given. "None" status maps to an empty choice, as Dataverse
 * has no "None" option.
 */
export function syncFieldsPatch(fields: Partial<OpportunitySyncFields>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const put = (name: string, value: unknown) => {
    if (value !== undefined) body[name] = value;
  };
  put("pcs_syncwithpartnercenter", fields.syncEnabled);
  put("pcs_referralid", fields.referralId);
  put("pcs_referrallink", fields.referralLink);
  if (fields.referralStatus !== undefined) {
    body.pcs_referralstatus =
      fields.referralStatus === null || fields.referralStatus === "None"
        ? null
        : REFERRAL_STATUS_VALUES[fields.referralStatus];
  }
  if (fields.referralSubstatus !== undefined) {
    body.pcs_referralsubstatus =
      fields.referralSubstatus === null || fields.referralSubstatus === "None"
        ? null
        : REFERRAL_SUBSTATUS_VALUES[fields.referralSubstatus];
  }
  put("pcs_microsoftcrmid", fields.microsoftCrmId);
  if (fields.syncState !== undefined) body.pcs_syncstate = SYNC_STATE_VALUES[fields.syncState];
  put("pcs_lastsyncon", fields.lastSyncOn);
  put("pcs_lastsyncerror", fields.lastSyncError);
  put("pcs_referraletag", fields.referralEtag);
  put("pcs_referralupdatedon", fields.referralUpdatedOn);
  put("pcs_syncfingerprint", fields.fingerprint);
  put("pcs_nextretryon", fields.nextRetryOn);
  put("pcs_syncattempt", fields.syncAttempt);
  return body;
}

/**
 * Opportunity columns CRM and Partner Center share (value, currency, close date, notes, name): written
 * together with the sync fields when Partner Center → CRM applies a change, so the fingerprint and the
 * values it describes change in the same write (echo suppression depends on it).
 */
export interface OpportunityCrmFields {
  name?: string;
  description?: string | null;
  estimatedValue?: number | null;
  /** YYYY-MM-DD */
  estimatedCloseDate?: string | null;
  currencyId?: string | null;
}

export function crmFieldsPatch(fields: OpportunityCrmFields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (fields.name !== undefined) body.name = fields.name;
  if (fields.description !== undefined) body.description = fields.description;
  if (fields.estimatedValue !== undefined) body.estimatedvalue = fields.estimatedValue;
  if (fields.estimatedCloseDate !== undefined) body.estimatedclosedate = fields.estimatedCloseDate;
  if (fields.currencyId !== undefined) {
    // Lookups are set by binding, and cleared by binding null.
    body["transactioncurrencyid@odata.bind"] =
      fields.currencyId === null ? null : `/transactioncurrencies(${fields.currencyId})`;
  }
  return body;
}

export { MICROSOFT_HELP_VALUES };
