import {
  choiceName,
  REFERRAL_STATUS_VALUES,
  REFERRAL_SUBSTATUS_VALUES,
  SYNC_STATE_VALUES,
  type SyncState,
} from "../../domain/choices";
import { formatMessage, type Language } from "../../domain/messages";
import { crmEffectOfReferralStatus } from "../../domain/statusMapping";
import { attributeOf, booleanValue, controlsOf, numberValue, stringValue, type FormContext } from "./formAccess";
import { COLUMNS, CREATE_ONLY, PARTNER_CENTER_OWNED } from "./formColumns";
import { formText } from "./formMessages";
import { clearGroup, GROUPS, showNotice, type Level } from "./formNotifications";
import { stateFromForm } from "./formSnapshot";

/**
 * What the form shows from its own values, without any request: the sync state (with the last error and
 * its fix when the last sync failed), Microsoft's closing of the referral, and the locks on the fields
 * Partner Center owns while the referral is open on Microsoft's side.
 */

export interface SyncView {
  syncOn: boolean;
  state: SyncState;
  referralId: string | null;
  referralStatus: "New" | "Active" | "Closed" | null;
  lastError: string | null;
}

export function syncViewOf(fc: FormContext): SyncView {
  return {
    syncOn: booleanValue(fc, COLUMNS.sync),
    state: choiceName(SYNC_STATE_VALUES, numberValue(fc, COLUMNS.syncState)) ?? "NotSynced",
    referralId: stringValue(fc, COLUMNS.referralId),
    referralStatus: choiceName(REFERRAL_STATUS_VALUES, numberValue(fc, COLUMNS.referralStatus)),
    lastError: stringValue(fc, COLUMNS.lastSyncError),
  };
}

const STATE_LEVEL: Record<Exclude<SyncState, "NotSynced">, Level> = {
  Pending: "INFO",
  Synced: "INFO",
  Deferred: "WARNING",
  Blocked: "WARNING",
  Error: "ERROR",
};

/** The sync-state notification: nothing while sync was never used; otherwise one line at the state's level. */
export function showSyncState(fc: FormContext, language: Language): void {
  const view = syncViewOf(fc);
  if (view.state === "NotSynced" || (!view.syncOn && view.state !== "Error")) {
    clearGroup(fc, GROUPS.state);
    return;
  }
  const error = view.lastError ?? formText("state.noDetail", language);
  const text = formText(`state.${view.state}`, language, { referralId: view.referralId ?? "—", error });
  showNotice(fc, GROUPS.state, text, STATE_LEVEL[view.state]);
}

/** Declined / expired / closed on Microsoft's side while the opportunity is still open: tell the seller. */
export function showReferralNotice(fc: FormContext, language: Language): void {
  const status = choiceName(REFERRAL_STATUS_VALUES, numberValue(fc, COLUMNS.referralStatus));
  const substatus = choiceName(REFERRAL_SUBSTATUS_VALUES, numberValue(fc, COLUMNS.referralSubstatus));
  if (!status || !substatus || !stringValue(fc, COLUMNS.referralId)) {
    clearGroup(fc, GROUPS.referralNotice);
    return;
  }
  const effect = crmEffectOfReferralStatus({ status, substatus }, stateFromForm(fc));
  if (!effect.notice) {
    clearGroup(fc, GROUPS.referralNotice);
    return;
  }
  showNotice(
    fc,
    GROUPS.referralNotice,
    formatMessage(effect.notice.messageKey, language, effect.notice.params),
    "WARNING",
  );
}

const lockedByUs = new WeakMap<FormContext, Set<string>>();

/**
 * Locks: while the referral is open on Microsoft's side (New or Active), the columns Partner Center owns,
 * the ones only sent at creation (Microsoft help), and the consent to share once given (it cannot be
 * withdrawn). Only what this script locked is unlocked again, so a form designer's read-only stays.
 * Returns the columns now locked by the script.
 */
export function applyFieldLocks(fc: FormContext): string[] {
  const view = syncViewOf(fc);
  const open = view.referralId !== null && (view.referralStatus === "New" || view.referralStatus === "Active");
  const wanted = new Set<string>();
  if (view.referralId !== null) PARTNER_CENTER_OWNED.forEach((name) => wanted.add(name));
  if (open) {
    CREATE_ONLY.forEach((name) => wanted.add(name));
    if (booleanValue(fc, COLUMNS.shareWithMicrosoftSellers)) wanted.add(COLUMNS.shareWithMicrosoftSellers);
  }
  const previous = lockedByUs.get(fc) ?? new Set<string>();
  for (const name of previous) {
    if (!wanted.has(name)) controlsOf(fc, name).forEach((control) => control.setDisabled(false));
  }
  const locked = new Set<string>();
  for (const name of wanted) {
    if (!attributeOf(fc, name)) continue;
    const controls = controlsOf(fc, name);
    // A control the designer already made read-only is not ours to unlock later.
    if (!previous.has(name) && controls.every((control) => control.getDisabled())) continue;
    controls.forEach((control) => control.setDisabled(true));
    locked.add(name);
  }
  lockedByUs.set(fc, locked);
  return [...locked];
}
