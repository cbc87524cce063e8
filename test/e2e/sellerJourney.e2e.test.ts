import { AUDIT_DIRECTION_VALUES, AUDIT_TRIGGER_VALUES } from "../../domain/choices";
import type { Referral } from "../../domain/referral";
import { formText } from "../../webresources/src/formMessages";
import { SEED } from "../dataverse/fixture";
import { openSession, readmeScreenshot, sandboxPerFile, screenshot } from "./browserSession";
import { adminWebApi, auditRows, pcAdmin, quotaUsed, referrals, settle, until } from "./sandboxData";

/**
 * A seller's path through the sandbox in a real browser: sync a ready opportunity, watch Microsoft accept it,
 * try to close it, and see that markup coming from Partner Center stays text.
 */

const HANBIT = SEED.opportunities.hanbitReady; // Emily Carter's, ready to share

const session = sandboxPerFile();

async function referralFor(opportunityId: string): Promise<Referral | undefined> {
  return (await referrals(session.sandbox)).find((r) => r.externalReferenceId === opportunityId);
}

test("a seller turns sync on for a ready opportunity and saves: the referral is created and the panel shows it", async () => {
  const { page, context } = await openSession(session.browser);
  await page.goto(session.formUrl(HANBIT, "emily"));
  await page.waitForSelector("body[data-form-ready]");
  const toggle = page.getByRole("switch", { name: "Sync with Partner Center" });
  expect(await toggle.getAttribute("aria-checked")).toBe("false");
  expect(await referralFor(HANBIT)).toBeUndefined();

  await toggle.click();
  await page.waitForSelector('[role="switch"][aria-checked="true"]');
  expect(await page.textContent("#record-title + p")).toContain("Unsaved changes");
  await page.click("#cmd-save");

  const referral = await until("the referral in Partner Center", () => referralFor(HANBIT));
  const panel = page.locator("#pcf-SyncStatusPanel");
  await panel.getByText(`Referral ${referral.id} created.`).waitFor();
  expect(referral.status).toBe("New");
  expect(await page.textContent("#record-title + p")).toContain("Saved");
  await screenshot(page, "seller-sync-on-created");
  await readmeScreenshot(page, "form-en");
  await context.close();
});

test("Microsoft accepts on the Microsoft page: after a refresh the form shows Accepted and nothing was sent back", async () => {
  const referral = await referralFor(HANBIT);
  if (!referral) throw new Error("The previous test should have created the referral.");
  await settle(session.sandbox);
  const quotaBefore = await quotaUsed(session.sandbox);
  // By id, not by position: audit rows created within the same second have no defined order.
  const auditBefore = new Set((await auditRows(session.sandbox, HANBIT)).map((r) => r.pcs_referralsyncauditid));

  const microsoft = await openSession(session.browser);
  await microsoft.page.goto(`${session.sandbox.webUrl}/microsoft`);
  await microsoft.page.waitForSelector("body[data-page-ready]");
  const row = microsoft.page.locator(`tr[data-referral-id="${referral.id}"]`);
  expect(await row.locator(".referral-status").textContent()).toBe("New / Pending");
  await row.getByRole("button", { name: /^Accept:/ }).click();
  await microsoft.page.locator("#microsoft-dialog").getByRole("button", { name: "Accept", exact: true }).click();
  await microsoft.page.waitForFunction(
    (id) =>
      document.querySelector(`tr[data-referral-id="${id}"] .referral-status`)?.textContent === "Active / Accepted",
    referral.id,
  );
  await screenshot(microsoft.page, "microsoft-accepted");
  await readmeScreenshot(microsoft.page, "microsoft");
  await microsoft.context.close();

  await settle(session.sandbox);
  await until("the opportunity to show Accepted", async () => {
    const row = await adminWebApi(session.sandbox).retrieveRecord(
      "opportunity",
      HANBIT,
      "?$select=pcs_referralsubstatus",
    );
    return String(row["pcs_referralsubstatus@OData.Community.Display.V1.FormattedValue"] ?? "") === "Accepted";
  });

  const { page, context } = await openSession(session.browser);
  await page.goto(session.formUrl(HANBIT, "emily"));
  await page.waitForSelector("body[data-form-ready]");
  await page.click("#cmd-refresh");
  const panel = page.locator("#pcf-SyncStatusPanel");
  await panel.getByText("Accepted").first().waitFor();
  expect(await page.inputValue("#field-pcs_referralsubstatus")).not.toBe("");

  // The audit: Microsoft's change came in; nothing went back out to Partner Center because of it.
  const after = (await auditRows(session.sandbox, HANBIT)).filter((r) => !auditBefore.has(r.pcs_referralsyncauditid));
  const inbound = after.filter((r) => r.pcs_direction === AUDIT_DIRECTION_VALUES.PartnerCenterToCrm);
  const outboundCalls = after.filter(
    (r) => r.pcs_direction === AUDIT_DIRECTION_VALUES.CrmToPartnerCenter && Number(r.pcs_apicallsused ?? 0) > 0,
  );
  expect(inbound.length).toBeGreaterThan(0);
  expect(outboundCalls).toEqual([]);
  const inboundCalls = inbound.reduce((sum, r) => sum + Number(r.pcs_apicallsused ?? 0), 0);
  expect((await quotaUsed(session.sandbox)) - quotaBefore).toBe(inboundCalls);
  await screenshot(page, "seller-after-accept");

  // "Sync now" from the command bar runs the form script's command: nothing changed, so nothing is sent.
  expect(await page.isEnabled("#cmd-syncnow")).toBe(true);
  await page.click("#cmd-syncnow");
  await page.locator(".form-notifications").getByText(formText("result.unchanged", "en")).waitFor();
  expect(await quotaUsed(session.sandbox)).toBe(quotaBefore + inboundCalls);
  await context.close();
});

