/// <reference types="xrm" />
import { SYNC_STATE_VALUES } from "../../domain/choices";
import { formatMessage, type Language } from "../../domain/messages";
import type { FormTrigger, SyncResponse } from "../../domain/syncApi";
import { attributeOf, recordId, type FormContext } from "./formAccess";
import { AUDIT_TABLE, COLUMNS } from "./formColumns";
import { formatWhen, formText, localizeMessage } from "./formMessages";
import { clearGroup, GROUPS, showGroup, showNotice, type Notice } from "./formNotifications";
import { sessionOf } from "./formSession";
import { applyFieldLocks, showReferralNotice, showSyncState } from "./formState";
import type { ProxyFailure } from "./proxyClient";
import { proxyClient, userLanguage } from "./runtime";

/**
 * One sync through the proxy from the form: a progress notification, the call, the result (or the failure
 * class with its own message), and a refresh of the sync status on the form. Runs in the background; the
 * form stays usable throughout.
 */

export type SyncRunResult =
  | { kind: "response"; response: SyncResponse }
  | { kind: "failure"; failure: ProxyFailure }
  | { kind: "notConfigured"; missing: string }
  | { kind: "notSaved" };

function failureDetail(failure: Extract<ProxyFailure, { kind: "unreachable" }>, language: Language): string {
  if (failure.reason === "timeout")
    return formText("detail.timeout", language, { seconds: failure.timeoutSeconds ?? 0 });
  if (failure.reason === "status") return formText("detail.status", language, { status: failure.status ?? 0 });
  return formText("detail.network", language);
}

/** The notifications for one result, in order; the first is the headline. */
export function resultNotices(result: SyncRunResult, language: Language): Notice[] {
  if (result.kind === "notSaved") return [];
  if (result.kind === "notConfigured") {
    return [{ text: formText("failure.notConfigured", language, { name: result.missing }), level: "ERROR" }];
  }
  if (result.kind === "failure") {
    const failure = result.failure;
    switch (failure.kind) {
      case "notReady": {
        const fixes = failure.failures.map((f): Notice => ({
          text: formatMessage(f.messageKey, language, f.params),
          level: "ERROR",
        }));
        if (fixes.length === 0 && failure.response.message) {
          fixes.push({ text: localizeMessage(failure.response.message, language), level: "ERROR" });
        }
        return [{ text: formText("failure.notReady", language), level: "WARNING" }, ...fixes];
      }
      case "forbidden":
        return [{ text: formText("failure.forbidden", language), level: "ERROR" }];
      case "throttled":
        return [
          failure.retryAfterSeconds === null
            ? { text: formText("failure.throttledNoWait", language), level: "WARNING" }
            : {
                text: formText("failure.throttled", language, { seconds: failure.retryAfterSeconds }),
                level: "WARNING",
              },
        ];
      case "unreachable":
        return [
          {
            text: formText("failure.unreachable", language, { detail: failureDetail(failure, language) }),
            level: "ERROR",
          },
        ];
      case "token":
        return [{ text: formText("failure.token", language, { detail: failure.detail }), level: "ERROR" }];
      case "rejected":
        return [
          {
            text: formText("failure.rejected", language, {
              status: failure.status,
              message: failure.message || failure.code,
            }),
            level: "ERROR",
          },
        ];
    }
  }
  const response = result.response;
  const extra = response.message ? localizeMessage(response.message, language) : null;
  const referralId = response.referralId ?? "—";
  const when = formatWhen(response.nextRetryOn, language);
  const withExtra = (headline: Notice): Notice[] => (extra ? [headline, { text: extra, level: "INFO" }] : [headline]);
  switch (response.outcome) {
    case "created":
      return withExtra({ text: formText("result.created", language, { referralId }), level: "INFO" });
    case "updated":
      return withExtra({ text: formText("result.updated", language, { referralId }), level: "INFO" });
    case "unchanged":
      return withExtra({ text: formText("result.unchanged", language), level: "INFO" });
    case "deferred":
      return withExtra({ text: formText("result.deferred", language, { when }), level: "WARNING" });
    case "retrying":
      return withExtra({ text: formText("result.retrying", language, { when }), level: "WARNING" });
    case "disabled":
      return withExtra({ text: formText("result.disabled", language), level: "INFO" });
    default:
      return [
        extra
          ? { text: formText("result.failed", language, { message: extra }), level: "ERROR" }
          : { text: formText("result.failedNoMessage", language), level: "ERROR" },
      ];
  }
}

