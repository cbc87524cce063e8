/// <reference types="xrm" />
import { attributeOf, booleanValue, recordId, type FormContext } from "./formAccess";
import { COLUMNS } from "./formColumns";
import { sessionOf } from "./formSession";
import { requestSync, type SyncRunResult } from "./syncRunner";

/**
 * The "Sync now" command of the Opportunity command bar (PrimaryControl is passed as the first parameter)
 * and its enable rule: sync is on, the record exists, and the user can write it.
 */

const FORM_TYPE_UPDATE = 2;

export function userCanWrite(fc: FormContext): boolean {
  // Read Only (3) and Disabled (4) forms mean no write access to the row; Create (1) has no row yet.
  if (fc.ui.getFormType() !== FORM_TYPE_UPDATE) return false;
  const attribute = attributeOf(fc, COLUMNS.sync);
  if (!attribute) return false;
  let privilege: Xrm.Privilege | null = null;
  try {
    privilege = attribute.getUserPrivilege();
  } catch {
    privilege = null;
  }
  return privilege === null || privilege.canUpdate !== false;
}

export function isSyncNowEnabled(fc: FormContext | null | undefined): boolean {
  if (!fc) return false;
  return booleanValue(fc, COLUMNS.sync) && recordId(fc) !== null && userCanWrite(fc);
}

/** Saves pending edits first (without a second, save-triggered sync), then asks the proxy to sync. */
export async function syncNow(fc: FormContext): Promise<SyncRunResult | null> {
  if (!isSyncNowEnabled(fc)) return null;
  const session = sessionOf(fc);
  if (fc.data.entity.getIsDirty()) {
    session.skipPostSave = true;
    try {
      await fc.data.save();
    } catch {
      // The platform already showed why the save failed.
      return null;
    } finally {
      session.skipPostSave = false;
    }
    if (fc.data.entity.getIsDirty()) return null;
  }
  return requestSync(fc, "sync-now");
}
