/// <reference types="xrm" />
import { defaultReferenceData } from "../../domain/defaultReferenceData";
import { formatMessage, type Language } from "../../domain/messages";
import { evaluateReadiness, type ReadinessFailure, type ReadinessReport } from "../../domain/readinessRules";
import { attributeOf, booleanValue, stringValue, type FormContext } from "./formAccess";
import { COLUMNS } from "./formColumns";
import { formText } from "./formMessages";
import { clearGroup, GROUPS, showGroup, showNotice, type Notice } from "./formNotifications";
import { sessionOf } from "./formSession";
import { readFormSnapshot } from "./formSnapshot";

/**
 * onChange of "Sync with Partner Center": the readiness rules of the domain core on the form's values. Any
 * failure turns the column back off and lists the fixes, one form notification each, in the user's language.
 */

export type ToggleOutcome = "off" | "ready" | "notReady" | "readFailed" | "superseded";

export function readinessNotices(failures: readonly ReadinessFailure[], language: Language): Notice[] {
  return [
    { text: formText("readiness.turnedOff", language), level: "WARNING" },
    ...failures.map((f): Notice => ({ text: formatMessage(f.messageKey, language, f.params), level: "ERROR" })),
  ];
}

function turnOff(fc: FormContext): void {
  // setValue does not fire onChange, so this does not re-enter the handler.
  attributeOf(fc, COLUMNS.sync)?.setValue(false);
}

export interface ToggleDeps {
  webApi: Xrm.WebApi;
  language: Language;
  now: Date;
}

export async function onSyncToggled(
  fc: FormContext,
  deps: ToggleDeps,
): Promise<{ outcome: ToggleOutcome; report?: ReadinessReport }> {
  const session = sessionOf(fc);
  const seq = ++session.readinessSeq;
  const { language } = deps;
  clearGroup(fc, GROUPS.result);
  if (!booleanValue(fc, COLUMNS.sync)) {
    clearGroup(fc, GROUPS.readiness);
    const referralId = stringValue(fc, COLUMNS.referralId);
    if (referralId)
      showNotice(fc, GROUPS.readiness, formText("sync.offWithReferral", language, { referralId }), "INFO");
    return { outcome: "off" };
  }
  showNotice(fc, GROUPS.readiness, formText("readiness.checking", language), "INFO");
  let report: ReadinessReport;
  try {
    const snapshot = await readFormSnapshot(fc, deps.webApi);
    report = evaluateReadiness(snapshot, {
      now: deps.now,
      hasReferral: stringValue(fc, COLUMNS.referralId) !== null,
      reference: defaultReferenceData(),
    });
  } catch (error) {
    if (seq !== session.readinessSeq) return { outcome: "superseded" };
    turnOff(fc);
    const detail = (error as { message?: unknown } | null)?.message;
    showNotice(
      fc,
      GROUPS.readiness,
      formText("readiness.readFailed", language, { detail: typeof detail === "string" ? detail : String(error) }),
      "ERROR",
    );
    return { outcome: "readFailed" };
  }
  // The seller toggled again while we were reading: the newer check decides.
  if (seq !== session.readinessSeq || !booleanValue(fc, COLUMNS.sync)) return { outcome: "superseded", report };
  if (!report.ready) {
    turnOff(fc);
    showGroup(fc, GROUPS.readiness, readinessNotices(report.failures, language));
    return { outcome: "notReady", report };
  }
  showNotice(fc, GROUPS.readiness, formText("readiness.ready", language), "INFO");
  return { outcome: "ready", report };
}
