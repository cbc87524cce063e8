import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { formatMessage } from "../../domain/messages";
import { AUDIT_DIRECTION_VALUES, AUDIT_RESULT_VALUES, AUDIT_TRIGGER_VALUES } from "../../solution/schema";
import { auditRow, OPPORTUNITY_ID, summaryRow, type AuditSpec, type Row } from "./fixtures";
import { panelGenerator } from "./harness";

interface Backend {
  summary: Row;
  audit: Row[];
  callsToday: number | "forbidden";
  failAudit?: boolean;
  failUpdate?: string;
  queries: { entity: string; options: string; pageSize?: number }[];
  updates: { entity: string; id: string; data: Row }[];
}

/** A Web API over in-memory audit rows that honours the panel's $filter, $orderby and paging like Dataverse. */
function backend(webAPI: ReturnType<typeof panelGenerator>["webAPI"], state: Backend) {
  webAPI.retrieveRecord.callsFake((entity, id, options) => {
    state.queries.push({ entity: `${entity}(${id})`, options: options ?? "" });
    return Promise.resolve(state.summary);
  });
  webAPI.retrieveMultipleRecords.callsFake((entity, options = "", pageSize) => {
    state.queries.push({ entity, options, pageSize });
    if (entity === "pcs_integrationstate") {
      if (state.callsToday === "forbidden") return Promise.reject(new Error("no read access"));
      return Promise.resolve({ entities: [{ pcs_count: state.callsToday }] });
    }
    if (state.failAudit) return Promise.reject({ message: "Service unavailable" });
    const params = new URLSearchParams(options.slice(1));
    const filter = params.get("$filter") ?? "";
    let rows = state.audit.filter((r) => filter.includes(`_pcs_opportunityid_value eq ${OPPORTUNITY_ID}`) && !!r);
    if (filter.includes(`pcs_result eq ${AUDIT_RESULT_VALUES.failed}`)) {
      rows = rows.filter(
        (r) => r.pcs_result === AUDIT_RESULT_VALUES.failed || r.pcs_result === AUDIT_RESULT_VALUES.blocked,
      );
    }
    const direction = /pcs_direction eq (\d+)/.exec(filter);
    if (direction) rows = rows.filter((r) => r.pcs_direction === Number(direction[1]));
    if (!(params.get("$orderby") ?? "").startsWith("createdon desc")) throw new Error("not ordered newest first");
    rows = [...rows].sort((a, b) => String(b.createdon).localeCompare(String(a.createdon)));
    const skip = Number(params.get("$skiptoken") ?? 0);
    const size = pageSize ?? 5000;
    const page = rows.slice(skip, skip + size);
    const nextLink =
      skip + size < rows.length
        ? `https://org.example/api/data/v9.2/pcs_referralsyncaudits?${(() => {
            const next = new URLSearchParams(params);
            next.set("$skiptoken", String(skip + size));
            return next.toString();
          })()}`
        : undefined;
    return Promise.resolve({ entities: page, nextLink });
  });
  webAPI.updateRecord.callsFake((entity, id, data) => {
    if (state.failUpdate) return Promise.reject({ message: state.failUpdate });
    state.updates.push({ entity, id, data });
    return Promise.resolve({ id, entityType: entity });
  });
}

function rows(count: number, spec: (i: number) => Partial<AuditSpec> = () => ({})): Row[] {
  return Array.from({ length: count }, (_, i) =>
    auditRow(i, { createdOn: new Date(Date.UTC(2026, 10, 25, 8, 0, 0) - i * 60_000).toISOString(), ...spec(i) }),
  );
}

function mount(
  partial: Partial<Backend> = {},
  options: Parameters<typeof panelGenerator>[0] = {},
): { state: Backend; gen: ReturnType<typeof panelGenerator>["gen"] } {
  const { gen, webAPI } = panelGenerator(options);
  const state: Backend = { summary: summaryRow(), audit: [], callsToday: 120, queries: [], updates: [], ...partial };
  backend(webAPI, state);
  gen.ExecuteInit();
  render(gen.ExecuteUpdateView());
  return { state, gen };
}

/** Disabled, or (with allowDisabledFocus) focusable but aria-disabled. */
const isDisabled = (el: HTMLElement) => el.hasAttribute("disabled") || el.getAttribute("aria-disabled") === "true";

const auditQueries = (state: Backend) => state.queries.filter((q) => q.entity === "pcs_referralsyncaudit");

