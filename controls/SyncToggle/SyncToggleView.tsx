/** @jsx h */
import * as React from "react";
import { DefaultButton, PrimaryButton } from "@fluentui/react/lib/Button";
import { Link } from "@fluentui/react/lib/Link";
import { MessageBar, MessageBarType } from "@fluentui/react/lib/MessageBar";
import { Toggle } from "@fluentui/react/lib/Toggle";
import type { ReadinessFailure, ReadinessReport } from "../../domain/readinessRules";
import { readinessRuleTitleKey } from "../../domain/readinessRules";
import type { OpportunityRead, SyncColumns } from "../shared/opportunityReader";
import { safeHttpUrl } from "../shared/opportunityReader";
import { Announcer } from "../shared/Announcer";
import { StateBadge } from "../shared/StateBadge";
import { errorMessage } from "../shared/record";
import type { Translate } from "../shared/strings";

// JSX compiles to h(…), which the minifier shortens: the toggle's budget is 15 KB.
const h = React.createElement;

export interface SyncToggleProps {
  /** The bound column's value. */
  checked: boolean;
  /** pcs_syncstate as the form has it, when bound: a change (the proxy's write, shown after a save or refresh)
   * means the badge and link are stale. */
  syncStateValue?: number | null;
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
  /** Opens a related row (account, contact, …) so the seller can fix it there. */
  openRecord: (table: string, id: string) => void;
}

/**
 * What the seller sees under the switch: nothing, a running check, the checklist (after a click, or at once
 * when the proxy blocked a deal that is on), an error, the confirmation, or the result of a change.
 */
type Phase =
  | { kind: "idle" | "checking" | "turnedOff" }
  | { kind: "blocked"; failures: ReadinessFailure[]; whileOn: boolean }
  | { kind: "message"; error: boolean; text: string }
  | { kind: "confirmOff"; referral: string };

const box = (color: string): React.CSSProperties => ({
  borderLeft: `4px solid ${color}`,
  // White, not Fluent's neutralLighterAlt: links (#0078d4) need 4.5:1 and get 4.3:1 on #faf9f8.
  background: "#ffffff",
  padding: "8px 12px",
  marginTop: 8,
});
const srOnly: React.CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
};

function fieldLabel(t: Translate, { table, column }: ReadinessFailure["field"]): string {
  const field = t(`field.${table}.${column}`);
  return table === "opportunity" ? field : `${t(`table.${table}`)} › ${field}`;
}

