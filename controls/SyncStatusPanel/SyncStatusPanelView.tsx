import * as React from "react";
import { DefaultButton, PrimaryButton } from "@fluentui/react/lib/Button";
import { Checkbox } from "@fluentui/react/lib/Checkbox";
import { Dropdown, type IDropdownOption } from "@fluentui/react/lib/Dropdown";
import { Link } from "@fluentui/react/lib/Link";
import { List } from "@fluentui/react/lib/List";
import { MessageBar, MessageBarType } from "@fluentui/react/lib/MessageBar";
import { ProgressIndicator } from "@fluentui/react/lib/ProgressIndicator";
import { Spinner, SpinnerSize } from "@fluentui/react/lib/Spinner";
import type { AuditDirection } from "../../domain/choices";
import { Announcer } from "../shared/Announcer";
import { safeHttpUrl } from "../shared/opportunityReader";
import { errorMessage } from "../shared/record";
import { StateBadge } from "../shared/StateBadge";
import type { Params, Translate } from "../shared/strings";
import type { AuditFilter, AuditRow, PanelData, SyncSummary } from "./panelData";

export interface SyncStatusPanelProps {
  /** Null on a new, unsaved opportunity. */
  recordId: string | null;
  t: Translate;
  /** Whether the resx has a key (fix hints are keys written by the proxy). */
  hasString: (key: string) => boolean;
  data: PanelData | null;
  /** The bound pcs_syncstate: when the form sees it change, the panel re-reads everything. */
  syncStateValue: number | null;
  dailyBudget: number;
  pageSize: number;
  /** Form disabled or no write access: Sync now and Retry are off. */
  readOnly: boolean;
  formatDateTime: (iso: string) => string;
  /** After a sync request, re-read once after this delay (the proxy works asynchronously). */
  refreshDelayMs?: number;
}

type Load<T> = { kind: "loading" } | { kind: "error"; message: string } | { kind: "ready"; value: T };
interface Tagged<T> {
  key: string;
  load: Load<T>;
}

interface History {
  rows: AuditRow[];
  nextLink: string | null;
  loadingMore: boolean;
}

const NO_FILTER: AuditFilter = { failuresOnly: false, direction: null };
const WARN_AT = 0.8;

const dl: React.CSSProperties = {
  display: "grid",
  gridTemplateColumns: "max-content 1fr",
  columnGap: 12,
  rowGap: 4,
  margin: "8px 0",
};
const dt: React.CSSProperties = { color: "#605e5c" };
const dd: React.CSSProperties = { margin: 0, overflowWrap: "anywhere" };
const rowStyle: React.CSSProperties = { borderBottom: "1px solid #edebe9", padding: "6px 4px" };
const meta: React.CSSProperties = {
  display: "flex",
  flexWrap: "wrap",
  gap: "2px 12px",
  fontSize: 12,
  color: "#605e5c",
};

function isFailure(row: AuditRow): boolean {
  return row.result === "failed" || row.result === "blocked";
}