describe("SyncStatusPanel lifecycle and summary", () => {
  it("init, updateView, getOutputs, destroy; shows status, substatus, Microsoft CRM id, last sync and quota", async () => {
    const { gen, state } = mount({ audit: rows(3), callsToday: 8_500 });
    expect(gen.control.init.calledOnce).toBe(true);
    expect(await screen.findByTestId("referral-status")).toHaveProperty("textContent", "Active · Accepted");
    expect(screen.getByTestId("crm-id").textContent).toBe("7-ABCDEF123");
    expect(screen.getByTestId("last-sync").textContent).not.toBe("Never");
    expect(screen.getByTestId("state-badge").textContent).toBe("Synced");
    expect(screen.getByRole("link", { name: "ref-1234" }).getAttribute("target")).toBe("_blank");
    const quota = await screen.findByTestId("quota");
    expect(quota.textContent).toContain("8,500 of 10,000 (85%)");
    expect(await screen.findByText(/Over 80% of today's Partner Center API calls are used/)).toBeTruthy();
    const counter = state.queries.find((q) => q.entity === "pcs_integrationstate");
    expect(counter?.options).toMatch(/pcs_name eq 'quota:\d{4}-\d{2}-\d{2}'/);
    expect(gen.control.getOutputs?.()).toEqual({});
    gen.control.destroy();
    expect(gen.control.destroy.calledOnce).toBe(true);
  });

  it("shows the loading state, then the history newest first with every column of a row", async () => {
    mount({
      audit: [
        auditRow(1, {
          createdOn: "2026-11-24T10:00:00Z",
          result: "succeeded",
          trigger: "toggle",
          operation: "create",
          apiCalls: 1,
        }),
        auditRow(2, {
          createdOn: "2026-11-25T07:00:00Z",
          direction: "PartnerCenterToCrm",
          trigger: "pc-webhook",
          operation: "update",
          result: "failed",
          httpStatus: 409,
          apiCalls: 2,
          message: "Conflict: the referral changed",
          fixHintKey: "fix.conflict",
        }),
      ],
    });
    expect(screen.getAllByText("Loading sync status…").length).toBeGreaterThan(0);
    const history = await screen.findByTestId("history");
    const items = within(history).getAllByTestId("audit-row");
    expect(items.map((i) => i.getAttribute("data-result"))).toEqual(["failed", "succeeded"]);
    const first = items[0]!;
    for (const text of [
      "Partner Center → CRM",
      "Partner Center webhook",
      "Update",
      "Failed",
      "API calls: 2",
      "HTTP 409",
    ]) {
      expect(first.textContent).toContain(text);
    }
    expect(within(first).getByTestId("audit-message").textContent).toBe("Conflict: the referral changed");
    expect(within(first).getByTestId("audit-fix").textContent).toMatch(
      /^How to fix: The referral changed in Partner Center/,
    );
    expect(within(items[1]!).queryByRole("button", { name: /Retry/ })).toBeNull();
  });

  it("shows the empty state", async () => {
    mount({ audit: [] });
    expect((await screen.findByTestId("history-empty")).textContent).toBe("No sync attempts yet.");
  });

  it("shows the error state and recovers with Try again", async () => {
    const { state } = mount({ audit: rows(2), failAudit: true });
    expect(await screen.findByText("The sync status could not be loaded: Service unavailable")).toBeTruthy();
    state.failAudit = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("history")).toBeTruthy();
  });

  it("still shows everything else when the quota counter cannot be read", async () => {
    mount({ audit: rows(1), callsToday: "forbidden" });
    await screen.findByTestId("history");
    await screen.findByTestId("crm-id");
    expect(screen.queryByTestId("quota")).toBeNull();
  });

  it("asks to save a new opportunity and reads nothing", () => {
    const { state } = mount({}, { recordId: null });
    expect(screen.getByTestId("panel-unsaved").textContent).toBe(
      "Save the opportunity to see its Partner Center sync status.",
    );
    expect(state.queries).toEqual([]);
  });
});

describe("SyncStatusPanel paging and filters", () => {
  it("reads a page at a time and appends the next page from @odata.nextLink", async () => {
    const { state } = mount({ audit: rows(120) }, { pageSize: 50 });
    expect((await screen.findByTestId("history-count")).textContent).toBe("50 attempts shown, more available");
    expect(auditQueries(state)[0]?.pageSize).toBe(50);
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() =>
      expect(screen.getByTestId("history-count").textContent).toBe("100 attempts shown, more available"),
    );
    expect(new URLSearchParams(auditQueries(state)[1]?.options.slice(1)).get("$skiptoken")).toBe("50");
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(screen.getByTestId("history-count").textContent).toBe("120 attempts shown"));
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
    expect(screen.getByTestId("announcer").textContent).toBe("120 attempts shown");
  });

  it("renders only a window of a long history (virtualized)", async () => {
    mount({ audit: rows(2000) }, { pageSize: 2000 });
    await screen.findByTestId("history-count");
    expect(screen.getByTestId("history-count").textContent).toBe("2000 attempts shown");
    expect(screen.getAllByTestId("audit-row").length).toBeLessThanOrEqual(100);
  });

  it("filters failures only, on the server, and back", async () => {
    const audit = rows(30, (i) => ({ result: i % 3 === 0 ? "failed" : i % 3 === 1 ? "blocked" : "succeeded" }));
    const { state } = mount({ audit });
    expect((await screen.findByTestId("history-count")).textContent).toBe("30 attempts shown");
    fireEvent.click(screen.getByRole("checkbox", { name: "Failures only" }));
    await waitFor(() => expect(screen.getByTestId("history-count").textContent).toBe("20 attempts shown"));
    expect(auditQueries(state).at(-1)?.options).toContain(
      `(pcs_result eq ${AUDIT_RESULT_VALUES.failed} or pcs_result eq ${AUDIT_RESULT_VALUES.blocked})`,
    );
    for (const row of screen.getAllByTestId("audit-row")) expect(row.getAttribute("data-result")).not.toBe("succeeded");
    fireEvent.click(screen.getByRole("checkbox", { name: "Failures only" }));
    await waitFor(() => expect(screen.getByTestId("history-count").textContent).toBe("30 attempts shown"));
  });

  it("filters by direction, and says when nothing matches", async () => {
    const audit = rows(10, (i) => ({
      direction: i < 4 ? "PartnerCenterToCrm" : "CrmToPartnerCenter",
      result: "succeeded",
    }));
    const { state } = mount({ audit });
    await screen.findByTestId("history");
    fireEvent.click(screen.getByRole("combobox", { name: /^Direction/ }));
    fireEvent.click(await screen.findByRole("option", { name: "Partner Center → CRM" }));
    await waitFor(() => expect(screen.getByTestId("history-count").textContent).toBe("4 attempts shown"));
    expect(auditQueries(state).at(-1)?.options).toContain(
      `pcs_direction eq ${AUDIT_DIRECTION_VALUES.PartnerCenterToCrm}`,
    );
    fireEvent.click(screen.getByRole("checkbox", { name: "Failures only" }));
    expect((await screen.findByTestId("history-empty")).textContent).toBe("No sync attempts match the filters.");
  });
});

