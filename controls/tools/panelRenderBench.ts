import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  AUDIT_DIRECTION_VALUES,
  AUDIT_OPERATION_VALUES,
  AUDIT_RESULT_VALUES,
  AUDIT_TRIGGER_VALUES,
  REFERRAL_STATUS_VALUES,
  REFERRAL_SUBSTATUS_VALUES,
  SYNC_STATE_VALUES,
} from "../../domain/choices";
import { launchChromium } from "./headlessChromium";
import { resxEntries } from "./resx";

/**
 * The panel's first render in headless Chromium: the BUILT production bundle, with React, ReactDOM and Fluent
 * loaded as the platform libraries the manifest declares (globals Reactv16 and FluentUIReactv81211), given a
 * PCF context whose Web API answers at once with N audit rows. Each run is a fresh page, so each render is a
 * first render, cold: Fluent registers its styles during it. With `warmFluent`, the page has mounted and
 * unmounted the panel once before the timed mount, as on a form where Fluent has already rendered. Timed from
 * updateView to the paint of the frame in which the first audit rows were committed.
 */

export interface PanelRenderFigures {
  rows: number;
  runs: number;
  /** Milliseconds per run, in run order (the first includes the browser's cold start of the scripts). */
  renderMs: number[];
  medianMs: number;
  maxMs: number;
  /** Audit rows in the DOM after the first render (virtualization). */
  rowsInDom: number;
}

const ROOT = join(__dirname, "..", "..");
const OUT = join(ROOT, "out", "controls");
const SCRIPTS: Record<string, string> = {
  "/react.js": join(ROOT, "node_modules", "react", "umd", "react.production.min.js"),
  "/react-dom.js": join(ROOT, "node_modules", "react-dom", "umd", "react-dom.production.min.js"),
  "/fluent.js": join(ROOT, "node_modules", "@fluentui", "react", "dist", "fluentui-react.umd.js"),
  "/panel.js": join(OUT, "SyncStatusPanel", "bundle.js"),
};

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>panel render</title></head>
<body><div id="root" style="width:900px;height:700px"></div>
<script src="/react.js"></script><script src="/react-dom.js"></script><script src="/fluent.js"></script>
<script>window.Reactv16 = window.React; window.FluentUIReactv81211 = window.FluentUIReact;</script>
<script src="/panel.js"></script></body></html>`;

const OPPORTUNITY_ID = "0f000000-0000-4000-8000-0000000000b1";

/** Dataverse-shaped audit rows, newest first: mostly successful updates, every seventh a throttled failure. */
export function syntheticAuditRows(count: number, newest = Date.UTC(2026, 10, 25, 12)): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const failed = i % 7 === 0;
    return {
      pcs_referralsyncauditid: `ad000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      createdon: new Date(newest - i * 60_000).toISOString(),
      pcs_direction: AUDIT_DIRECTION_VALUES[i % 5 === 0 ? "PartnerCenterToCrm" : "CrmToPartnerCenter"],
      pcs_trigger: AUDIT_TRIGGER_VALUES.save,
      pcs_operation: AUDIT_OPERATION_VALUES.update,
      pcs_result: AUDIT_RESULT_VALUES[failed ? "failed" : "succeeded"],
      pcs_httpstatus: failed ? 429 : 200,
      pcs_errorcode: failed ? "throttled" : null,
      pcs_message: failed ? `Partner Center throttled the update (attempt ${i})` : `Updated 2 fields (attempt ${i})`,
      pcs_fixhintkey: failed ? "fix.throttled" : null,
      pcs_apicallsused: 1,
      pcs_attemptnumber: 1,
      pcs_nextretryon: null,
    };
  });
}