export const SyncStatusPanelView: React.FC<SyncStatusPanelProps> = (props) => {
  const { recordId, t, hasString, data, syncStateValue, dailyBudget, pageSize, readOnly, formatDateTime } = props;
  const refreshDelayMs = props.refreshDelayMs ?? 4000;
  const [filter, setFilter] = React.useState<AuditFilter>(NO_FILTER);
  const [reloads, setReloads] = React.useState(0);
  // Each load is tagged with what it was for, so a stale answer (or none yet) reads as "loading".
  const summaryKey = `${String(syncStateValue)}|${reloads}`;
  const filterKey = `${String(filter.failuresOnly)}|${filter.direction ?? ""}|${pageSize}`;
  const historyKey = `${filterKey}#${summaryKey}`;
  const [summaryLoad, setSummaryLoad] = React.useState<Tagged<SyncSummary> | null>(null);
  const [calls, setCalls] = React.useState<number | null>(null);
  const [historyLoad, setHistoryLoad] = React.useState<Tagged<History> | null>(null);
  const [requesting, setRequesting] = React.useState<string | null>(null);
  const [notice, setNotice] = React.useState<{ type: MessageBarType; text: string } | null>(null);
  // What the live region says, as a resx key and parameters (rendered with the current language).
  const [announcement, setAnnouncement] = React.useState<[string, Params?] | null>(null);
  const mounted = React.useRef(true);
  React.useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  // Summary and quota: on first show, when the bound sync state changes, and on Refresh.
  React.useEffect(() => {
    if (!data) return;
    let cancelled = false;
    void (async () => {
      try {
        const value = await data.loadSummary();
        if (!cancelled) setSummaryLoad({ key: summaryKey, load: { kind: "ready", value } });
      } catch (error) {
        if (!cancelled) setSummaryLoad({ key: summaryKey, load: { kind: "error", message: errorMessage(error) } });
      }
    })();
    void (async () => {
      const value = await data.loadCallsToday().catch(() => null);
      if (!cancelled) setCalls(value);
    })();
    return () => {
      cancelled = true;
    };
  }, [data, summaryKey]);

  // First page of the history: also when a filter changes.
  React.useEffect(() => {
    if (!data) return;
    let cancelled = false;
    void (async () => {
      try {
        const page = await data.loadAudit(filter, pageSize);
        if (cancelled) return;
        setHistoryLoad({
          key: historyKey,
          load: { kind: "ready", value: { rows: page.rows, nextLink: page.nextLink, loadingMore: false } },
        });
        setAnnouncement([
          page.nextLink ? "panel.history.countMore" : "panel.history.count",
          { count: page.rows.length },
        ]);
      } catch (error) {
        if (!cancelled) setHistoryLoad({ key: historyKey, load: { kind: "error", message: errorMessage(error) } });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [data, filter, pageSize, historyKey]);

  // While a refresh loads, keep showing what is there; only a new filter shows "loading" (and page 1 again).
  const summary: Load<SyncSummary> =
    summaryLoad && (summaryLoad.key === summaryKey || summaryLoad.load.kind === "ready")
      ? summaryLoad.load
      : { kind: "loading" };
  const history: Load<History> =
    historyLoad &&
    (historyLoad.key === historyKey ||
      (historyLoad.load.kind === "ready" && historyLoad.key.startsWith(`${filterKey}#`)))
      ? historyLoad.load
      : { kind: "loading" };
  const setHistory = (load: Load<History>) => setHistoryLoad({ key: historyKey, load });

  // After a request, look again once the proxy has had time to run it.
  React.useEffect(() => {
    if (!notice || notice.type !== MessageBarType.success) return;
    const timer = setTimeout(() => mounted.current && setReloads((n) => n + 1), refreshDelayMs);
    return () => clearTimeout(timer);
  }, [notice, refreshDelayMs]);

  const loadMore = async () => {
    if (!data || history.kind !== "ready" || !history.value.nextLink || history.value.loadingMore) return;
    const current = history.value;
    setHistory({ kind: "ready", value: { ...current, loadingMore: true } });
    try {
      const page = await data.loadAudit(filter, pageSize, current.nextLink);
      if (!mounted.current) return;
      const rows = [...current.rows, ...page.rows];
      setHistory({ kind: "ready", value: { rows, nextLink: page.nextLink, loadingMore: false } });
      setAnnouncement([page.nextLink ? "panel.history.countMore" : "panel.history.count", { count: rows.length }]);
    } catch (error) {
      if (!mounted.current) return;
      setHistory({ kind: "ready", value: { ...current, loadingMore: false } });
      setNotice({ type: MessageBarType.error, text: t("panel.loadFailed", { error: errorMessage(error) }) });
    }
  };

  const request = async (trigger: "sync-now" | "retry", row?: AuditRow) => {
    if (!data || requesting) return;
    setRequesting(row?.id ?? "sync-now");
    setNotice(null);
    try {
      await data.requestSync(trigger, row?.id);
      if (!mounted.current) return;
      // The MessageBar is a live region of its own.
      setNotice({ type: MessageBarType.success, text: t("panel.requested") });
      setAnnouncement(null);
    } catch (error) {
      if (!mounted.current) return;
      setNotice({ type: MessageBarType.error, text: t("panel.requestFailed", { error: errorMessage(error) }) });
      setAnnouncement(null);
    } finally {
      if (mounted.current) setRequesting(null);
    }
  };

  if (!recordId || !data) {
    return <div data-testid="panel-unsaved">{t("panel.unsaved")}</div>;
  }

  const hint = (key: string | null): string | null => (key && hasString(key) ? t(key).replace(/\{\w+\}/g, "…") : null);

  const directionOptions: IDropdownOption[] = [
    { key: "", text: t("panel.filter.allDirections") },
    { key: "CrmToPartnerCenter", text: t("audit.direction.CrmToPartnerCenter") },
    { key: "PartnerCenterToCrm", text: t("audit.direction.PartnerCenterToCrm") },
  ];

  const s = summary.kind === "ready" ? summary.value : null;
  const canRequest = !readOnly && !!s?.syncOn && requesting === null;

  const renderRow = (row: AuditRow | undefined): React.ReactNode => {
    if (!row) return null;
    const time = row.createdOn ? formatDateTime(row.createdOn) : "";
    const fix = hint(row.fixHintKey);
    return (
      <div style={rowStyle} data-testid="audit-row" data-result={row.result ?? ""}>
        <div style={{ display: "flex", justifyContent: "space-between", gap: 8, alignItems: "baseline" }}>
          <strong>{time}</strong>
          {row.result ? (
            <span style={{ color: isFailure(row) ? "#a4262c" : "#323130", fontWeight: 600 }}>
              {t(`audit.result.${row.result}`)}
            </span>
          ) : null}
        </div>
        <div style={meta}>
          {row.direction ? <span>{t(`audit.direction.${row.direction}`)}</span> : null}
          {row.trigger ? <span>{t(`audit.trigger.${row.trigger}`)}</span> : null}
          {row.operation ? <span>{t(`audit.operation.${row.operation}`)}</span> : null}
          <span>{t("panel.row.apiCalls", { count: row.apiCalls ?? 0 })}</span>
          {row.httpStatus ? <span>{t("panel.row.http", { status: row.httpStatus })}</span> : null}
          {row.errorCode ? <span>{row.errorCode}</span> : null}
        </div>
        {row.message ? <div data-testid="audit-message">{row.message}</div> : null}
        {fix ? <div data-testid="audit-fix">{t("panel.row.fix", { hint: fix })}</div> : null}
        {row.nextRetryOn && isFailure(row) ? (
          <div style={meta}>{t("panel.row.nextRetry", { time: formatDateTime(row.nextRetryOn) })}</div>
        ) : null}
        {isFailure(row) ? (
          <DefaultButton
            text={t("panel.row.retry")}
            ariaLabel={t("panel.row.retryLabel", { time })}
            disabled={!canRequest}
            onClick={() => void request("retry", row)}
            styles={{ root: { marginTop: 4 } }}
          />
        ) : null}
      </div>
    );
  };

  const quota = calls === null ? null : { used: calls, ratio: dailyBudget > 0 ? calls / dailyBudget : 1 };
  const link = safeHttpUrl(s?.referralLink ?? null);

  return (
    <section aria-label={t("panel.title")} data-testid="sync-status-panel">
      {summary.kind === "loading" ? <Spinner size={SpinnerSize.small} label={t("panel.loading")} /> : null}
      {summary.kind === "error" ? (
        <MessageBar
          messageBarType={MessageBarType.error}
          isMultiline
          actions={<DefaultButton text={t("panel.retryLoad")} onClick={() => setReloads((n) => n + 1)} />}
        >
          {t("panel.loadFailed", { error: summary.message })}
        </MessageBar>
      ) : null}
      {s ? (
        <dl style={dl} data-testid="summary">
          <dt style={dt}>{t("state.label", { state: "" }).replace(/[:\s]+$/, "")}</dt>
          <dd style={dd}>
            <StateBadge state={s.syncState} t={t} />
          </dd>
          <dt style={dt}>{t("panel.status")}</dt>
          <dd style={dd} data-testid="referral-status">
            {s.referralStatus ? t(`referral.status.${s.referralStatus}`) : t("panel.none")}
            {s.referralSubstatus ? ` · ${t(`referral.substatus.${s.referralSubstatus}`)}` : ""}
          </dd>
          <dt style={dt}>{t("panel.referral")}</dt>
          <dd style={dd}>
            {s.referralId && link ? (
              <Link href={link} target="_blank" rel="noopener noreferrer">
                {s.referralId}
              </Link>
            ) : (
              (s.referralId ?? t("panel.none"))
            )}
          </dd>
          <dt style={dt}>{t("panel.crmId")}</dt>
          <dd style={dd} data-testid="crm-id">
            {s.microsoftCrmId ?? t("panel.none")}
          </dd>
          <dt style={dt}>{t("panel.lastSync")}</dt>
          <dd style={dd} data-testid="last-sync">
            {s.lastSyncOn ? formatDateTime(s.lastSyncOn) : t("panel.never")}
          </dd>
          {s.lastSyncError ? (
            <>
              <dt style={dt}>{t("panel.lastError")}</dt>
              <dd style={{ ...dd, color: "#a4262c" }} data-testid="last-error">
                {s.lastSyncError}
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {quota ? (
        <div data-testid="quota">
          <ProgressIndicator
            label={t("panel.quota")}
            description={t("panel.quota.value", {
              used: quota.used.toLocaleString(),
              budget: dailyBudget.toLocaleString(),
              percent: Math.round(quota.ratio * 100),
            })}
            percentComplete={Math.min(quota.ratio, 1)}
          />
          {quota.ratio >= 1 ? (
            <MessageBar messageBarType={MessageBarType.severeWarning}>{t("panel.quota.exhausted")}</MessageBar>
          ) : quota.ratio >= WARN_AT ? (
            <MessageBar messageBarType={MessageBarType.warning}>{t("panel.quota.warning")}</MessageBar>
          ) : null}
        </div>
      ) : null}
      <div style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "center", margin: "8px 0" }}>
        <PrimaryButton
          text={t("panel.syncNow")}
          disabled={!canRequest}
          onClick={() => void request("sync-now")}
          allowDisabledFocus
          aria-describedby={s && !s.syncOn ? "pcs-syncnow-off" : undefined}
        />
        <DefaultButton text={t("panel.refresh")} onClick={() => setReloads((n) => n + 1)} />
        {s && !s.syncOn ? (
          <span id="pcs-syncnow-off" style={{ fontSize: 12, color: "#605e5c" }}>
            {t("panel.syncNow.off")}
          </span>
        ) : null}
      </div>
      {notice ? (
        <MessageBar messageBarType={notice.type} isMultiline onDismiss={() => setNotice(null)}>
          {notice.text}
        </MessageBar>
      ) : null}
      <h3 style={{ fontSize: 14, margin: "12px 0 4px" }} id="pcs-history-title">
        {t("panel.history")}
      </h3>
      <div style={{ display: "flex", gap: 16, alignItems: "end", flexWrap: "wrap" }}>
        <Checkbox
          label={t("panel.filter.failuresOnly")}
          checked={filter.failuresOnly}
          onChange={(_, checked) => setFilter((f) => ({ ...f, failuresOnly: !!checked }))}
        />
        <Dropdown
          label={t("panel.filter.direction")}
          options={directionOptions}
          selectedKey={filter.direction ?? ""}
          onChange={(_, option) =>
            setFilter((f) => ({ ...f, direction: option?.key ? (option.key as AuditDirection) : null }))
          }
          styles={{ root: { minWidth: 200 } }}
        />
      </div>
      {history.kind === "loading" ? <Spinner size={SpinnerSize.small} label={t("panel.loading")} /> : null}
      {history.kind === "error" ? (
        <MessageBar
          messageBarType={MessageBarType.error}
          isMultiline
          actions={<DefaultButton text={t("panel.retryLoad")} onClick={() => setReloads((n) => n + 1)} />}
        >
          {t("panel.loadFailed", { error: history.message })}
        </MessageBar>
      ) : null}
      {history.kind === "ready" && history.value.rows.length === 0 ? (
        <div data-testid="history-empty">
          {t(filter.failuresOnly || filter.direction ? "panel.history.emptyFiltered" : "panel.history.empty")}
        </div>
      ) : null}
      {history.kind === "ready" && history.value.rows.length > 0 ? (
        <>
          <div
            data-is-scrollable="true"
            tabIndex={0}
            aria-labelledby="pcs-history-title"
            style={{ maxHeight: 420, overflowY: "auto", border: "1px solid #edebe9" }}
            data-testid="history"
          >
            <List items={history.value.rows} onRenderCell={renderRow} version={`${requesting}-${String(canRequest)}`} />
          </div>
          <div style={{ display: "flex", gap: 12, alignItems: "center", marginTop: 4 }}>
            <span style={{ fontSize: 12 }} data-testid="history-count">
              {t(history.value.nextLink ? "panel.history.countMore" : "panel.history.count", {
                count: history.value.rows.length,
              })}
            </span>
            {history.value.nextLink ? (
              <DefaultButton
                text={t(history.value.loadingMore ? "panel.history.loadingMore" : "panel.history.more")}
                disabled={history.value.loadingMore}
                onClick={() => void loadMore()}
              />
            ) : null}
          </div>
        </>
      ) : null}
      <Announcer message={announcement ? t(...announcement) : ""} />
    </section>
  );
};
