import * as Form from "../../webresources/src/opportunityForm";
import { configureRuntime } from "../../webresources/src/runtime";
import type { MsalClient, MsalModule } from "../../webresources/src/tokenSource";
import { FakeProxy } from "./fakeProxy";
import { fastRuntime, FormHarness, OPPORTUNITY_ID, readyValues, type HarnessOptions } from "./formHarness";

describe('"Sync now" command and its enable rule', () => {
  let proxy: FakeProxy;
  beforeAll(async () => {
    proxy = await new FakeProxy().start();
  });
  afterAll(() => proxy.stop());
  beforeEach(() => {
    fastRuntime();
    proxy.syncRequests.length = 0;
  });

  function form(values: Record<string, unknown> = {}, options: HarnessOptions = {}) {
    const f = new FormHarness({
      values: { ...readyValues(), pcs_syncwithpartnercenter: true, ...values },
      auditGrid: true,
      ...options,
    });
    f.useProxy(proxy.url);
    f.registerHandlers();
    Form.onLoad(f.eventContext());
    return f;
  }

  it.each([
    ["sync on, existing row, user can write", {}, {}, true],
    ["sync off", { pcs_syncwithpartnercenter: false }, {}, false],
    ["read-only form (no write access to the row)", {}, { formType: 3 }, false],
    ["disabled form", {}, { formType: 4 }, false],
    ["no update privilege on the sync column", {}, { canUpdateSync: false }, false],
    ["a new record not yet saved", {}, { id: null }, false],
  ] as const)("enabled when %s → %s", (_name, values, options, expected) => {
    const f = form(values, options);
    expect(Form.isSyncNowEnabled(f.fc)).toBe(expected);
  });

  it("is disabled without a form context", () => {
    expect(Form.isSyncNowEnabled(null as unknown as Xrm.FormContext)).toBe(false);
  });

  it("syncs with trigger 'sync-now' and shows the result", async () => {
    const f = form({ pcs_referralid: "R-42" });
    await Form.syncNow(f.fc);
    expect(proxy.syncRequests.map((r) => r.body)).toEqual([{ opportunityId: OPPORTUNITY_ID, trigger: "sync-now" }]);
    expect(f.notification("pcs-sync-result")?.level).toBe("INFO");
    expect(f.gridRefreshes).toBe(1);
  });

  it("saves unsaved edits first and still makes exactly one call", async () => {
    const f = form();
    f.setValue("estimatedvalue", 123456);
    await Form.syncNow(f.fc);
    await Form.whenIdle();
    expect(f.saveCalls).toHaveLength(1);
    expect(f.serverRow.estimatedvalue).toBe(123456);
    expect(proxy.syncRequests.map((r) => r.body)).toEqual([{ opportunityId: OPPORTUNITY_ID, trigger: "sync-now" }]);
  });

  it("finds the form's session when the command bar passes another formContext object for the same row", async () => {
    const f = form();
    f.setValue("estimatedvalue", 42);
    const primaryControl = Object.create(f.fc) as Xrm.FormContext;
    await Form.syncNow(primaryControl);
    await Form.whenIdle();
    expect(f.saveCalls).toHaveLength(1);
    expect(proxy.syncRequests.map((r) => (r.body as { trigger: string }).trigger)).toEqual(["sync-now"]);
  });

  it("does nothing for a user without write access", async () => {
    const f = form({}, { formType: 3 });
    await Form.syncNow(f.fc);
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(0);
    expect(f.notifications()).toEqual([]);
  });

  it("folds a second request made while one runs into one more run", async () => {
    const f = form();
    proxy.syncQueue.push({ type: "hang" });
    const arrived = new Promise<void>((resolve) => (proxy.onSyncArrived = resolve));
    const first = Form.syncNow(f.fc);
    await arrived;
    proxy.onSyncArrived = null;
    const second = Form.syncNow(f.fc);
    const third = Form.syncNow(f.fc);
    proxy.release();
    await Promise.all([first, second, third]);
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(2);
  });

  it("with MSAL, Sync now may open the sign-in popup; a save never does", async () => {
    class InteractionRequiredAuthError extends Error {
      errorCode = "interaction_required";
    }
    const methods: string[] = [];
    const client: MsalClient = {
      getActiveAccount: () => null,
      getAllAccounts: () => [],
      setActiveAccount: () => undefined,
      acquireTokenSilent: () => Promise.reject(new InteractionRequiredAuthError()),
      ssoSilent: () => {
        methods.push("ssoSilent");
        return Promise.reject(new InteractionRequiredAuthError());
      },
      acquireTokenPopup: () => {
        methods.push("acquireTokenPopup");
        return Promise.resolve({ accessToken: "msal-token", account: null });
      },
    };
    const module: MsalModule = {
      createStandardPublicClientApplication: () => Promise.resolve(client),
      InteractionRequiredAuthError,
    };
    configureRuntime({ timeoutMs: 400, retryDelayMs: 10, loadMsal: () => Promise.resolve(module) });
    proxy.accept("msal-token");
    const f = form();
    f.dataverse.env = {
      pcs_ProxyUrl: proxy.url,
      pcs_SignInTenantId: "contoso.onmicrosoft.com",
      pcs_SignInClientId: "client",
      pcs_SignInScope: "api://proxy/user_impersonation",
    };
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(methods).toEqual(["ssoSilent"]);
    expect(proxy.syncRequests).toHaveLength(0);
    expect(f.notification("pcs-sync-result")?.message).toContain(
      "You could not be signed in to the referral service (interaction_required)",
    );
    await Form.syncNow(f.fc);
    expect(methods).toEqual(["ssoSilent", "ssoSilent", "acquireTokenPopup"]);
    expect(proxy.syncRequests.map((r) => r.authorization)).toEqual(["Bearer msal-token"]);
    expect(f.notification("pcs-sync-result")?.level).toBe("INFO");
  });
});