/** Sync columns from the answer, when the form cannot be reloaded (unsaved edits): shown, never submitted. */
function applyResponse(fc: FormContext, response: SyncResponse): void {
  const put = (name: string, value: unknown) => {
    const attribute = attributeOf(fc, name);
    if (!attribute) return;
    attribute.setValue(value as never);
    attribute.setSubmitMode("never");
  };
  put(COLUMNS.syncState, SYNC_STATE_VALUES[response.syncState] ?? null);
  if (response.referralId) put(COLUMNS.referralId, response.referralId);
  if (response.referralLink) put(COLUMNS.referralLink, response.referralLink);
}

function refreshAuditGrids(fc: FormContext): void {
  fc.ui.controls.forEach((control: Xrm.Controls.Control) => {
    if (control.getControlType() !== "subgrid") return;
    const grid = control as Xrm.Controls.GridControl;
    try {
      if (grid.getEntityName() === AUDIT_TABLE) grid.refresh();
    } catch {
      // A grid that is not loaded yet refreshes itself when it is.
    }
  });
}

/** Reloads the row (the status control re-renders from it) unless the seller has unsaved edits. */
export async function refreshStatus(fc: FormContext, response: SyncResponse | null, language: Language): Promise<void> {
  if (!fc.data.entity.getIsDirty()) {
    try {
      await fc.data.refresh(false);
    } catch {
      if (response) applyResponse(fc, response);
    }
  } else if (response) {
    applyResponse(fc, response);
  }
  showSyncState(fc, language);
  showReferralNotice(fc, language);
  applyFieldLocks(fc);
  refreshAuditGrids(fc);
}

export async function runSync(fc: FormContext, trigger: FormTrigger): Promise<SyncRunResult> {
  const language = userLanguage();
  const opportunityId = recordId(fc);
  if (!opportunityId) return { kind: "notSaved" };
  clearGroup(fc, GROUPS.result);
  showNotice(fc, GROUPS.progress, formText("sync.progress", language), "INFO");
  let result: SyncRunResult;
  try {
    const setup = await proxyClient();
    if (!setup.ok) {
      result = { kind: "notConfigured", missing: setup.missing };
    } else {
      const answer = await setup.client.sync({ opportunityId, trigger }, { interactive: trigger === "sync-now" });
      result = answer.ok
        ? { kind: "response", response: answer.response }
        : { kind: "failure", failure: answer.failure };
    }
  } catch (error) {
    // Reading the environment variables failed: the configuration cannot be known.
    const message = (error as { message?: unknown } | null)?.message;
    result = {
      kind: "failure",
      failure: {
        kind: "rejected",
        status: 0,
        code: "configuration",
        message: typeof message === "string" ? message : String(error),
      },
    };
  }
  clearGroup(fc, GROUPS.progress);
  // "Ready to share: sent when you save" is spent once the proxy has answered for the saved deal.
  if (result.kind === "response") clearGroup(fc, GROUPS.readiness);
  showGroup(fc, GROUPS.result, resultNotices(result, language));
  const response =
    result.kind === "response"
      ? result.response
      : result.kind === "failure" && result.failure.kind === "notReady"
        ? result.failure.response
        : null;
  if (response) await refreshStatus(fc, response, language);
  return result;
}

/** One sync at a time per form; requests arriving meanwhile are folded into one more run. */
export async function requestSync(fc: FormContext, trigger: FormTrigger): Promise<SyncRunResult | null> {
  const session = sessionOf(fc);
  if (session.syncRunning) {
    session.syncQueued = trigger;
    return null;
  }
  session.syncRunning = true;
  try {
    let result = await runSync(fc, trigger);
    while (session.syncQueued) {
      const next = session.syncQueued;
      session.syncQueued = null;
      result = await runSync(fc, next);
    }
    return result;
  } finally {
    session.syncRunning = false;
  }
}
