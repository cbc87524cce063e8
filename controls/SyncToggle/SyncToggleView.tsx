import * as React from "react";
import { DefaultButton, PrimaryButton } from "@fluentui/react/lib/Button";
import { Link } from "@fluentui/react/lib/Link";
import { MessageBar, MessageBarType } from "@fluentui/react/lib/MessageBar";
import { Spinner, SpinnerSize } from "@fluentui/react/lib/Spinner";
import { Toggle } from "@fluentui/react/lib/Toggle";
import type { ReadinessFailure, ReadinessReport } from "../../domain/readinessRules";
import { readinessRuleTitleKey } from "../../domain/readinessRules";
import type { OpportunityRead, SyncColumns } from "../shared/opportunityReader";
import { safeHttpUrl } from "../shared/opportunityReader";
import { Announcer } from "../shared/Announcer";
import { StateBadge } from "../shared/StateBadge";
import { errorMessage } from "../shared/record";
import type { Translate } from "../shared/strings";

export interface SyncToggleProps {
  /** The bound column's value. */
  checked: boolean;
  /** Why the toggle cannot be changed, if it cannot. */
  readOnly: "security" | "disabled" | null;
  /** Null on a new, unsaved opportunity. */
  recordId: string | null;
  t: Translate;
  /** Reads the saved opportunity (snapshot and sync columns). */
  load: () => Promise<OpportunityRead>;
  /** Runs the readiness rules (loading the ISO tables on first use). */
  evaluate: (read: OpportunityRead) => Promise<ReadinessReport>;
  onChange: (value: boolean) => void;
  /** Opens a related row (account, contact, …) so the seller can fix it. */
  openRecord: (table: string, id: string) => void;
}

type Phase =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "blocked"; failures: ReadinessFailure[]; whileOn: boolean }
  | { kind: "checkFailed"; error: string }
  | { kind: "confirmOff"; referral: string }
  | { kind: "turnedOn" }
  | { kind: "turnedOff" };

const box: React.CSSProperties = { borderLeft: "4px solid", background: "#faf9f8", padding: "8px 12px", marginTop: 8 };
const srOnly: React.CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
};

function fieldLabel(t: Translate, failure: ReadinessFailure): string {
  const { table, column } = failure.field;
  const field = t(`field.${table}.${column}`);
  return table === "opportunity" ? field : `${t(`table.${table}`)} › ${field}`;
}

const Checklist: React.FC<{
  failures: ReadinessFailure[];
  t: Translate;
  openRecord: (table: string, id: string) => void;
}> = ({ failures, t, openRecord }) => (
  <ul aria-label={t("toggle.checklist.label")} style={{ margin: "4px 0 0", paddingLeft: 20 }} data-testid="checklist">
    {failures.map((f, i) => (
      <li
        key={`${f.messageKey}-${f.field.table}-${f.field.column}-${f.field.recordId ?? ""}-${i}`}
        data-rule={f.ruleId}
      >
        <strong>{t(readinessRuleTitleKey(f.ruleId))}</strong>
        {": "}
        <span>{t(f.messageKey, f.params)}</span>{" "}
        <em data-testid="checklist-field">{t("toggle.checklist.field", { field: fieldLabel(t, f) })}</em>
        {f.field.recordId && f.field.table !== "opportunity" ? (
          <>
            {" "}
            <Link onClick={() => openRecord(f.field.table, f.field.recordId as string)}>
              {t("toggle.checklist.open", { table: t(`table.${f.field.table}`) })}
            </Link>
          </>
        ) : null}
      </li>
    ))}
  </ul>
);

