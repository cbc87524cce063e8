import type { DataverseWebApi } from "../pcfHost/dataverseWebApi";
import type { SandboxSession } from "../sandboxUsers";
import { escapeHtml, renderPage } from "./html";

/**
 * `/sandbox/record/<table>/<id>`: a related row (account, contact…) opened from a control's "Open …" link.
 * The sandbox has forms only for opportunities, so other rows are shown read-only, column by column.
 */
export async function renderRecordPage(
  session: SandboxSession,
  webApi: DataverseWebApi,
  table: string,
  id: string,
): Promise<string> {
  let body: string;
  try {
    const row = await webApi.retrieveRecord(table, id);
    const items = Object.entries(row)
      .filter(([key, value]) => !key.startsWith("@") && !key.includes("@") && value !== null && value !== undefined)
      .map(([key, value]) => {
        const formatted = row[`${key}@OData.Community.Display.V1.FormattedValue`];
        return `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(formatted ?? (typeof value === "object" ? JSON.stringify(value) : value))}</dd>`;
      })
      .join("");
    body = `<h1>${escapeHtml(table)} ${escapeHtml(id)}</h1><p class="lead">Read-only: the sandbox has no form for this table. Change it through the Dataverse emulator's Web API.</p><dl class="record">${items}</dl>`;
  } catch (error) {
    body = `<h1>${escapeHtml(table)} ${escapeHtml(id)}</h1><p role="alert" class="error">${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`;
  }
  return renderPage({
    title: table,
    session,
    path: `/sandbox/record/${table}/${id}`,
    active: "form",
    body: `<div class="page" lang="en">${body}</div>`,
  });
}
