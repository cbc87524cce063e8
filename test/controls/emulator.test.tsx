/**
 * The controls against the Dataverse emulator (test/emulators/dataverse) with its seed data: the real OData
 * the controls send ($expand, $filter with choices, $orderby, paging cookies) answered by a faithful server.
 */
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { evaluateReadiness } from "../../domain/readinessRules";
import { isoTables } from "../../domain/isoTables";
import { createReferenceData } from "../../domain/referenceData";
import { readOpportunity } from "../../controls/shared/opportunityReader";
import { createPanelData, SYNC_REQUEST_COLUMNS } from "../../controls/SyncStatusPanel/panelData";
import {
  AUDIT_DIRECTION_VALUES,
  AUDIT_RESULT_VALUES,
  AUDIT_TRIGGER_VALUES,
  columnOf,
  tableByLogicalName,
} from "../../solution/schema";
import { createDataverseEmulator, type DataverseEmulator } from "../emulators/dataverse/server";
import { dataverseWebApi } from "./dataverseWebApi";
import { panelGenerator, setRecord, toggleGenerator } from "./harness";

const SELLER = "5e5e0000-0000-4000-8000-000000000003"; // 지우 김, a Korean-language seller in the seed
const CONTOSO = "0bb00000-0000-4000-8000-000000000001";
const NORTHWIND = "0bb00000-0000-4000-8000-000000000004";

let emulator: DataverseEmulator;
beforeAll(async () => {
  emulator = await createDataverseEmulator({ port: 0, tokens: { seller: SELLER } });
});
afterAll(async () => {
  await emulator.close();
});

const now = new Date("2026-11-25T09:00:00Z");
const reference = createReferenceData(isoTables);

describe("against the Dataverse emulator", () => {
  it("reads a seeded opportunity with its account, contact, currency, owner, team and solutions", async () => {
    const read = await readOpportunity(dataverseWebApi(emulator.apiUrl, "seller"), CONTOSO);
    expect(read.snapshot.account?.name).toBeTruthy();
    expect(read.snapshot.currency?.isoCode).toBe("USD");
    expect(read.snapshot.owner?.id).toBe(SELLER);
    expect(read.snapshot.solutions.length).toBe(1);
    expect(read.snapshot.salesTeam.length).toBeGreaterThan(0);
    expect(read.snapshot.customerContact?.email).toBeTruthy();
  });

  it("names what the not-ready seed deal lacks", async () => {
    const read = await readOpportunity(dataverseWebApi(emulator.apiUrl, "seller"), NORTHWIND);
    const report = evaluateReadiness(read.snapshot, { now, hasReferral: false, reference });
    const rules = new Set(report.failures.map((f) => f.ruleId));
    expect(rules.has("R6")).toBe(true); // value 0, no close date
    expect(rules.has("R4")).toBe(true); // no currency
  });

  it("the toggle shows that checklist, in Korean for a 1042 user", async () => {
    const { gen } = toggleGenerator({ lcid: 1042 });
    const api = dataverseWebApi(emulator.apiUrl, "seller");
    Object.assign(gen.context, { webAPI: api });
    setRecord(gen.context, NORTHWIND);
    gen.ExecuteInit();
    render(gen.ExecuteUpdateView());
    fireEvent.click(screen.getByRole("switch"));
    const checklist = await screen.findByRole("list", { name: "수정할 항목" }, { timeout: 5000 });
    expect(checklist.textContent).toContain("이 영업 기회의 통화를 선택하세요.");
    expect(gen.notifyOutputChanged.called).toBe(false);
  });

  it("the panel's filtered, ordered, paged audit query and the summary run on the emulator", async () => {
    const integration = dataverseWebApi(emulator.apiUrl, "integration");
    for (let i = 0; i < 7; i++) {
      await integration.createRecord("pcs_referralsyncaudit", {
        pcs_name: `attempt ${i}`,
        "pcs_OpportunityId@odata.bind": `/opportunities(${CONTOSO})`,
        pcs_direction: AUDIT_DIRECTION_VALUES[i % 2 ? "PartnerCenterToCrm" : "CrmToPartnerCenter"],
        pcs_trigger: AUDIT_TRIGGER_VALUES.save,
        pcs_result: AUDIT_RESULT_VALUES[i % 3 === 0 ? "failed" : "succeeded"],
        pcs_message: `message ${i}`,
        pcs_apicallsused: 1,
      });
    }
    const data = createPanelData(dataverseWebApi(emulator.apiUrl, "seller"), CONTOSO, () => now);
    const first = await data.loadAudit({ failuresOnly: false, direction: null }, 3);
    expect(first.rows).toHaveLength(3);
    expect(first.nextLink).toBeTruthy();
    const second = await data.loadAudit({ failuresOnly: false, direction: null }, 3, first.nextLink);
    const ids = [...first.rows, ...second.rows].map((r) => r.id);
    expect(new Set(ids).size).toBe(6);
    const times = [...first.rows, ...second.rows].map((r) => r.createdOn ?? "");
    expect([...times].sort().reverse()).toEqual(times);
    const failures = await data.loadAudit({ failuresOnly: true, direction: null }, 50);
    expect(failures.rows.map((r) => r.result)).toEqual(["failed", "failed", "failed"]);
    const inbound = await data.loadAudit({ failuresOnly: false, direction: "PartnerCenterToCrm" }, 50);
    expect(inbound.rows).toHaveLength(3);
    const summary = await data.loadSummary();
    expect(summary.syncOn).toBe(false);
  });

  it("the panel renders the emulator's history for the seller", async () => {
    const { gen } = panelGenerator({ pageSize: 5 });
    Object.assign(gen.context, { webAPI: dataverseWebApi(emulator.apiUrl, "seller") });
    setRecord(gen.context, CONTOSO);
    gen.ExecuteInit();
    render(gen.ExecuteUpdateView());
    const history = await screen.findByTestId("history", {}, { timeout: 5000 });
    expect(within(history).getAllByTestId("audit-row").length).toBe(5);
    expect(screen.getByTestId("history-count").textContent).toBe("5 attempts shown, more available");
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(screen.getByTestId("history-count").textContent).toBe("7 attempts shown"));
  });
});

/** Sync now / Retry write these opportunity columns (solution/schema); skipped on a schema without them. */
const requestColumnsExist = Object.values(SYNC_REQUEST_COLUMNS).every((c) => {
  const opportunity = tableByLogicalName("opportunity");
  return !!opportunity && !!columnOf(opportunity, c);
});

(requestColumnsExist ? it : it.skip)("Sync now writes the request columns on the emulator as the seller", async () => {
  const api = dataverseWebApi(emulator.apiUrl, "seller");
  await createPanelData(api, CONTOSO, () => now).requestSync("retry", "ad000000-0000-4000-8000-000000000001");
  const row = await api.retrieveRecord(
    "opportunity",
    CONTOSO,
    `?$select=${Object.values(SYNC_REQUEST_COLUMNS).join(",")}`,
  );
  expect(row[SYNC_REQUEST_COLUMNS.trigger]).toBe(AUDIT_TRIGGER_VALUES.retry);
  expect(row[SYNC_REQUEST_COLUMNS.retryOf]).toBe("ad000000-0000-4000-8000-000000000001");
  expect(Date.parse(String(row[SYNC_REQUEST_COLUMNS.requestedOn]))).toBe(now.getTime());
});