test("the panel's Sync now writes a request that reaches the proxy through the Dataverse webhook", async () => {
  const { page, context } = await openSession(session.browser);
  await page.goto(session.formUrl(HANBIT, "emily"));
  await page.waitForSelector("body[data-form-ready]");
  const before = (await auditRows(session.sandbox, HANBIT)).length;
  await page.locator("#pcf-SyncStatusPanel").getByRole("button", { name: "Sync now", exact: true }).click();
  await session.sandbox.dataverse.webhooksIdle();
  const requested = await until("an audit row for the panel's request", async () => {
    const rows = (await auditRows(session.sandbox, HANBIT)).slice(before);
    return rows.find((r) => r.pcs_trigger === AUDIT_TRIGGER_VALUES["sync-now"]);
  });
  expect(requested.pcs_direction).toBe(AUDIT_DIRECTION_VALUES.CrmToPartnerCenter);
  // The panel reads the history again after a request and shows the new row.
  const total = (await auditRows(session.sandbox, HANBIT)).length;
  await page.locator("#pcf-SyncStatusPanel").getByText(`${total} attempts shown`).first().waitFor();
  await context.close();
});

test("closing as Won asks for confirmation; cancelling keeps the opportunity open", async () => {
  const { page, context } = await openSession(session.browser);
  await page.goto(session.formUrl(HANBIT, "emily"));
  await page.waitForSelector("body[data-form-ready]");
  await page.click("#cmd-closewon");
  const closeDialog = page.locator("#close-dialog");
  await closeDialog.waitFor();
  await closeDialog.getByRole("button", { name: "Close opportunity" }).click();

  const confirm = page.getByRole("alertdialog");
  await confirm.waitFor();
  expect(await confirm.textContent()).toContain(formText("close.title", "en"));
  await confirm.getByRole("button", { name: formText("close.cancel", "en") }).click();
  await closeDialog.getByText(formText("close.cancelled", "en")).waitFor();
  await screenshot(page, "close-won-cancelled");
  await closeDialog.getByRole("button", { name: "Cancel" }).click();

  const row = await adminWebApi(session.sandbox).retrieveRecord("opportunity", HANBIT, "?$select=statecode");
  expect(row.statecode).toBe(0);
  expect(await page.isEnabled("#cmd-closewon")).toBe(true);
  expect((await referralFor(HANBIT))?.status).toBe("Active");
  await context.close();
});