export const SyncToggleView: React.FC<SyncToggleProps> = (props) => {
  const { checked, syncStateValue, readOnly, recordId, t, load, evaluate, onChange, openRecord } = props;
  const [sync, setSync] = React.useState<SyncColumns | null>(null);
  const [phase, setPhase] = React.useState<Phase>({ kind: "idle" });
  const [announcement, announce] = React.useState("");
  const keepSyncingRef = React.useRef<HTMLElement | null>(null);

  // The badge and link come from the saved row; re-read when the record, the switch or the sync state changes.
  React.useEffect(() => {
    if (!recordId) return;
    let cancelled = false;
    void (async () => {
      try {
        const read = await load();
        if (cancelled) return;
        setSync(read.sync);
        // "Save to share" is spent once the deal is shared: the badge and link say the rest.
        if (read.sync.referralId) setPhase((p) => (p.kind === "message" && !p.error ? { kind: "idle" } : p));
        // On, but blocked by the proxy: show what to fix without waiting for a click.
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
  }, [recordId, checked, syncStateValue, load, evaluate]);

  React.useEffect(() => {
    if (phase.kind === "confirmOff") keepSyncingRef.current?.focus();
  }, [phase.kind]);

  const turnOn = async () => {
    setPhase({ kind: "checking" });
    announce(t("toggle.checking"));
    try {
      const read = await load();
      const report = await evaluate(read);
      setSync(read.sync);
      if (report.ready) {
        // The success MessageBar is itself a live region.
        setPhase({ kind: "message", error: false, text: t("toggle.ready") });
        announce("");
        onChange(true);
      } else {
        setPhase({ kind: "blocked", failures: report.failures, whileOn: false });
        announce(t("toggle.blocked.title", { count: report.failures.length }));
      }
    } catch (error) {
      setPhase({ kind: "message", error: true, text: t("toggle.checkFailed", { error: errorMessage(error) }) });
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
    if (!value) {
      if (sync?.referralId) {
        setPhase({ kind: "confirmOff", referral: sync.referralId });
        announce(t("toggle.offWarning.title"));
      } else turnOff();
    } else if (recordId) void turnOn();
    else setPhase({ kind: "message", error: true, text: t("toggle.unsaved") });
  };

  const link = safeHttpUrl(sync?.referralLink ?? null);
  const referral = sync?.referralId ? t("toggle.referral", { referral: sync.referralId }) : null;
  const reasonId = `pcs-synctoggle-ro-${recordId ?? "new"}`;

  return (
    <div style={{ position: "relative" }}>
      <div style={{ display: "flex", alignItems: "center", gap: 12, flexWrap: "wrap" }}>
        <Toggle
          label={t("toggle.label")}
          inlineLabel
          onText={t("toggle.on")}
          offText={t("toggle.off")}
          checked={checked}
          // Not disabled while checking: a disabled button drops keyboard focus. Clicks are ignored meanwhile.
          disabled={!!readOnly}
          onChange={onToggle}
          aria-describedby={readOnly ? reasonId : undefined}
          styles={{ root: { marginBottom: 0 } }}
        />
        <StateBadge state={sync?.syncState ?? null} t={t} />
        {referral && link ? (
          <Link href={link} target="_blank" rel="noopener noreferrer">
            {referral}
            <span style={srOnly}> {t("toggle.referral.opens")}</span>
          </Link>
        ) : (
          referral && <span data-testid="referral-id">{referral}</span>
        )}
        {phase.kind === "checking" && <span aria-hidden="true">{t("toggle.checking")}</span>}
      </div>
      {readOnly && (
        <div id={reasonId} style={{ fontSize: 12, color: "#605e5c" }} data-testid="read-only-reason">
          {t(`toggle.readOnly.${readOnly}`)}
        </div>
      )}
      {phase.kind === "blocked" && (
        <div role="group" aria-labelledby="pcs-synctoggle-blocked" style={box("#a4262c")}>
          <strong id="pcs-synctoggle-blocked">
            {t(phase.whileOn ? "toggle.blockedNow.title" : "toggle.blocked.title", { count: phase.failures.length })}
          </strong>
          <ul aria-label={t("toggle.checklist.label")} style={{ margin: "4px 0", paddingLeft: 20 }}>
            {phase.failures.map((f, i) => {
              const { table, recordId: id } = f.field;
              return (
                <li key={i} data-rule={f.ruleId}>
                  <strong>{t(readinessRuleTitleKey(f.ruleId))}</strong>: {t(f.messageKey, f.params)}{" "}
                  <em>{t("toggle.checklist.field", { field: fieldLabel(t, f.field) })}</em>{" "}
                  {id && table !== "opportunity" && (
                    <Link onClick={() => openRecord(table, id)}>
                      {t("toggle.checklist.open", { table: t(`table.${table}`) })}
                    </Link>
                  )}
                </li>
              );
            })}
          </ul>
          {!readOnly && !phase.whileOn && <Link onClick={() => void turnOn()}>{t("toggle.checklist.recheck")}</Link>}
        </div>
      )}
      {phase.kind === "message" && (
        <MessageBar messageBarType={phase.error ? MessageBarType.error : MessageBarType.success} isMultiline>
          {phase.text}
        </MessageBar>
      )}
      {phase.kind === "confirmOff" && (
        <div
          role="alertdialog"
          aria-labelledby="pcs-synctoggle-off-title"
          aria-describedby="pcs-synctoggle-off-body"
          onKeyDown={(e) => e.key === "Escape" && setPhase({ kind: "idle" })}
          style={box("#c19c00")}
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
      )}
      <Announcer message={announcement} />
    </div>
  );
};
