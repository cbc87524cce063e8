import { REFERRAL_STATUS_VALUES, REFERRAL_SUBSTATUS_VALUES, SYNC_STATE_VALUES } from "../../domain/choices";
import { formatMessage } from "../../domain/messages";
import * as Form from "../../webresources/src/opportunityForm";
import { FakeProxy } from "./fakeProxy";
import { fastRuntime, FormHarness, readyValues } from "./formHarness";

describe("Pcs.OpportunityForm.onLoad", () => {
  let proxy: FakeProxy;
  beforeAll(async () => {
    proxy = await new FakeProxy().start();
  });
  afterAll(() => proxy.stop());
  beforeEach(() => fastRuntime());

  function load(values: Record<string, unknown>, languageId = 1033): FormHarness {
    const form = new FormHarness({ values: { ...readyValues(), ...values }, languageId });
    form.useProxy(proxy.url);
    Form.onLoad(form.eventContext());
    return form;
  }

  it("shows nothing and reads nothing for an opportunity that was never synced", async () => {
    const form = load({});
    await Form.whenIdle();
    expect(form.notifications()).toEqual([]);
    expect(form.webApiCalls).toEqual([]);
    expect(proxy.syncRequests).toHaveLength(0);
  });

  it("shows the last error and its fix as an error notification when the last sync failed, without any request", async () => {
    const form = load({
      pcs_syncwithpartnercenter: true,
      pcs_syncstate: SYNC_STATE_VALUES.Error,
      pcs_lastsyncerror:
        "Partner Center refused the customer address: enter the two-letter country code (for example KR).",
    });
    await Form.whenIdle();
    expect(form.notification("pcs-sync-state")).toEqual({
      uniqueId: "pcs-sync-state",
      level: "ERROR",
      message:
        "The last Partner Center sync failed: Partner Center refused the customer address: enter the two-letter country code (for example KR).",
    });
    expect(form.webApiCalls).toEqual([]);
    expect(proxy.syncRequests).toHaveLength(0);
    expect(proxy.tokenRequests).toHaveLength(0);
  });

  it("shows the state of a synced opportunity with its referral id", () => {
    const form = load({
      pcs_syncwithpartnercenter: true,
      pcs_syncstate: SYNC_STATE_VALUES.Synced,
      pcs_referralid: "R-42",
    });
    expect(form.notification("pcs-sync-state")).toMatchObject({
      level: "INFO",
      message: "Synced with Partner Center (referral R-42).",
    });
  });

  it.each([
    ["Pending", "INFO", "Partner Center sync is in progress."],
    ["Deferred", "WARNING", "Partner Center sync is deferred until tomorrow: today's API limit is reached."],
    ["Blocked", "WARNING", "Partner Center sync is blocked until the deal is ready: Link at least one solution."],
  ] as const)("shows the %s state at level %s", (state, level, message) => {
    const form = load({
      pcs_syncwithpartnercenter: true,
      pcs_syncstate: SYNC_STATE_VALUES[state],
      pcs_lastsyncerror: "Link at least one solution.",
    });
    expect(form.notification("pcs-sync-state")).toMatchObject({ level, message });
  });

  it("locks what Partner Center owns, the help request and the given consent while the referral is open on Microsoft's side", () => {
    const form = load({
      pcs_syncwithpartnercenter: true,
      pcs_syncstate: SYNC_STATE_VALUES.Synced,
      pcs_referralid: "R-42",
      pcs_referralstatus: REFERRAL_STATUS_VALUES.Active,
      pcs_referralsubstatus: REFERRAL_SUBSTATUS_VALUES.Accepted,
      pcs_microsoftcrmid: "7-ABCDEF",
      pcs_sharewithmicrosoftsellers: true,
    });
    for (const column of [
      "pcs_referralstatus",
      "pcs_referralsubstatus",
      "pcs_microsoftcrmid",
      "pcs_microsofthelp",
      "pcs_sharewithmicrosoftsellers",
    ]) {
      expect([column, form.disabled(column)]).toEqual([column, true]);
    }
    // CRM-owned fields stay editable.
    for (const column of ["name", "estimatedvalue", "estimatedclosedate", "pcs_syncwithpartnercenter"]) {
      expect([column, form.disabled(column)]).toEqual([column, false]);
    }
  });

  it("leaves the help request and an unsent consent editable before there is a referral", () => {
    const form = load({ pcs_syncwithpartnercenter: true, pcs_syncstate: SYNC_STATE_VALUES.Pending });
    expect(form.disabled("pcs_microsofthelp")).toBe(false);
    expect(form.disabled("pcs_sharewithmicrosoftsellers")).toBe(false);
  });

  it("unlocks what it locked once the referral is closed, but keeps Partner Center's columns locked", () => {
    const form = load({
      pcs_syncwithpartnercenter: true,
      pcs_syncstate: SYNC_STATE_VALUES.Synced,
      pcs_referralid: "R-42",
      pcs_referralstatus: REFERRAL_STATUS_VALUES.New,
      pcs_referralsubstatus: REFERRAL_SUBSTATUS_VALUES.Pending,
    });
    expect(form.disabled("pcs_microsofthelp")).toBe(true);
    form.load({
      pcs_referralstatus: REFERRAL_STATUS_VALUES.Closed,
      pcs_referralsubstatus: REFERRAL_SUBSTATUS_VALUES.Won,
      statecode: 1,
    });
    expect(form.disabled("pcs_microsofthelp")).toBe(false);
    expect(form.disabled("pcs_referralstatus")).toBe(true);
  });

  it("tells the seller when Microsoft declined the referral and the opportunity is still open", () => {
    const form = load({
      pcs_syncwithpartnercenter: true,
      pcs_syncstate: SYNC_STATE_VALUES.Synced,
      pcs_referralid: "R-42",
      pcs_referralstatus: REFERRAL_STATUS_VALUES.Closed,
      pcs_referralsubstatus: REFERRAL_SUBSTATUS_VALUES.Declined,
    });
    expect(form.notification("pcs-referral-notice")).toEqual({
      uniqueId: "pcs-referral-notice",
      level: "WARNING",
      message: formatMessage("status.declinedByMicrosoft", "en"),
    });
  });

  it("speaks Korean to a Korean user (1042)", () => {
    const form = load(
      {
        pcs_syncwithpartnercenter: true,
        pcs_syncstate: SYNC_STATE_VALUES.Synced,
        pcs_referralid: "R-42",
        pcs_referralstatus: REFERRAL_STATUS_VALUES.Closed,
        pcs_referralsubstatus: REFERRAL_SUBSTATUS_VALUES.Expired,
      },
      1042,
    );
    expect(form.notification("pcs-sync-state")?.message).toBe("Partner Center와 동기화됨(추천 R-42).");
    expect(form.notification("pcs-referral-notice")?.message).toBe(formatMessage("status.expired", "ko"));
  });

  it("registers its post-save handler once however often the form loads", () => {
    const form = load({});
    Form.onLoad(form.eventContext());
    Form.onLoad(form.eventContext());
    const handlers = (form.fc.data.entity as unknown as { postSaveEventHandlers: unknown[] }).postSaveEventHandlers;
    expect(handlers).toHaveLength(1);
  });
});
