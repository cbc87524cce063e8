import type { SandboxSession } from "../sandboxUsers";
import { renderPage } from "./html";

/** Shell of the Opportunity form page; the form host (client/formPage.ts) renders the record into it. */

export interface FormPageConfig {
  opportunityId: string;
  lcid: number;
  apiRoot: string;
  user: { systemUserId: string; name: string; timeZoneOffsetMinutes: number };
}

export function renderFormPage(session: SandboxSession, opportunityId: string): string {
  const config: FormPageConfig = {
    opportunityId,
    lcid: session.lcid,
    apiRoot: "/api/data/v9.2/",
    user: {
      systemUserId: session.user.systemUserId,
      name: session.user.name,
      timeZoneOffsetMinutes: session.user.timeZoneOffsetMinutes,
    },
  };
  return renderPage({
    title: "Opportunity",
    session,
    path: `/opportunity/${opportunityId}`,
    active: "form",
    body: `<div id="form-root" class="form-root" aria-busy="true"><p class="loading">Loading the opportunity…</p></div>`,
    config,
    scripts: ["/assets/formPage.js"],
  });
}
