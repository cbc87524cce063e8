import type { SandboxSession } from "../sandboxUsers";
import { renderPage } from "./html";

/** Shell of the Microsoft side page; client/microsoftPage.ts drives the Partner Center emulator's admin API. */

export function renderMicrosoftPage(session: SandboxSession, focusReferralId: string | null): string {
  return renderPage({
    title: "Microsoft side",
    session,
    path: "/microsoft",
    active: "microsoft",
    body: `<div class="page" lang="en" id="microsoft-root" aria-busy="true"><h1>Microsoft side: Partner Center referrals</h1><p class="loading">Loading referrals…</p></div>`,
    config: { adminRoot: "/pc-admin/", focusReferralId },
    scripts: ["/assets/microsoftPage.js"],
  });
}