describe("SyncStatusPanel actions", () => {
  it("Retry on a failed row writes a retry request for that row to the opportunity", async () => {
    const audit = [
      auditRow(7, {
        createdOn: "2026-11-25T07:00:00Z",
        result: "failed",
        message: "Timeout",
        fixHintKey: "fix.transient",
      }),
    ];
    const { state } = mount({ audit });
    const row = (await screen.findAllByTestId("audit-row"))[0]!;
    fireEvent.click(within(row).getByRole("button", { name: /^Retry the failed sync of/ }));
    await waitFor(() => expect(state.updates).toHaveLength(1));
    const update = state.updates[0]!;
    expect(update.entity).toBe("opportunity");
    expect(update.id).toBe(OPPORTUNITY_ID);
    expect(update.data.pcs_syncrequesttrigger).toBe(AUDIT_TRIGGER_VALUES.retry);
    expect(update.data.pcs_syncretryof).toBe("ad000000-0000-4000-8000-000000000007");
    expect(Number.isNaN(Date.parse(String(update.data.pcs_syncrequestedon)))).toBe(false);
    expect(await screen.findAllByText("Sync requested. The history below updates when it has run.")).not.toHaveLength(
      0,
    );
  });

  it("Sync now writes a sync-now request; a refused write is shown", async () => {
    const { state } = mount({ audit: rows(1) });
    const button = await screen.findByRole("button", { name: "Sync now" });
    await waitFor(() => expect(isDisabled(button)).toBe(false));
    fireEvent.click(button);
    await waitFor(() => expect(state.updates).toHaveLength(1));
    expect(state.updates[0]?.data.pcs_syncrequesttrigger).toBe(AUDIT_TRIGGER_VALUES["sync-now"]);
    expect(state.updates[0]?.data.pcs_syncretryof).toBeNull();

    state.failUpdate = "Principal user is missing prvWriteOpportunity";
    await waitFor(() => expect(isDisabled(screen.getByRole("button", { name: "Sync now" }))).toBe(false));
    fireEvent.click(screen.getByRole("button", { name: "Sync now" }));
    expect(
      await screen.findAllByText("The sync could not be requested: Principal user is missing prvWriteOpportunity"),
    ).not.toHaveLength(0);
  });

  it("Sync now is off while sync is off, and says why", async () => {
    const { state } = mount({
      summary: summaryRow({ pcs_syncwithpartnercenter: false }),
      audit: rows(1, () => ({ result: "failed" })),
    });
    await screen.findByTestId("crm-id");
    const syncNow = screen.getByRole("button", { name: "Sync now" });
    expect(isDisabled(syncNow)).toBe(true);
    const why = screen.getByText("Turn on Sync with Partner Center to sync this opportunity.");
    expect(syncNow.getAttribute("aria-describedby")).toBe(why.id);
    fireEvent.click(syncNow);
    const row = (await screen.findAllByTestId("audit-row"))[0]!;
    expect(isDisabled(within(row).getByRole("button", { name: /^Retry/ }))).toBe(true);
    fireEvent.click(within(row).getByRole("button", { name: /^Retry/ }));
    await act(async () => Promise.resolve());
    expect(state.updates).toEqual([]);
  });

  it("re-reads everything when the bound sync state changes", async () => {
    const { state, gen } = mount({ audit: rows(1) });
    await screen.findByTestId("history");
    const before = auditQueries(state).length;
    state.summary = summaryRow({ pcs_referralsubstatus: null, pcs_referralstatus: 100_000_002 });
    // The mock's metadata store has no options for the bound choice and warns; the value is still set.
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    act(() => {
      gen.context._SetCanvasItems({ syncState: 100_000_003 });
      gen.notifyOutputChanged();
    });
    warn.mockRestore();
    // The history stays on screen while it is read again.
    expect(screen.getByTestId("history")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("referral-status").textContent).toBe("Closed"));
    expect(auditQueries(state).length).toBeGreaterThan(before);
  });
});

