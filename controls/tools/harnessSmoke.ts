/**
 * Loads each built control in the PCF test harness (pcf-start's page and harness.js, React from node_modules)
 * inside jsdom, and checks that the control rendered: the toggle's switch, the panel's region. There is no
 * browser on this machine; the sandbox (a later issue) and an axe-core run in Chromium are still to come.
 *
 *   npm run test:harness      (after npm run build:controls)
 */
import type { AddressInfo } from "node:net";
import { JSDOM, VirtualConsole } from "jsdom";
import { startHarness } from "./harness";
import { CONTROLS, type ControlName } from "./resx";

const EXPECT: Record<ControlName, string> = {
  SyncToggle: '[role="switch"]',
  SyncStatusPanel: "section[aria-label]",
};

async function check(control: ControlName): Promise<boolean> {
  const server = await startHarness(control, 0);
  const { port } = server.address() as AddressInfo;
  const errors: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on("jsdomError", (e) => {
    if (!/Not implemented: window.alert/.test(e.message)) errors.push(e.message);
  });
  try {
    const dom = await JSDOM.fromURL(`http://127.0.0.1:${port}/`, {
      runScripts: "dangerously",
      resources: "usable",
      pretendToBeVisual: true,
      virtualConsole,
      beforeParse(window) {
        const w = window as unknown as Record<string, unknown>;
        w.ResizeObserver = class {
          observe(): void {}
          unobserve(): void {}
          disconnect(): void {}
        };
        w.matchMedia = () => ({ matches: false, addListener() {}, removeListener() {} });
      },
    });
    const deadline = Date.now() + 20_000;
    let found: Element | null = null;
    while (!found && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      found = dom.window.document.querySelector(`#app-root ${EXPECT[control]}`);
    }
    const text = (found?.closest("section, div")?.textContent ?? "").replace(/\s+/g, " ").slice(0, 160);
    console.log(`${control}: ${found ? "rendered" : "NOT rendered"} in the harness${found ? ` ("${text}")` : ""}`);
    if (!found && errors.length > 0) console.log(errors.slice(0, 5).join("\n"));
    dom.window.close();
    return !!found;
  } finally {
    server.close();
  }
}

void (async () => {
  let ok = true;
  for (const control of CONTROLS) ok = (await check(control)) && ok;
  process.exit(ok ? 0 : 1);
})();
