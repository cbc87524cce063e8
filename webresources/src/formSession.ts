import type { FormTrigger } from "../../domain/syncApi";
import { booleanValue, type FormContext } from "./formAccess";
import { COLUMNS } from "./formColumns";

/** Per-form state shared by the handlers of one open Opportunity form. */
export interface FormSession {
  /** pcs_syncwithpartnercenter as last saved: tells "just turned on" from "was on". */
  syncAtLastSave: boolean;
  /** Decided in onSave, acted on after the save succeeded. */
  pendingSync: { trigger: FormTrigger } | null;
  /** Set when a save we start ourselves must pass the closing guard (already confirmed). */
  bypassGuard: boolean;
  /** Set by Sync now when it saves first: that save must not start a second sync. */
  skipPostSave: boolean;
  /** Orders overlapping readiness checks: only the latest one may act. */
  readinessSeq: number;
  /** One sync at a time; a request arriving meanwhile runs once afterwards. */
  syncRunning: boolean;
  syncQueued: FormTrigger | null;
  postSaveRegistered: boolean;
}

const sessions = new WeakMap<FormContext, FormSession>();

export function sessionOf(fc: FormContext): FormSession {
  let session = sessions.get(fc);
  if (!session) {
    session = {
      syncAtLastSave: booleanValue(fc, COLUMNS.sync),
      pendingSync: null,
      bypassGuard: false,
      skipPostSave: false,
      readinessSeq: 0,
      syncRunning: false,
      syncQueued: null,
      postSaveRegistered: false,
    };
    sessions.set(fc, session);
  }
  return session;
}
