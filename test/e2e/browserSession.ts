import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../../controls/tools/headlessChromium";
import { startSandbox, type Sandbox } from "../sandbox/sandbox";

/**
 * Debian's chromium (controls/tools/headlessChromium.ts), and the per-test artifacts (screenshots, axe reports) in test/e2e/artifacts/ (git-ignored).
 */

export const ARTIFACTS_DIR = join(__dirname, "artifacts");
export const README_SCREENSHOTS_DIR = join(__dirname, "..", "sandbox", "screenshots");

export interface PageSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and dialogs seen on the page (a dialog would mean injected script ran). */
  pageErrors: string[];
  dialogs: string[];
}

export async function openSession(browser: Browser): Promise<PageSession> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: "en-US" });
  // Microsoft's font CDN is unreachable here; answering at once keeps the pages from waiting on DNS.
  await context.route(/^https:\/\/[^/]*\.cdn\.office\.net\//, (route) => route.abort());
  const page = await context.newPage();
  const session: PageSession = { context, page, pageErrors: [], dialogs: [] };
  page.on("pageerror", (error) => session.pageErrors.push(error.message));
  page.on("dialog", (dialog) => {
    session.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return session;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** README screenshots are rewritten only on request (PCS_UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean. */
export async function readmeScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.PCS_UPDATE_SCREENSHOTS !== "1") return;
  mkdirSync(README_SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(README_SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/** What one test file shares: its own sandbox (free ports, state in memory) and a browser, both closed after it. */
export interface FileSession {
  sandbox: Sandbox;
  browser: Browser;
  formUrl(opportunityId: string, user: string, lcid?: number): string;
}

export function sandboxPerFile(): FileSession {
  const session = {
    formUrl: (id: string, user: string, lcid = 1033) =>
      `${session.sandbox.webUrl}/opportunity/${id}?user=${user}&lang=${lcid}`,
  } as FileSession;
  beforeAll(async () => {
    [session.sandbox, session.browser] = await Promise.all([
      startSandbox({ stateDir: null, log: () => undefined }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.sandbox?.close();
  });
  return session;
}
