import { formatMessage } from "../../domain/messages";
import { evaluateReadiness } from "../../domain/readinessRules";
import { defaultReferenceData } from "../../domain/defaultReferenceData";
import * as Form from "../../webresources/src/opportunityForm";
import { readFormSnapshot } from "../../webresources/src/formSnapshot";
import { FakeProxy } from "./fakeProxy";
import {
  ACCOUNT_ID,
  CONTACT_ID,
  CURRENCY_ID,
  fastRuntime,
  FormHarness,
  MEMBER_ID,
  OPPORTUNITY_ID,
  OWNER_ID,
  readyValues,
} from "./formHarness";

describe("Pcs.OpportunityForm.onSyncChange (readiness on the form's values)", () => {
  let proxy: FakeProxy;
  beforeAll(async () => {
    proxy = await new FakeProxy().start();
  });
  afterAll(() => proxy.stop());
  beforeEach(() => fastRuntime());

  function form(values: Record<string, unknown> = {}, languageId = 1033): FormHarness {
    const f = new FormHarness({ values: { ...readyValues(), ...values }, languageId });
    f.useProxy(proxy.url);
    f.registerHandlers();
    Form.onLoad(f.eventContext());
    return f;
  }

  it("reads the related rows with one request each, builds the snapshot the domain expects", async () => {
    const f = form({ name: "Unsaved new topic", estimatedvalue: 99 });
    const snapshot = await readFormSnapshot(f.fc, Xrm.WebApi);
    expect(snapshot).toMatchObject({
      id: OPPORTUNITY_ID,
      name: "Unsaved new topic",
      estimatedValue: 99,
      estimatedCloseDate: "2099-03-31",
      state: "open",
      currency: { id: CURRENCY_ID, isoCode: "USD" },
      account: { id: ACCOUNT_ID, name: "Contoso Korea", address: { country: "South Korea", postalCode: "06236" } },
      customerContact: { id: CONTACT_ID, firstName: "Ji-woo", email: "jiwoo.kim@contoso-korea.example" },
      owner: { id: OWNER_ID, kind: "systemuser", email: "seoyeon.lee@contoso-partner.example" },
      salesTeam: [{ id: MEMBER_ID, kind: "systemuser", email: "hana.choi@contoso-partner.example" }],
      solutions: [{ solutionId: "SOL-AZ-MIGRATE-001" }],
      microsoftHelp: "ProofOfConceptOrDemo",
    });
    expect(f.webApiCalls.map((c) => `${c.method} ${c.table}`).sort()).toEqual([
      "retrieveMultipleRecords team",
      "retrieveRecord account",
      "retrieveRecord contact",
      "retrieveRecord opportunity",
      "retrieveRecord systemuser",
      "retrieveRecord transactioncurrency",
    ]);
    expect(f.webApiCalls.find((c) => c.table === "account")?.options).toBe(
      "?$select=name,address1_line1,address1_line2,address1_city,address1_stateorprovince,address1_postalcode,address1_country,numberofemployees",
    );
  });

  it("reads nothing for empty lookups and for a team owner", async () => {
    const f = form({
      parentcontactid: null,
      transactioncurrencyid: null,
      ownerid: { id: "{7EA70000-0000-4000-8000-000000000001}", entityType: "team", name: "Seoul Enterprise Sales" },
    });
    const snapshot = await readFormSnapshot(f.fc, Xrm.WebApi);
    expect(snapshot.owner).toMatchObject({ kind: "team", fullName: "Seoul Enterprise Sales" });
    expect(f.webApiCalls.map((c) => c.table).sort()).toEqual(["account", "opportunity", "team"]);
  });

  it("returns at once: the check runs in the background", async () => {
    const f = form();
    f.attribute("pcs_syncwithpartnercenter")!.setValue(true);
    const returned = Form.onSyncChange(f.eventContext()) as unknown;
    expect(returned).toBeUndefined();
    expect(f.value("pcs_syncwithpartnercenter")).toBe(true);
    expect(f.notification("pcs-readiness")?.message).toBe(
      "Checking whether this deal can be shared with Partner Center…",
    );
    await Form.whenIdle();
    expect(f.notification("pcs-readiness")?.message).toBe(
      "Ready to share: the referral is sent to Partner Center when you save.",
    );
  });

  it("keeps sync on for a ready deal, says what happens next, and calls no proxy", async () => {
    const f = form();
    f.toggleSync(true);
    expect(f.notification("pcs-readiness")).toMatchObject({
      level: "INFO",
      message: "Checking whether this deal can be shared with Partner Center…",
    });
    await Form.whenIdle();
    expect(f.value("pcs_syncwithpartnercenter")).toBe(true);
    expect(f.notifications()).toEqual([
      {
        uniqueId: "pcs-readiness",
        level: "INFO",
        message: "Ready to share: the referral is sent to Partner Center when you save.",
      },
    ]);
    expect(proxy.syncRequests).toHaveLength(0);
    expect(f.ribbonRefreshes).toBeGreaterThanOrEqual(1);
  });

  it("turns sync back off for a deal that is not ready and lists every fix from the domain rules", async () => {
    const f = form({ estimatedvalue: 0, parentcontactid: null });
    f.dataverse.solutions = [];
    f.dataverse.rows.account![ACCOUNT_ID]!.address1_country = "Korea";
    f.toggleSync(true);
    await Form.whenIdle();
    expect(f.value("pcs_syncwithpartnercenter")).toBe(false);
    const expectedFixes = [
      formatMessage("readiness.solution.missing", "en"),
      formatMessage("readiness.country.ambiguous", "en", {
        account: "Contoso Korea",
        value: "Korea",
        candidates: "KP, KR",
      }),
      formatMessage("readiness.contact.missing", "en"),
      formatMessage("readiness.value.notPositive", "en", { value: 0 }),
    ];
    expect(f.notifications()).toEqual([
      {
        uniqueId: "pcs-readiness-0",
        level: "WARNING",
        message: "Sync with Partner Center was turned off. Fix the following, then turn it on again:",
      },
      ...expectedFixes.map((message, i) => ({ uniqueId: `pcs-readiness-${i + 1}`, level: "ERROR", message })),
    ]);
    expect(proxy.syncRequests).toHaveLength(0);
  });

  it("lists the same failures the domain computes for the same snapshot (one source of truth)", async () => {
    const f = form({ estimatedclosedate: null });
    f.dataverse.rows.transactioncurrency![CURRENCY_ID]!.isocurrencycode = "WON";
    const snapshot = await readFormSnapshot(f.fc, Xrm.WebApi);
    const report = evaluateReadiness(snapshot, {
      now: new Date("2026-11-25T12:00:00Z"),
      hasReferral: false,
      reference: defaultReferenceData(),
    });
    f.toggleSync(true);
    await Form.whenIdle();
    expect(f.messages().slice(1)).toEqual(report.failures.map((x) => formatMessage(x.messageKey, "en", x.params)));
    expect(report.failures.map((x) => x.ruleId)).toEqual(["R4", "R6"]);
  });

  it("lists the fixes in Korean for a Korean user", async () => {
    const f = form({ estimatedvalue: null }, 1042);
    f.dataverse.solutions = [];
    f.toggleSync(true);
    await Form.whenIdle();
    expect(f.value("pcs_syncwithpartnercenter")).toBe(false);
    expect(f.messages()).toEqual([
      "Partner Center와 동기화가 해제되었습니다. 다음을 수정한 후 다시 켜세요:",
      formatMessage("readiness.solution.missing", "ko"),
      formatMessage("readiness.value.missing", "ko"),
    ]);
  });

  it("turns sync off and says why when the related rows cannot be read", async () => {
    const f = form();
    f.dataverse.failWith = "Network Error";
    f.toggleSync(true);
    await Form.whenIdle();
    expect(f.value("pcs_syncwithpartnercenter")).toBe(false);
    expect(f.notifications()).toEqual([
      {
        uniqueId: "pcs-readiness",
        level: "ERROR",
        message: "Could not check whether the deal is ready (Network Error). Sync stays off; try again.",
      },
    ]);
  });

  it("clears the fixes when the seller turns sync off, and says the referral stays in Partner Center", async () => {
    const f = form({ pcs_syncwithpartnercenter: true, pcs_referralid: "R-42" });
    f.toggleSync(false);
    await Form.whenIdle();
    expect(f.notifications()).toEqual([
      {
        uniqueId: "pcs-readiness",
        level: "INFO",
        message:
          "Sync is off. Referral R-42 stays in Partner Center but no longer receives changes from this opportunity.",
      },
    ]);
    expect(f.webApiCalls).toEqual([]);
  });

  it("lets the latest toggle win when the seller flips it back before the check ends", async () => {
    const f = form();
    f.dataverse.solutions = [];
    f.toggleSync(true);
    f.toggleSync(false);
    await Form.whenIdle();
    expect(f.value("pcs_syncwithpartnercenter")).toBe(false);
    expect(f.notifications()).toEqual([]);
  });

  it("accepts a closed deal that already has a referral (closing is an update)", async () => {
    const f = form({ statecode: 1, pcs_referralid: "R-42", estimatedclosedate: new Date(2020, 0, 1) });
    f.toggleSync(true);
    await Form.whenIdle();
    expect(f.value("pcs_syncwithpartnercenter")).toBe(true);
  });
});
