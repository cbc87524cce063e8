/// <reference types="xrm" />
import { booleanValue, type FormContext } from "./formAccess";
import { COLUMNS, MAPPED_COLUMNS } from "./formColumns";
import { sessionOf, startSession } from "./formSession";
import { applyFieldLocks, showReferralNotice, showSyncState } from "./formState";
import { guardCloseDialogSave, guardOpportunitySave } from "./closingGuard";
import { now as currentNow, track, userLanguage, webApi, whenIdle } from "./runtime";
import { isSyncNowEnabled as enabled, syncNow as runSyncNow } from "./syncNowCommand";
import { requestSync } from "./syncRunner";
import { onSyncToggled } from "./syncToggle";

/**
 * The Opportunity form library, bundled as `Pcs.OpportunityForm`. Register on the form (each with "Pass
 * execution context as first parameter"): onLoad on the form's OnLoad, onSyncChange on the OnChange of
 * pcs_syncwithpartnercenter, onSave on the form's OnSave. The command bar's "Sync now" calls syncNow and its
 * enable rule isSyncNowEnabled, both with PrimaryControl. onCloseDialogSave is the OnSave of the Opportunity
 * Close quick create form. No handler waits on the network: the form never blocks.
 */

function refreshView(fc: FormContext): void {
  const language = userLanguage();
  showSyncState(fc, language);
  showReferralNotice(fc, language);
  applyFieldLocks(fc);
}

function updateCommandBar(fc: FormContext): void {
  try {
    fc.ui.refreshRibbon();
  } catch {
    // Not every host has a command bar to refresh.
  }
}

/** After a successful save: sync when it was just turned on or a mapped column changed. */
function afterSave(fc: FormContext): void {
  const session = sessionOf(fc);
  const pending = session.pendingSync;
  session.pendingSync = null;
  session.syncAtLastSave = booleanValue(fc, COLUMNS.sync);
  if (session.skipPostSave) {
    session.skipPostSave = false;
    return;
  }
  if (pending && booleanValue(fc, COLUMNS.sync)) track(requestSync(fc, pending.trigger));
}

function onPostSave(context: Xrm.Events.PostSaveEventContext): void {
  const fc = context.getFormContext();
  const args = context.getEventArgs();
  if (typeof args?.getIsSaveSuccess === "function" && !args.getIsSaveSuccess()) {
    sessionOf(fc).pendingSync = null;
    return;
  }
  afterSave(fc);
}

/** Data OnLoad (after a save or refresh): the view again; and the post-save path where addOnPostSave is missing. */
function onDataLoad(context: Xrm.Events.EventContext): void {
  const fc = context.getFormContext();
  const session = sessionOf(fc);
  refreshView(fc);
  if (!session.postSaveRegistered && session.pendingSync) afterSave(fc);
  else if (!fc.data.entity.getIsDirty()) session.syncAtLastSave = booleanValue(fc, COLUMNS.sync);
}

const registered = new WeakSet<FormContext>();

export function onLoad(context: Xrm.Events.EventContext): void {
  const fc = context.getFormContext();
  const session = registered.has(fc) ? sessionOf(fc) : startSession(fc);
  session.syncAtLastSave = booleanValue(fc, COLUMNS.sync);
  refreshView(fc);
  if (registered.has(fc)) return;
  registered.add(fc);
  const entity = fc.data.entity as Partial<Xrm.Entity>;
  if (typeof entity.addOnPostSave === "function") {
    entity.addOnPostSave(onPostSave);
    session.postSaveRegistered = true;
  }
  fc.data.addOnLoad(onDataLoad);
}

export function onSyncChange(context: Xrm.Events.EventContext): void {
  const fc = context.getFormContext();
  updateCommandBar(fc);
  track(
    onSyncToggled(fc, { webApi: webApi(), language: userLanguage(), now: currentNow() }).then(() =>
      updateCommandBar(fc),
    ),
  );
}

export function onSave(context: Xrm.Events.SaveEventContext): void {
  const fc = context.getFormContext();
  const guard = guardOpportunitySave(context, userLanguage());
  if (guard.decision === "confirming") {
    track(guard.done);
    return;
  }
  const session = sessionOf(fc);
  const syncOn = booleanValue(fc, COLUMNS.sync);
  // Turned on since the last save, or since the row was (re)loaded with sync off.
  const justTurnedOn = syncOn && (!session.syncAtLastSave || fc.getAttribute(COLUMNS.sync)?.getIsDirty() === true);
  const mappedChanged = MAPPED_COLUMNS.some((name) => fc.getAttribute(name)?.getIsDirty() === true);
  session.pendingSync =
    syncOn && (justTurnedOn || mappedChanged) ? { trigger: justTurnedOn ? "toggle" : "save" } : null;
}

export function onCloseDialogSave(context: Xrm.Events.SaveEventContext): void {
  const guard = guardCloseDialogSave(context, userLanguage());
  if (guard.decision === "confirming") track(guard.done);
}

export function isSyncNowEnabled(primaryControl: FormContext): boolean {
  return enabled(primaryControl);
}

export function syncNow(primaryControl: FormContext): Promise<void> {
  const work = runSyncNow(primaryControl).then(() => undefined);
  track(work);
  return work;
}

export { whenIdle };