function serve(): Promise<Server> {
  for (const [path, file] of Object.entries(SCRIPTS)) {
    if (!existsSync(file)) throw new Error(`${file} is missing (${path}); run npm ci and npm run build:controls:prod`);
  }
  const server = createServer((request, response) => {
    const file = SCRIPTS[request.url ?? ""];
    if (request.url === "/") response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    else if (file) response.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(file));
    else response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

interface PageInput {
  rows: Record<string, unknown>[];
  summary: Record<string, unknown>;
  strings: Record<string, string>;
  recordId: string;
  warmFluent?: boolean;
}

/** Runs in the page: a PCF context with what the panel reads, then updateView and the timed first render. */
async function renderInPage(input: PageInput): Promise<{ ms: number; rowsInDom: number }> {
  type Control = {
    init(context: unknown): void;
    updateView(context: unknown): unknown;
  };
  const w = window as unknown as {
    Pcs: { SyncStatusPanel: new () => Control };
    ReactDOM: { render(element: unknown, root: Element): void; unmountComponentAtNode(root: Element): boolean };
  };
  const root = document.getElementById("root")!;
  const rect = root.getBoundingClientRect();
  const context = {
    parameters: {
      syncState: { raw: 100_000_002 },
      dailyBudget: { raw: 10_000 },
      pageSize: { raw: input.rows.length },
    },
    mode: {
      contextInfo: { entityId: input.recordId, entityTypeName: "opportunity" },
      isControlDisabled: false,
      allocatedWidth: rect.width,
      allocatedHeight: rect.height,
      trackContainerResize: () => undefined,
    },
    userSettings: { languageId: 1033, getTimeZoneOffsetMinutes: () => 0 },
    formatting: { formatDateShort: (date: Date) => date.toISOString().slice(0, 16).replace("T", " ") },
    resources: { getString: (key: string) => input.strings[key] ?? key },
    webAPI: {
      retrieveRecord: () => Promise.resolve(input.summary),
      retrieveMultipleRecords: (entity: string) =>
        Promise.resolve(
          entity === "pcs_referralsyncaudit"
            ? { entities: input.rows }
            : { entities: [{ pcs_name: "quota", pcs_count: 1234 }] },
        ),
      updateRecord: () => Promise.resolve({}),
    },
  };
  if (input.warmFluent) {
    // A form page has rendered Fluent before our control mounts: mount once, unmount, then time a new mount.
    const warm = new w.Pcs.SyncStatusPanel();
    warm.init(context);
    w.ReactDOM.render(warm.updateView(context), root);
    while (!root.querySelector("[data-testid=audit-row]")) await new Promise((resolve) => setTimeout(resolve, 0));
    w.ReactDOM.unmountComponentAtNode(root);
  }
  const control = new w.Pcs.SyncStatusPanel();
  control.init(context);
  // Rows committed: a MutationObserver sees the commit itself, not the next poll. Then painted: a task queued
  // from the next animation frame runs after that frame's paint.
  const rowsCommitted = () =>
    new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (!root.querySelector("[data-testid=audit-row]")) return;
        observer.disconnect();
        resolve();
      });
      observer.observe(root, { childList: true, subtree: true });
    });
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const committed = rowsCommitted();
  const started = performance.now();
  w.ReactDOM.render(control.updateView(context), root);
  await committed;
  await painted();
  return { ms: performance.now() - started, rowsInDom: root.querySelectorAll("[data-testid=audit-row]").length };
}

export async function measurePanelRender(
  options: { rows?: number; runs?: number; warmFluent?: boolean } = {},
): Promise<PanelRenderFigures> {
  const rowCount = options.rows ?? 5000;
  const runs = options.runs ?? 7;
  const warmFluent = options.warmFluent ?? false;
  const server = await serve();
  const browser = await launchChromium();
  try {
    const { port } = server.address() as AddressInfo;
    const input: PageInput = {
      rows: syntheticAuditRows(rowCount),
      summary: {
        pcs_syncwithpartnercenter: true,
        pcs_syncstate: SYNC_STATE_VALUES.Synced,
        pcs_referralid: "ref-1234",
        pcs_referrallink: "https://partner.microsoft.com/dashboard/referrals/v2/leads/ref-1234",
        pcs_referralstatus: REFERRAL_STATUS_VALUES.Active,
        pcs_referralsubstatus: REFERRAL_SUBSTATUS_VALUES.Accepted,
        pcs_microsoftcrmid: "7-ABCDEF123",
        pcs_lastsyncon: "2026-11-25T08:30:00Z",
        pcs_lastsyncerror: null,
      },
      strings: Object.fromEntries(Object.entries(resxEntries("SyncStatusPanel")).map(([k, v]) => [k, v.en])),
      recordId: OPPORTUNITY_ID,
    };
    const renderMs: number[] = [];
    let rowsInDom = 0;
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      // tsx compiles renderInPage with esbuild's keepNames, which calls a __name helper the page lacks.
      await page.addInitScript({ content: "window.__name = (target) => target;" });
      await page.goto(`http://127.0.0.1:${port}/`);
      const result = await page.evaluate(renderInPage, { ...input, warmFluent });
      if (errors.length > 0) throw new Error(`the panel failed in Chromium: ${errors.join("; ")}`);
      renderMs.push(result.ms);
      rowsInDom = result.rowsInDom;
      await page.close();
    }
    const sorted = [...renderMs].sort((a, b) => a - b);
    return {
      rows: rowCount,
      runs,
      renderMs,
      medianMs: sorted[Math.floor(sorted.length / 2)] ?? NaN,
      maxMs: sorted.at(-1) ?? NaN,
      rowsInDom,
    };
  } finally {
    await browser.close();
    server.close();
  }
}
