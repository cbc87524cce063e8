/**
 * `npm run bench`: for each control, the production bundle size, its budget, and the ratio to the same
 * component built as a standard control (React, ReactDOM and Fluent bundled); then the panel's first render
 * with 5,000 audit rows and the number of rows in the DOM.
 *
 * The render is timed in jsdom, not in headless Chromium as issue 7 asks: there is no Chromium on this machine.
 * jsdom has no layout, so the numbers are a proxy. They show the virtualization (rows in the DOM) and the
 * order of magnitude of the render work.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { BUDGETS } from "./budgets";
import { CONTROLS } from "./resx";
import { standardEquivalentBytes } from "./standardEquivalent";

const OUT = join(__dirname, "..", "..", "out", "controls");
const ROWS = 5000;

/** The sizes are those of a production build: build one unless the last build was. */
function ensureProductionBuild(): void {
  const info = join(OUT, "build.json");
  const mode = existsSync(info) ? (JSON.parse(readFileSync(info, "utf8")) as { mode?: string }).mode : null;
  if (mode === "production") return;
  console.log("building the controls in production mode first…");
  const run = spawnSync(
    process.execPath,
    [require.resolve("tsx/cli"), join(__dirname, "..", "build.ts"), "--production"],
    {
      stdio: "inherit",
    },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}

function sizes(): void {
  console.log("production bundle.js (minified; React and Fluent are platform libraries):");
  for (const control of CONTROLS) {
    const bundle = join(OUT, control, "bundle.js");
    if (!existsSync(bundle)) {
      console.log(`  ${control}: not built (run npm run build:controls:prod)`);
      continue;
    }
    const bytes = statSync(bundle).size;
    const standard = standardEquivalentBytes(control);
    const budget = BUDGETS[control] ?? Infinity;
    console.log(
      `  ${control.padEnd(16)} ${(bytes / 1024).toFixed(1)} KiB (budget ${(budget / 1024).toFixed(0)} KiB: ` +
        `${bytes <= budget ? "ok" : "OVER"}); as a standard control ${(standard / 1024).toFixed(1)} KiB; ` +
        `ratio ${(bytes / standard).toFixed(3)}`,
    );
  }
}

async function panelFirstRender(): Promise<void> {
  const dom = new JSDOM("<!doctype html><html><body><div id=root></div></body></html>", {
    pretendToBeVisual: true,
    url: "https://org.example/",
  });
  const g = globalThis as unknown as Record<string, unknown>;
  for (const key of [
    "window",
    "document",
    "navigator",
    "HTMLElement",
    "Node",
    "getComputedStyle",
    "requestAnimationFrame",
    "cancelAnimationFrame",
  ]) {
    g[key] = (dom.window as unknown as Record<string, unknown>)[key];
  }
  g.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
  /* eslint-disable @typescript-eslint/no-require-imports */
  const React = require("react") as typeof import("react");
  const ReactDOM = require("react-dom") as typeof import("react-dom");
  const { setIconOptions } = require("@fluentui/react/lib/Styling") as typeof import("@fluentui/react/lib/Styling");
  const { SyncStatusPanelView } =
    require("../SyncStatusPanel/SyncStatusPanelView") as typeof import("../SyncStatusPanel/SyncStatusPanelView");
  /* eslint-enable @typescript-eslint/no-require-imports */
  setIconOptions({ disableWarnings: true });

  const rows = Array.from({ length: ROWS }, (_, i) => ({
    id: `row-${i}`,
    createdOn: new Date(Date.UTC(2026, 10, 25) - i * 60_000).toISOString(),
    direction: "CrmToPartnerCenter" as const,
    trigger: "save" as const,
    operation: "update" as const,
    result: i % 7 === 0 ? ("failed" as const) : ("succeeded" as const),
    httpStatus: 200,
    errorCode: null,
    message: `Attempt ${i}`,
    fixHintKey: i % 7 === 0 ? "fix.transient" : null,
    apiCalls: 1,
    attempt: 1,
    nextRetryOn: null,
  }));
  let loaded!: () => void;
  const dataReady = new Promise<void>((resolve) => (loaded = resolve));
  const data = {
    loadSummary: () =>
      Promise.resolve({
        syncOn: true,
        syncState: "Synced" as const,
        referralId: "ref-1",
        referralLink: null,
        referralStatus: "Active" as const,
        referralSubstatus: "Accepted" as const,
        microsoftCrmId: null,
        lastSyncOn: null,
        lastSyncError: null,
      }),
    loadCallsToday: () => Promise.resolve(100),
    loadAudit: () => {
      loaded();
      return Promise.resolve({ rows, nextLink: null });
    },
    requestSync: () => Promise.resolve(),
  };
  const root = dom.window.document.getElementById("root")!;
  const props = {
    recordId: "0f000000-0000-4000-8000-0000000000a1",
    t: (key: string) => key,
    hasString: () => false,
    data,
    syncStateValue: 1,
    dailyBudget: 10_000,
    pageSize: ROWS,
    readOnly: false,
    formatDateTime: (iso: string) => iso,
  };
  ReactDOM.render(React.createElement(SyncStatusPanelView, props), root);
  await dataReady;
  const started = performance.now();
  while (!root.querySelector("[data-testid=audit-row]")) await new Promise((resolve) => setTimeout(resolve, 0));
  const elapsed = performance.now() - started;
  const inDom = root.querySelectorAll("[data-testid=audit-row]").length;
  console.log(
    `\nSyncStatusPanel first render of ${ROWS} audit rows (jsdom, not Chromium): ${elapsed.toFixed(0)} ms ` +
      `from data to rows on screen; ${inDom} rows in the DOM (target <= 100: ${inDom <= 100 ? "ok" : "OVER"})`,
  );
  ReactDOM.unmountComponentAtNode(root);
}

ensureProductionBuild();
sizes();
void panelFirstRender().then(() => process.exit(0));
