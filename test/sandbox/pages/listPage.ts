import { defaultReferenceData } from "../../../domain/defaultReferenceData";
import { evaluateReadiness } from "../../../domain/readinessRules";
import { readOpportunity } from "../../../controls/shared/opportunityReader";
import type { WebApi } from "../../../controls/shared/record";
import type { DataverseWebApi } from "../pcfHost/dataverseWebApi";
import type { SandboxSession } from "../sandboxUsers";
import { escapeHtml, renderPage } from "./html";

/**
 * `/`: the opportunities of the sandbox org as the chosen user sees them, each with its readiness (the domain's
 * rules over the same read the toggle makes) and its sync state, linking to the form.
 */

interface ListRow {
  id: string;
  name: string;
  customer: string;
  value: string;
  status: string;
  sync: string;
  readiness: string;
  ready: boolean;
}

const SELECT =
  "$select=name,estimatedvalue,statecode,pcs_syncwithpartnercenter,pcs_syncstate,pcs_referralstatus,_customerid_value&$orderby=name asc";

async function rowsFor(webApi: DataverseWebApi): Promise<ListRow[]> {
  const page = await webApi.retrieveMultipleRecords("opportunity", `?${SELECT}`);
  const reference = defaultReferenceData();
  return Promise.all(
    page.entities.map(async (row) => {
      const id = String(row.opportunityid);
      const formatted = (column: string) => String(row[`${column}@OData.Community.Display.V1.FormattedValue`] ?? "");
      let readiness: string;
      let ready = false;
      try {
        // The same read the toggle makes; DataverseWebApi has the PCF WebApi's methods and result shapes.
        const read = await readOpportunity(webApi as unknown as WebApi, id);
        const report = evaluateReadiness(read.snapshot, {
          now: new Date(),
          hasReferral: !!read.sync.referralId,
          reference,
        });
        ready = report.failures.length === 0;
        readiness = ready
          ? "Ready to share"
          : `Not ready: ${report.failures.length} fix${report.failures.length === 1 ? "" : "es"} (${[...new Set(report.failures.map((f) => f.ruleId))].join(", ")})`;
      } catch (error) {
        readiness = `Could not check: ${error instanceof Error ? error.message : String(error)}`;
      }
      return {
        id,
        name: String(row.name ?? "(no name)"),
        customer: formatted("_customerid_value"),
        value: formatted("estimatedvalue"),
        status: formatted("statecode"),
        sync: row.pcs_syncwithpartnercenter === true ? `On · ${formatted("pcs_syncstate") || "Not synced"}` : "Off",
        readiness,
        ready,
      };
    }),
  );
}

export async function renderListPage(session: SandboxSession, webApi: DataverseWebApi): Promise<string> {
  let table: string;
  try {
    const rows = await rowsFor(webApi);
    const body = rows
      .map(
        (r) => `<tr>
  <th scope="row"><a href="/opportunity/${escapeHtml(r.id)}">${escapeHtml(r.name)}</a></th>
  <td>${escapeHtml(r.customer)}</td>
  <td class="num">${escapeHtml(r.value)}</td>
  <td>${escapeHtml(r.status)}</td>
  <td><span class="pill ${r.ready ? "pill-ok" : "pill-warn"}">${escapeHtml(r.readiness)}</span></td>
  <td>${escapeHtml(r.sync)}</td>
</tr>`,
      )
      .join("\n");
    table = `<table class="grid">
<caption>Opportunities visible to ${escapeHtml(session.user.name)}</caption>
<thead><tr><th scope="col">Topic</th><th scope="col">Customer</th><th scope="col">Est. revenue</th><th scope="col">Status</th><th scope="col">Readiness for co-sell</th><th scope="col">Sync with Partner Center</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`;
  } catch (error) {
    table = `<p role="alert" class="error">Could not read the opportunities: ${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`;
  }
  return renderPage({
    title: "Opportunities",
    session,
    path: "/",
    active: "form",
    body: `<div class="page" lang="en">
<h1>My open and closed opportunities</h1>
<p class="lead">Open one to see the Opportunity form with the built <em>Sync with Partner Center</em> toggle, the sync status panel and the form script. Readiness is checked with the product's rules (R1–R8) as you, the selected user.</p>
${table}
</div>`,
  });
}
