/**
 * A jsdom stand-in for the axe-core run in a browser (still to do): in the states with the most on screen,
 * every interactive element has an accessible name, ids are unique, and state changes have a live region.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { computeAccessibleName } from "dom-accessibility-api";
import { auditRow, readyOpportunity, summaryRow, teamRows } from "./fixtures";
import { panelGenerator, toggleGenerator } from "./harness";

const INTERACTIVE =
  'button, a[href], input, select, textarea, [role="switch"], [role="combobox"], [role="checkbox"], [tabindex="0"]';

function checkNamesAndIds(container: HTMLElement): number {
  const elements = Array.from(container.querySelectorAll<HTMLElement>(INTERACTIVE));
  for (const el of elements) {
    const name = computeAccessibleName(el);
    expect({ element: el.outerHTML.slice(0, 120), named: name.trim() !== "" }).toEqual({
      element: el.outerHTML.slice(0, 120),
      named: true,
    });
  }
  const ids = Array.from(container.querySelectorAll("[id]")).map((el) => el.id);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  for (const ref of Array.from(container.querySelectorAll("[aria-labelledby], [aria-describedby]"))) {
    for (const attr of ["aria-labelledby", "aria-describedby"]) {
      for (const id of (ref.getAttribute(attr) ?? "").split(/\s+/).filter(Boolean)) {
        expect({ attr, id, exists: !!container.ownerDocument.getElementById(id) }).toEqual({ attr, id, exists: true });
      }
    }
  }
  expect(container.querySelector('[aria-live="polite"]')).not.toBeNull();
  return elements.length;
}

it("SyncToggle with a checklist, and with the off-confirmation, has named controls and valid references", async () => {
  const { gen, webAPI } = toggleGenerator();
  webAPI.retrieveRecord.callsFake(() =>
    Promise.resolve(
      readyOpportunity({
        customerid_account: {
          accountid: "a0000000-0000-4000-8000-0000000000ff",
          name: "Fabrikam",
          address1_country: "",
        },
        estimatedvalue: null,
      }),
    ),
  );
  webAPI.retrieveMultipleRecords.callsFake(() => Promise.resolve({ entities: teamRows([]) }));
  gen.ExecuteInit();
  const { container } = render(gen.ExecuteUpdateView());
  fireEvent.click(screen.getByRole("switch"));
  await screen.findByRole("list", { name: "What to fix" });
  expect(checkNamesAndIds(container)).toBeGreaterThanOrEqual(3);
});

it("SyncStatusPanel with history, filters and actions has named controls and valid references", async () => {
  const { gen, webAPI } = panelGenerator();
  webAPI.retrieveRecord.callsFake(() => Promise.resolve(summaryRow({ pcs_lastsyncerror: "Timeout" })));
  webAPI.retrieveMultipleRecords.callsFake((entity) =>
    Promise.resolve({
      entities:
        entity === "pcs_integrationstate"
          ? [{ pcs_count: 9000 }]
          : [auditRow(1, { createdOn: "2026-11-25T07:00:00Z", result: "failed", fixHintKey: "fix.transient" })],
      nextLink: entity === "pcs_integrationstate" ? undefined : "https://org.example/api/data/v9.2/x?$skiptoken=1",
    }),
  );
  gen.ExecuteInit();
  const { container } = render(gen.ExecuteUpdateView());
  await screen.findByTestId("history");
  await waitFor(() => expect(screen.getByTestId("quota")).toBeTruthy());
  expect(checkNamesAndIds(container)).toBeGreaterThanOrEqual(7);
});