describe("SyncStatusPanel re-renders", () => {
  it("keeps the loaded pages when the form re-renders the control without a change", async () => {
    const { state, gen } = mount({ audit: rows(120) }, { pageSize: 50 });
    await screen.findByTestId("history-count");
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() =>
      expect(screen.getByTestId("history-count").textContent).toBe("100 attempts shown, more available"),
    );
    const before = auditQueries(state).length;
    act(() => {
      gen.notifyOutputChanged(); // the mock calls updateView again with the same values
    });
    await act(async () => Promise.resolve());
    expect(gen.control.updateView.callCount).toBeGreaterThan(1);
    expect(auditQueries(state).length).toBe(before);
    expect(screen.getByTestId("history-count").textContent).toBe("100 attempts shown, more available");
  });
});

describe("SyncStatusPanel text and language", () => {
  it("renders text from Partner Center and the proxy as text, never as HTML", async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    mount({
      summary: summaryRow({ pcs_lastsyncerror: evil, pcs_microsoftcrmid: "<script>x()</script>" }),
      audit: [auditRow(1, { createdOn: "2026-11-25T07:00:00Z", result: "failed", message: evil })],
    });
    const message = (await screen.findAllByTestId("audit-message"))[0]!;
    expect(message.textContent).toBe(evil);
    expect(screen.getByTestId("last-error").textContent).toBe(evil);
    expect(screen.getByTestId("crm-id").textContent).toBe("<script>x()</script>");
    expect(document.querySelector("img")).toBeNull();
    expect(document.querySelector("b")).toBeNull();
    expect(document.querySelector("[data-testid=sync-status-panel] script")).toBeNull();
  });

  it("shows labels, results and the fix hint in Korean for 1042", async () => {
    mount(
      {
        audit: [
          auditRow(1, {
            createdOn: "2026-11-25T07:00:00Z",
            result: "blocked",
            operation: "blocked",
            trigger: "save",
            fixHintKey: "readiness.solution.missing",
          }),
        ],
      },
      { lcid: 1042 },
    );
    const row = (await screen.findAllByTestId("audit-row"))[0]!;
    expect(row.textContent).toContain("차단됨");
    expect(row.textContent).toContain("저장");
    expect(within(row).getByTestId("audit-fix").textContent).toBe(
      `해결 방법: ${formatMessage("readiness.solution.missing", "ko")}`,
    );
    expect(screen.getByRole("button", { name: "지금 동기화" })).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "실패만" })).toBeTruthy();
    expect((await screen.findByTestId("referral-status")).textContent).toBe("활성 · 수락됨");
  });
});
