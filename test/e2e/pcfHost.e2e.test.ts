import { openSession, sandboxPerFile } from "./browserSession";

/**
 * The PCF host on its own (`/pcf-host`, `window.PcsPcfHost`): the built status panel mounted with synthetic
 * audit rows and no Dataverse behind it, as a benchmark mounts it.
 */

const session = sandboxPerFile();

test("the built SyncStatusPanel mounts with 5,000 synthetic audit rows and keeps the list virtualized", async () => {
  const { page, context, pageErrors } = await openSession(session.browser);
  await page.goto(`${session.sandbox.webUrl}/pcf-host`);
  const result = await page.evaluate(async () => {
    const host = (window as unknown as { PcsPcfHost: Record<string, unknown> }).PcsPcfHost as {
      loadControl(url: string, lcid: number): Promise<unknown>;
      HostedControl: new (options: unknown) => { destroy(): void };
    };
    const id = "0bb00000-0000-4000-8000-0000000000ff";
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      pcs_referralsyncauditid: `a0000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      createdon: new Date(Date.UTC(2026, 10, 1) - i * 60_000).toISOString(),
      pcs_direction: 100000000,
      pcs_trigger: 100000000,
      pcs_operation: 100000001,
      pcs_result: i % 10 === 0 ? 100000001 : 100000000,
      pcs_apicallsused: 1,
      pcs_message: `Synthetic attempt ${i}`,
    }));
    const webAPI = {
      retrieveRecord: async () => ({ opportunityid: id, pcs_syncwithpartnercenter: true, pcs_syncstate: 100000002 }),
      retrieveMultipleRecords: async (table: string) =>
        table === "pcs_referralsyncaudit" ? { entities: rows } : { entities: [] },
      updateRecord: async () => ({ id, entityType: "opportunity" }),
      createRecord: async () => ({ id, entityType: "opportunity" }),
      deleteRecord: async () => ({ id, entityType: "opportunity" }),
    };
    const control = await host.loadControl("/controls/SyncStatusPanel/", 1033);
    const container = document.getElementById("pcf-container") as HTMLElement;
    new host.HostedControl({
      control,
      container,
      bound: {
        syncState: {
          raw: () => 100000002,
          formatted: () => "Synced",
          displayName: "Sync state",
          options: [],
          editable: () => false,
        },
      },
      inputs: { pageSize: 5000 },
      environment: {
        webAPI,
        lcid: 1033,
        user: { systemUserId: "5e5e0000-0000-4000-8000-000000000004", userName: "Bench", timeZoneOffsetMinutes: 0 },
        contextInfo: () => ({ entityId: id, entityTypeName: "opportunity", entityRecordName: "Bench" }),
        isControlDisabled: () => false,
        navigation: {
          openForm: async () => ({}),
          openUrl: () => undefined,
          openConfirmDialog: async () => ({ confirmed: false }),
          openAlertDialog: async () => undefined,
        },
        hasEntityPrivilege: () => true,
      },
    });
    for (let i = 0; i < 200 && !container.textContent?.includes("Synthetic attempt 0"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const text = container.textContent ?? "";
    return {
      first: text.includes("Synthetic attempt 0"),
      inDom: (text.match(/Synthetic attempt \d+/g) ?? []).length,
    };
  });
  expect(pageErrors).toEqual([]);
  expect(result.first).toBe(true);
  expect(result.inDom).toBeGreaterThan(0);
  expect(result.inDom).toBeLessThanOrEqual(100);
  await context.close();
});