export const SyncToggleView: React.FC<SyncToggleProps> = (props) => {
  const { checked, readOnly, recordId, t, load, evaluate, onChange, openRecord } = props;
  const [sync, setSync] = React.useState<SyncColumns | null>(null);
  const [phase, setPhase] = React.useState<Phase>({ kind: "idle" });
  const [announcement, setAnnouncement] = React.useState("");
  const keepSyncingRef = React.useRef<HTMLElement | null>(null);
  const mounted = React.useRef(true);
  React.useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  // The badge and link come from the saved row; re-read when the record or the switch changes.
  React.useEffect(() => {
    if (!recordId) return;
    let cancelled = false;
    void (async () => {
      try {
        const read = await load();
        if (cancelled) return;
        setSync(read.sync);
        // On and blocked by the proxy: show what to fix without waiting for a click.
        if (checked && read.sync.syncState === "Blocked") {
          const report = await evaluate(read);
          if (!cancelled && !report.ready) setPhase({ kind: "blocked", failures: report.failures, whileOn: true });
        }
      } catch {
        // The badge stays "Not synced"; turning sync on reports the error.
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [recordId, checked, load, evaluate]);

  React.useEffect(() => {
    if (phase.kind === "confirmOff") keepSyncingRef.current?.focus();
  }, [phase.kind]);

  const announce = (text: string) => setAnnouncement(text);

  const turnOn = async () => {
    setPhase({ kind: "checking" });
    announce(t("toggle.checking"));
    try {
      const read = await load();
      const report = await evaluate(read);
      if (!mounted.current) return;
      setSync(read.sync);
      if (report.ready) {
        setPhase({ kind: "turnedOn" });
        announce(""); // the success MessageBar is itself a live region
        onChange(true);
      } else {
        setPhase({ kind: "blocked", failures: report.failures, whileOn: false });
        announce(t("toggle.blocked.title", { count: report.failures.length }));
      }
    } catch (error) {
      if (!mounted.current) return;
      setPhase({ kind: "checkFailed", error: t("toggle.checkFailed", { error: errorMessage(error) }) });
      announce("");
    }
  };

  const turnOff = () => {
    setPhase({ kind: "turnedOff" });
    announce(t("toggle.turnedOff"));
    onChange(false);
  };

  const onToggle = (_: unknown, value?: boolean) => {
    if (readOnly || phase.kind === "checking") return;
    if (value) {
      if (!recordId) {
        setPhase({ kind: "checkFailed", error: t("toggle.unsaved") });
        return;
      }
      void turnOn();
    } else if (sync?.referralId) {
      setPhase({ kind: "confirmOff", referral: sync.referralId });
      announce(t("toggle.offWarning.title"));
    } else {
      turnOff();
    }
  };

  const link = safeHttpUrl(sync?.referralLink ?? null);
  const readOnlyText = readOnly ? t(`toggle.readOnly.${readOnly}`) : null;
  const descriptionId = `pcs-synctoggle-desc-${recordId ?? "new"}`;

  return (
    <div style={{ position: "relative" }} data-testid="sync-toggle">
      <div style={{ display: "flex", alignItems: "center", gap: 12, flexWrap: "wrap" }}>
        <Toggle
          label={t("toggle.label")}
          inlineLabel
          onText={t("toggle.on")}
          offText={t("toggle.off")}
          checked={checked}
          disabled={readOnly !== null || phase.kind === "checking"}
          onChange={onToggle}
          aria-describedby={readOnlyText ? descriptionId : undefined}
          styles={{ root: { marginBottom: 0 } }}
        />
        {phase.kind === "checking" ? (
          <Spinner size={SpinnerSize.small} label={t("toggle.checking")} labelPosition="right" />
        ) : null}
        <StateBadge state={sync?.syncState ?? null} t={t} />
        {sync?.referralId && link ? (
          <Link href={link} target="_blank" rel="noopener noreferrer" data-testid="referral-link">
            {t("toggle.referral", { referral: sync.referralId })}
            <span style={srOnly}> {t("toggle.referral.opens")}</span>
          </Link>
        ) : sync?.referralId ? (
          <span data-testid="referral-id">{t("toggle.referral", { referral: sync.referralId })}</span>
        ) : null}
      </div>
      {readOnlyText ? (
        <div id={descriptionId} style={{ fontSize: 12, color: "#605e5c" }} data-testid="read-only-reason">
          {readOnlyText}
        </div>
      ) : null}
      {phase.kind === "blocked" ? (
        <div role="group" aria-labelledby="pcs-synctoggle-blocked" style={{ ...box, borderColor: "#a4262c" }}>
          <strong id="pcs-synctoggle-blocked">
            {t(phase.whileOn ? "toggle.blockedNow.title" : "toggle.blocked.title", { count: phase.failures.length })}
          </strong>
          <Checklist failures={phase.failures} t={t} openRecord={openRecord} />
          {!readOnly && !phase.whileOn ? (
            <Link onClick={() => void turnOn()}>{t("toggle.checklist.recheck")}</Link>
          ) : null}
        </div>
      ) : null}
      {phase.kind === "checkFailed" ? (
        <MessageBar messageBarType={MessageBarType.error} isMultiline>
          {phase.error}
        </MessageBar>
      ) : null}
      {phase.kind === "turnedOn" ? (
        <MessageBar messageBarType={MessageBarType.success} isMultiline>
          {t("toggle.ready")}
        </MessageBar>
      ) : null}
      {phase.kind === "confirmOff" ? (
        <div
          role="alertdialog"
          aria-labelledby="pcs-synctoggle-off-title"
          aria-describedby="pcs-synctoggle-off-body"
          onKeyDown={(e) => {
            if (e.key === "Escape") setPhase({ kind: "idle" });
          }}
          style={{ ...box, borderColor: "#c19c00" }}
        >
          <strong id="pcs-synctoggle-off-title">{t("toggle.offWarning.title")}</strong>
          <div id="pcs-synctoggle-off-body">{t("toggle.offWarning.body", { referral: phase.referral })}</div>
          <div style={{ display: "flex", gap: 8, marginTop: 8 }}>
            <DefaultButton
              elementRef={keepSyncingRef}
              text={t("toggle.offWarning.cancel")}
              onClick={() => setPhase({ kind: "idle" })}
            />
            <PrimaryButton text={t("toggle.offWarning.confirm")} onClick={turnOff} />
          </div>
        </div>
      ) : null}
      <Announcer message={announcement} />
    </div>
  );
};
