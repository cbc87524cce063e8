import type { FormTrigger } from "../../domain/syncApi";
import { booleanValue, recordId, type FormContext } from "./formAccess";
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
/**
 * The platform may hand the command bar (PrimaryControl) a different formContext object than the form events
 * get; the row id ties them to one session.
 */
const sessionsByRecord = new Map<string, FormSession>();

function recordKey(fc: FormContext): string | null {
  const id = recordId(fc);
  if (!id) return null;
  let table = "";
  try {
    table = fc.data.entity.getEntityName();
  } catch {
    table = "";
  }
  return `${table}:${id}`;
}

export function sessionOf(fc: FormContext): FormSession {
  let session = sessions.get(fc);
  const id = recordKey(fc);
  if (!session && id) session = sessionsByRecord.get(id);
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
  }
  sessions.set(fc, session);
  if (id) sessionsByRecord.set(id, session);
  return session;
}

/** A new form load starts a new session for its row (a reopened form is a new page state). */
export function startSession(fc: FormContext): FormSession {
  const id = recordKey(fc);
  if (id) sessionsByRecord.delete(id);
  sessions.delete(fc);
  return sessionOf(fc);
}