test("confirming the close wins the opportunity and closes the referral in Partner Center", async () => {
  const { page, context } = await openSession(session.browser);
  await page.goto(session.formUrl(HANBIT, "emily"));
  await page.waitForSelector("body[data-form-ready]");
  await page.click("#cmd-closewon");
  const closeDialog = page.locator("#close-dialog");
  await closeDialog.getByRole("button", { name: "Close opportunity" }).click();
  const confirm = page.getByRole("alertdialog");
  await confirm.getByRole("button", { name: formText("close.confirm", "en") }).click();
  await closeDialog.waitFor({ state: "detached" });

  const row = await adminWebApi(session.sandbox).retrieveRecord("opportunity", HANBIT, "?$select=statecode");
  expect(row.statecode).toBe(1);
  await page.waitForFunction(
    () => (document.getElementById("cmd-closewon") as HTMLButtonElement | null)?.disabled === true,
  );
  await settle(session.sandbox);
  const referral = await until("the referral to be closed as Won", async () => {
    const r = await referralFor(HANBIT);
    return r?.status === "Closed" ? r : undefined;
  });
  expect(referral.substatus).toBe("Won");
  expect(await page.getByRole("switch", { name: "Sync with Partner Center" }).isDisabled()).toBe(true);
  expect(await page.textContent("#record-title + p")).toContain("Closed, read-only");
  await screenshot(page, "closed-won");
  await context.close();
});

test("markup in a referral's name, notes and Microsoft CRM id is shown as text, never run", async () => {
  const name = `<script>window.__pwned="name"</script>Lead <img src=x onerror="window.__pwned='name-img'">`;
  const notes = `<img src=x onerror="window.__pwned='notes'"> from Microsoft`;
  const msxId = `<img src=x onerror=alert(1)>`;
  const created = (await pcAdmin(session.sandbox, "POST", "referrals", {
    name,
    customerProfile: {
      name: "Woodgrove Bank Korea",
      address: { addressLine1: "1 Sejong-daero", city: "Seoul", postalCode: "04524", country: "KR" },
      team: [{ firstName: "Min-seo", lastName: "Han", email: "minseo.han@woodgrove.example" }],
    },
    consent: { consentToShareReferralWithMicrosoftSellers: true },
    details: { dealValue: 50000, currency: "USD", closingDateTime: "2027-09-30T00:00:00Z", notes },
  })) as Referral;
  await pcAdmin(session.sandbox, "PUT", `referrals/${created.id}/tracking`, { microsoftMsxId: msxId });
  await settle(session.sandbox);
  const opportunityId = await until("the opportunity Microsoft's referral became", async () => {
    const page = await adminWebApi(session.sandbox).retrieveMultipleRecords(
      "opportunity",
      `?$select=opportunityid,pcs_microsoftcrmid&$filter=pcs_referralid eq '${created.id}'`,
    );
    const row = page.entities[0];
    return row && row.pcs_microsoftcrmid === msxId ? String(row.opportunityid) : undefined;
  });

  const visit = await openSession(session.browser);
  const { page } = visit;
  await page.goto(session.formUrl(opportunityId, "emily"));
  await page.waitForSelector("body[data-form-ready]");
  const panel = page.locator("#pcf-SyncStatusPanel");
  await panel.getByText(msxId, { exact: true }).waitFor();
  expect(await page.textContent("#record-title")).toBe(name);
  expect(await page.inputValue("#field-description")).toContain(notes);
  expect(await page.locator("#form-root img, #form-root script").count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();

  await page.goto(`${session.sandbox.webUrl}/microsoft`);
  await page.waitForSelector("body[data-page-ready]");
  expect(await page.locator(`tr[data-referral-id="${created.id}"] .referral-name`).textContent()).toBe(name);
  expect(await page.locator("#microsoft-root img").count()).toBe(0);

  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  expect(visit.dialogs).toEqual([]);
  expect(visit.pageErrors).toEqual([]);
  await screenshot(page, "markup-inert");
  await visit.context.close();
});
