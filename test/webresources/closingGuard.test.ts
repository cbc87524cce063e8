import { XrmMockGenerator } from "xrm-mock";
import * as Form from "../../webresources/src/opportunityForm";
import { FakeProxy } from "./fakeProxy";
import { fastRuntime, FormHarness, OPPORTUNITY_ID, readyValues } from "./formHarness";

describe("closing guard (onSave) and the close dialog (onCloseDialogSave)", () => {
  let proxy: FakeProxy;
  beforeAll(async () => {
    proxy = await new FakeProxy().start();
  });
  afterAll(() => proxy.stop());
  beforeEach(() => {
    fastRuntime();
    proxy.syncRequests.length = 0;
  });

  function form(values: Record<string, unknown> = {}, languageId = 1033) {
    const f = new FormHarness({
      values: { ...readyValues(), pcs_syncwithpartnercenter: true, pcs_referralid: "R-42", ...values },
      languageId,
    });
    f.useProxy(proxy.url);
    f.registerHandlers();
    Form.onLoad(f.eventContext());
    return f;
  }

  it("asks before saving a synced opportunity as Won; confirming saves it and syncs the close", async () => {
    const f = form();
    f.confirmAnswer = true;
    f.setValue("statecode", 1);
    f.setValue("statuscode", 3);
    await expect(f.save()).rejects.toThrow("cancelled");
    expect(f.confirmCalls).toEqual([
      {
        title: "Close the referral in Partner Center?",
        text: "This opportunity is synced with Partner Center. Closing it as Won also closes its referral in Partner Center, and a closed referral can never be reopened. Continue?",
        confirmButtonLabel: "Close in Partner Center",
        cancelButtonLabel: "Keep it open",
      },
    ]);
    await Form.whenIdle();
    expect(f.saveCalls).toEqual([{ saveMode: 1 }, { saveMode: 1 }]);
    expect(f.serverRow.statecode).toBe(1);
    expect(proxy.syncRequests.map((r) => r.body)).toEqual([{ opportunityId: OPPORTUNITY_ID, trigger: "save" }]);
    expect(f.closeCalls).toBe(0);
  });

  it("cancelling prevents the save: nothing written, nothing sent, the seller is told", async () => {
    const f = form();
    f.confirmAnswer = false;
    f.setValue("statecode", 2);
    await expect(f.save()).rejects.toThrow();
    await Form.whenIdle();
    expect(f.confirmCalls[0]?.text).toContain("Closing it as Lost");
    expect(f.saveCalls).toHaveLength(1);
    expect(f.serverRow.statecode).toBe(0);
    expect(proxy.syncRequests).toHaveLength(0);
    expect(f.notification("pcs-closing")).toEqual({
      uniqueId: "pcs-closing",
      level: "WARNING",
      message: "Not saved: the opportunity and its Partner Center referral stay open.",
    });
  });

  it("a status reason of Out-Sold counts as Lost", async () => {
    const f = form();
    f.confirmAnswer = false;
    f.setValue("statuscode", 5);
    await expect(f.save()).rejects.toThrow();
    await Form.whenIdle();
    expect(f.confirmCalls[0]?.text).toContain("as Lost");
  });

  it("Save & Close: after confirming, saves with the same mode and closes the form", async () => {
    const f = form();
    f.setValue("statecode", 1);
    await expect(f.save(2)).rejects.toThrow();
    await Form.whenIdle();
    expect(f.saveCalls).toEqual([{ saveMode: 2 }, { saveMode: 2 }]);
    expect(f.closeCalls).toBe(1);
  });

  it("asks in Korean for a Korean user", async () => {
    const f = form({}, 1042);
    f.confirmAnswer = false;
    f.setValue("statecode", 1);
    await expect(f.save()).rejects.toThrow();
    await Form.whenIdle();
    expect(f.confirmCalls[0]).toMatchObject({
      title: "Partner Center에서 추천을 종료하시겠습니까?",
      confirmButtonLabel: "Partner Center에서 종료",
      cancelButtonLabel: "열린 상태로 유지",
    });
    expect(f.confirmCalls[0]?.text).toContain("성사(으)로 종료하면");
    expect(f.notification("pcs-closing")?.message).toBe(
      "저장하지 않았습니다. 영업 기회와 Partner Center 추천은 열린 상태로 유지됩니다.",
    );
  });

  it("does not ask when sync is off, nor for an ordinary save", async () => {
    const off = form({ pcs_syncwithpartnercenter: false });
    off.setValue("statecode", 1);
    await off.save();
    expect(off.confirmCalls).toHaveLength(0);
    expect(off.serverRow.statecode).toBe(1);

    const ordinary = form();
    ordinary.setValue("estimatedvalue", 1);
    await ordinary.save();
    await Form.whenIdle();
    expect(ordinary.confirmCalls).toHaveLength(0);
  });

  describe("the Opportunity Close dialog (opportunityclose quick create)", () => {
    function closeDialog(opportunitySynced: boolean | "unreadable", statecode: number) {
      const f = new FormHarness({ values: {}, id: null, entityName: "opportunityclose" });
      XrmMockGenerator.Attribute.createLookup("opportunityid", {
        id: `{${OPPORTUNITY_ID}}`,
        entityType: "opportunity",
        name: "Contoso",
      });
      XrmMockGenerator.Attribute.createOptionSet("opportunitystatecode", statecode, [
        { text: "Won", value: 1 },
        { text: "Lost", value: 2 },
      ]);
      if (opportunitySynced === "unreadable") f.dataverse.failWith = "Network Error";
      else f.dataverse.rows.opportunity![OPPORTUNITY_ID] = { pcs_syncwithpartnercenter: opportunitySynced };
      f.addSaveHandler((context) => Form.onCloseDialogSave(context));
      return f;
    }

    it("asks for a synced opportunity; cancelling keeps it open", async () => {
      const f = closeDialog(true, 2);
      f.confirmAnswer = false;
      await expect(f.save()).rejects.toThrow();
      await Form.whenIdle();
      expect(f.webApiCalls).toEqual([
        {
          method: "retrieveRecord",
          table: "opportunity",
          id: OPPORTUNITY_ID,
          options: "?$select=pcs_syncwithpartnercenter",
        },
      ]);
      expect(f.confirmCalls[0]?.text).toContain("Closing it as Lost");
      expect(f.saveCalls).toHaveLength(1);
      expect(f.notification("pcs-closing")?.level).toBe("WARNING");
    });

    it("confirming saves the dialog once more, let through", async () => {
      const f = closeDialog(true, 1);
      await expect(f.save()).rejects.toThrow();
      await Form.whenIdle();
      expect(f.saveCalls).toEqual([{ saveMode: 1 }, { saveMode: 1 }]);
      expect(f.confirmCalls).toHaveLength(1);
    });

    it("an opportunity without sync closes without a question", async () => {
      const f = closeDialog(false, 1);
      await expect(f.save()).rejects.toThrow();
      await Form.whenIdle();
      expect(f.confirmCalls).toHaveLength(0);
      expect(f.saveCalls).toHaveLength(2);
    });

    it("asks when the opportunity cannot be read, rather than close a referral silently", async () => {
      const f = closeDialog("unreadable", 1);
      f.confirmAnswer = false;
      await expect(f.save()).rejects.toThrow();
      await Form.whenIdle();
      expect(f.confirmCalls).toHaveLength(1);
      expect(f.saveCalls).toHaveLength(1);
    });
  });
});
