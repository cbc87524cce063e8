/// <reference types="xrm" />
import type { Language } from "../../domain/messages";
import { attributeOf, booleanValue, lookupValue, type FormContext } from "./formAccess";
import { COLUMNS, LOST_STATUS_REASONS, OPPORTUNITY_STATE, WON_STATUS_REASONS } from "./formColumns";
import { formText } from "./formMessages";
import { clearGroup, GROUPS, showNotice } from "./formNotifications";
import { sessionOf } from "./formSession";

/**
 * The closing guard (product-spec §5): saving a synced opportunity as Won or Lost, or closing it through the
 * close dialog, asks for confirmation that this is final in Partner Center. The save is prevented at once
 * (an OnSave handler cannot wait for a dialog); when the seller confirms, the script saves again with the
 * same save mode and the guard lets that save through.
 */

export type ClosingTarget = "won" | "lost" | "closed";

const SAVE_AND_CLOSE = 2;

/** Won/Lost when this save changes the opportunity's state (or status reason) to a closed one. */
export function closingTarget(fc: FormContext): ClosingTarget | null {
  const state = attributeOf(fc, COLUMNS.state);
  if (state?.getIsDirty()) {
    const value = state.getValue() as unknown;
    if (value === OPPORTUNITY_STATE.won) return "won";
    if (value === OPPORTUNITY_STATE.lost) return "lost";
  }
  const status = attributeOf(fc, COLUMNS.status);
  if (status?.getIsDirty()) {
    const value = status.getValue() as unknown;
    if (typeof value === "number" && WON_STATUS_REASONS.includes(value)) return "won";
    if (typeof value === "number" && LOST_STATUS_REASONS.includes(value)) return "lost";
  }
  return null;
}

export function confirmStrings(target: ClosingTarget, language: Language): Xrm.Navigation.ConfirmStrings {
  return {
    title: formText("close.title", language),
    text: formText("close.text", language, { state: formText(`state.${target}`, language) }),
    confirmButtonLabel: formText("close.confirm", language),
    cancelButtonLabel: formText("close.cancel", language),
  };
}

export async function askToClose(target: ClosingTarget, language: Language): Promise<boolean> {
  const result = await Xrm.Navigation.openConfirmDialog(confirmStrings(target, language), { height: 260, width: 480 });
  return result?.confirmed === true;
}

/** Saves again with the guard let through; closes the form when the seller chose Save & Close. */
async function saveConfirmed(fc: FormContext, saveMode: number): Promise<void> {
  const session = sessionOf(fc);
  session.bypassGuard = true;
  try {
    await fc.data.save({ saveMode: saveMode as XrmEnum.SaveMode });
  } finally {
    session.bypassGuard = false;
  }
  if (saveMode === SAVE_AND_CLOSE) fc.ui.close();
}

export type GuardDecision = { decision: "allow" } | { decision: "confirming"; done: Promise<boolean> };

/** The Opportunity form's OnSave. */
export function guardOpportunitySave(context: Xrm.Events.SaveEventContext, language: Language): GuardDecision {
  const fc = context.getFormContext();
  const session = sessionOf(fc);
  if (session.bypassGuard) return { decision: "allow" };
  const target = closingTarget(fc);
  if (!target || !booleanValue(fc, COLUMNS.sync)) return { decision: "allow" };
  const args = context.getEventArgs();
  const saveMode = args.getSaveMode() as number;
  args.preventDefault();
  const done = (async () => {
    if (!(await askToClose(target, language))) {
      showNotice(fc, GROUPS.closing, formText("close.cancelled", language), "WARNING");
      return false;
    }
    clearGroup(fc, GROUPS.closing);
    await saveConfirmed(fc, saveMode);
    return true;
  })();
  return { decision: "confirming", done };
}

/** opportunityclose: 1 Won, 2 Lost when the dialog form carries the new state. */
function closeDialogTarget(fc: FormContext): ClosingTarget {
  for (const name of ["opportunitystatecode", "statecode"]) {
    const value = attributeOf(fc, name)?.getValue() as unknown;
    if (value === OPPORTUNITY_STATE.won) return "won";
    if (value === OPPORTUNITY_STATE.lost) return "lost";
  }
  return "closed";
}

/**
 * OnSave of the Opportunity Close dialog (the opportunityclose quick create form): the opportunity being
 * closed is read (one request) and a synced one asks the same confirmation.
 */
export function guardCloseDialogSave(context: Xrm.Events.SaveEventContext, language: Language): GuardDecision {
  const fc = context.getFormContext();
  const session = sessionOf(fc);
  if (session.bypassGuard) return { decision: "allow" };
  const opportunity = lookupValue(fc, "opportunityid");
  if (!opportunity) return { decision: "allow" };
  const args = context.getEventArgs();
  const saveMode = args.getSaveMode() as number;
  args.preventDefault();
  const done = (async () => {
    let synced = true;
    try {
      const row = (await Xrm.WebApi.retrieveRecord(
        "opportunity",
        opportunity.id,
        `?$select=${COLUMNS.sync}`,
      )) as Record<string, unknown>;
      synced = row[COLUMNS.sync] === true;
    } catch {
      // Cannot tell: ask rather than close a referral silently.
    }
    if (synced && !(await askToClose(closeDialogTarget(fc), language))) {
      showNotice(fc, GROUPS.closing, formText("close.cancelled", language), "WARNING");
      return false;
    }
    await saveConfirmed(fc, saveMode);
    return true;
  })();
  return { decision: "confirming", done };
}
