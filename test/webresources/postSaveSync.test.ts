import { formatMessage } from "../../domain/messages";
import { SYNC_STATE_VALUES } from "../../domain/choices";
import * as Form from "../../webresources/src/opportunityForm";
import { errorBody, FakeProxy, syncResponse } from "./fakeProxy";
import { fastRuntime, FormHarness, OPPORTUNITY_ID, readyValues } from "./formHarness";

describe("after save: POST /api/sync through the proxy", () => {
  let proxy: FakeProxy;
  beforeEach(async () => {
    fastRuntime();
    proxy = await new FakeProxy().start();
  });
  afterEach(() => proxy.stop());

  function form(
    values: Record<string, unknown> = {},
    options: { languageId?: number; withoutPostSave?: boolean; auditGrid?: boolean } = {},
  ) {
    const f = new FormHarness({ values: { ...readyValues(), ...values }, auditGrid: true, ...options });
    f.useProxy(proxy.url);
    f.registerHandlers();
    Form.onLoad(f.eventContext());
    return f;
  }

  /** The proxy's side effect on the row, as the real one writes it through Dataverse. */
  function proxyWritesSynced(f: FormHarness, referralId = "R-1001") {
    proxy.onSync = () => {
      Object.assign(f.serverRow, { pcs_syncstate: SYNC_STATE_VALUES.Synced, pcs_referralid: referralId });
      return { type: "json", status: 200, body: syncResponse({ outcome: "created", referralId }) };
    };
  }

  it("turning sync on and saving creates the referral: one call, progress, result, refreshed status", async () => {
    const f = form();
    proxyWritesSynced(f);
    f.toggleSync(true);
    await Form.whenIdle();
    let progressSeen: string | undefined;
    proxy.onSyncArrived = () => {
      progressSeen = f.notification("pcs-sync-progress")?.message;
    };
    const saved = f.save();
    await saved;
    // The save returned before the proxy answered: the form is never blocked by the sync.
    expect(proxy.syncRequests.length).toBeLessThanOrEqual(1);
    await Form.whenIdle();
    expect(progressSeen).toBe("Sending this opportunity to Partner Center…");
    expect(proxy.syncRequests).toHaveLength(1);
    expect(proxy.syncRequests[0]!.body).toEqual({ opportunityId: OPPORTUNITY_ID, trigger: "toggle" });
    expect(proxy.syncRequests[0]!.authorization).toBe("Bearer dev-token-1");
    expect(proxy.tokenRequests).toEqual([
      { userId: "5e5e0000-0000-4000-8000-000000000003", scope: "api://referral-proxy/user_impersonation" },
    ]);
    expect(f.notification("pcs-sync-progress")).toBeUndefined();
    expect(f.notification("pcs-sync-result")).toMatchObject({
      level: "INFO",
      message: "Shared with Partner Center as referral R-1001.",
    });
    // "Ready to share … when you save" no longer applies once it is shared.
    expect(f.notification("pcs-readiness")).toBeUndefined();
    expect(f.refreshCalls).toEqual([false]);
    expect(f.notification("pcs-sync-state")).toMatchObject({
      level: "INFO",
      message: "Synced with Partner Center (referral R-1001).",
    });
    expect(f.gridRefreshes).toBe(1);
  });

  it("the post-save handler returns before the proxy answers", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    proxy.syncQueue.push({ type: "hang" });
    f.setValue("estimatedvalue", 300000);
    const arrived = new Promise<void>((resolve) => (proxy.onSyncArrived = resolve));
    await f.save();
    await arrived;
    expect(f.notification("pcs-sync-progress")).toMatchObject({ level: "INFO" });
    expect(f.notification("pcs-sync-result")).toBeUndefined();
    proxy.release({ type: "json", status: 200, body: syncResponse({ outcome: "updated", referralId: "R-7" }) });
    await Form.whenIdle();
    expect(f.notification("pcs-sync-result")?.message).toBe("Partner Center referral R-7 updated.");
  });

  it("sync turned off on the server (row reloaded), then on again by the seller: trigger 'toggle' without other edits", async () => {
    const f = form({ pcs_syncwithpartnercenter: true, pcs_referralid: "R-7" });
    f.serverRow.pcs_syncwithpartnercenter = false;
    await f.fc.data.refresh(false);
    expect(f.value("pcs_syncwithpartnercenter")).toBe(false);
    f.toggleSync(true);
    await Form.whenIdle();
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests.map((r) => r.body)).toEqual([{ opportunityId: OPPORTUNITY_ID, trigger: "toggle" }]);
  });

  it("a mapped change on a synced opportunity sends trigger 'save'", async () => {
    const f = form({ pcs_syncwithpartnercenter: true, pcs_referralid: "R-7" });
    f.setValue("estimatedvalue", 300000);
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests.map((r) => r.body)).toEqual([{ opportunityId: OPPORTUNITY_ID, trigger: "save" }]);
  });

  it.each([
    ["an unmapped change", { pcs_syncwithpartnercenter: true }, "pcs_lastsyncerror"],
    ["sync off", { pcs_syncwithpartnercenter: false }, "estimatedvalue"],
  ])("%s makes no call", async (_name, values, column) => {
    const f = form(values);
    f.setValue(column, column === "estimatedvalue" ? 5 : "x");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(0);
    expect(f.notification("pcs-sync-progress")).toBeUndefined();
  });

  it("a failed save makes no call", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    f.setValue("estimatedvalue", 5);
    Form.onSave({
      getFormContext: () => f.fc,
      getEventArgs: () => ({ getSaveMode: () => 1 }),
    } as unknown as Xrm.Events.SaveEventContext);
    f.failedSave();
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(0);
  });

  it("without addOnPostSave the sync runs from the data OnLoad that follows the save", async () => {
    const f = form({ pcs_syncwithpartnercenter: true }, { withoutPostSave: true });
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests.map((r) => r.body)).toEqual([{ opportunityId: OPPORTUNITY_ID, trigger: "save" }]);
  });

  it("proxy down: says it cannot be reached, after one retry", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(1);
    f.refreshCalls.length = 0;
    await proxy.stop();
    f.setValue("name", "Renamed again");
    await f.save();
    await Form.whenIdle();
    expect(f.notification("pcs-sync-result")).toEqual({
      uniqueId: "pcs-sync-result",
      level: "ERROR",
      message: "The referral service cannot be reached (network error). Your changes are saved; use Sync now later.",
    });
    expect(f.refreshCalls).toEqual([]);
  });

  it("503 twice: two attempts, then 'cannot be reached (HTTP 503)'", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    proxy.syncQueue.push(
      { type: "json", status: 503, body: errorBody("unavailable", "Dataverse is not reachable") },
      { type: "json", status: 503, body: errorBody("unavailable", "Dataverse is not reachable") },
    );
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(2);
    expect(f.notification("pcs-sync-result")?.message).toBe(
      "The referral service cannot be reached (HTTP 503). Your changes are saved; use Sync now later.",
    );
  });

  it("a transient failure followed by success shows the success", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    proxy.syncQueue.push(
      { type: "destroy" },
      { type: "json", status: 200, body: syncResponse({ outcome: "unchanged" }) },
    );
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(2);
    expect(f.notification("pcs-sync-result")).toMatchObject({
      level: "INFO",
      message: "Partner Center is already up to date; nothing was sent.",
    });
  });

  it("a proxy that does not answer times out (and is retried once)", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    proxy.syncQueue.push({ type: "hang" }, { type: "hang" });
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(2);
    expect(f.notification("pcs-sync-result")?.message).toBe(
      "The referral service cannot be reached (no answer within 1 seconds). Your changes are saved; use Sync now later.",
    );
  });

  it("429 shows the wait from Retry-After and is not hammered", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    proxy.syncQueue.push({
      type: "json",
      status: 429,
      body: errorBody("throttled", "Too many requests"),
      headers: { "Retry-After": "42" },
    });
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(1);
    expect(f.notification("pcs-sync-result")).toEqual({
      uniqueId: "pcs-sync-result",
      level: "WARNING",
      message: "The referral service is busy. Try again in 42 seconds.",
    });
  });

  it("403: the user may not write the opportunity", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    proxy.syncQueue.push({
      type: "json",
      status: 403,
      body: errorBody("forbidden", "Principal user is missing prvWriteOpportunity"),
    });
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(f.notification("pcs-sync-result")).toMatchObject({
      level: "ERROR",
      message:
        "You do not have permission to update this opportunity, so it cannot be synced with Partner Center. Ask its owner or your administrator.",
    });
  });

  it("token failure: no call reaches the proxy and the seller is told to sign in again", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    proxy.tokenBehaviour = { status: 500 };
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(0);
    expect(f.notification("pcs-sync-result")).toEqual({
      uniqueId: "pcs-sync-result",
      level: "ERROR",
      message:
        "You could not be signed in to the referral service (development issuer answered HTTP 500). Refresh the page or sign in again, then use Sync now.",
    });
  });

  it("401 once: a fresh token and one more attempt", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    proxy.revokeTokens();
    f.setValue("name", "Renamed again");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests.map((r) => r.authorization)).toEqual([
      "Bearer dev-token-1",
      "Bearer dev-token-1",
      "Bearer dev-token-2",
    ]);
    expect(f.notification("pcs-sync-result")?.level).toBe("INFO");
  });

  it("blocked by the proxy's readiness check: the fixes are listed", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    proxy.syncQueue.push({
      type: "json",
      status: 200,
      body: syncResponse({
        outcome: "blocked",
        syncState: "Blocked",
        referralId: null,
        failures: [
          {
            ruleId: "R1",
            field: { table: "opportunity", column: "pcs_opportunity_microsoftsolution" },
            messageKey: "readiness.solution.missing",
            params: {},
          },
        ],
      }),
    });
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(f.notifications().filter((n) => n.uniqueId.startsWith("pcs-sync-result"))).toEqual([
      {
        uniqueId: "pcs-sync-result-0",
        level: "WARNING",
        message: "Partner Center sync is blocked until the deal is ready. Fix the following:",
      },
      { uniqueId: "pcs-sync-result-1", level: "ERROR", message: formatMessage("readiness.solution.missing", "en") },
    ]);
  });

  it("deferred (daily quota): a warning with when it runs again", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    proxy.syncQueue.push({
      type: "json",
      status: 200,
      body: syncResponse({ outcome: "deferred", syncState: "Deferred", nextRetryOn: "2026-11-26T00:05:00Z" }),
    });
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    const result = f.notification("pcs-sync-result");
    expect(result?.level).toBe("WARNING");
    expect(result?.message).toMatch(
      /^Today's Partner Center API limit is reached\. The sync runs again Nov 2[56], 2026/,
    );
  });

  it("failed with the proxy's message from the domain catalogue, in Korean for a Korean user", async () => {
    const f = form({ pcs_syncwithpartnercenter: true }, { languageId: 1042 });
    proxy.syncQueue.push({
      type: "json",
      status: 200,
      body: syncResponse({
        outcome: "failed",
        syncState: "Error",
        message: { key: "transition.terminal", params: { from: "Closed/Won", to: "Closed/Lost" } },
      }),
    });
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(f.notification("pcs-sync-result")).toMatchObject({
      level: "ERROR",
      message: `Partner Center와 동기화하지 못했습니다: ${formatMessage("transition.terminal", "ko", { from: "Closed/Won", to: "Closed/Lost" })}`,
    });
  });

  it("Korean user: progress and failure in Korean", async () => {
    const f = form({ pcs_syncwithpartnercenter: true }, { languageId: 1042 });
    proxy.syncQueue.push({
      type: "json",
      status: 429,
      body: errorBody("throttled", "busy"),
      headers: { "Retry-After": "30" },
    });
    let progress: string | undefined;
    proxy.onSyncArrived = () => (progress = f.notification("pcs-sync-progress")?.message);
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(progress).toBe("이 영업 기회를 Partner Center로 보내는 중…");
    expect(f.notification("pcs-sync-result")?.message).toBe("추천 서비스가 사용 중입니다. 30초 후에 다시 시도하세요.");
  });

  it("not configured: names the missing environment variable and calls nothing", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    f.dataverse.env = { pcs_ProxyUrl: null };
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(0);
    expect(f.notification("pcs-sync-result")?.message).toBe(
      "The referral service is not configured: the environment variable pcs_ProxyUrl has no value. Ask your administrator.",
    );
  });

  it("unsaved edits made while the sync ran are kept: the status is shown without reloading the row", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    proxy.syncQueue.push({ type: "hang" });
    f.setValue("name", "Renamed");
    const arrived = new Promise<void>((resolve) => (proxy.onSyncArrived = resolve));
    await f.save();
    await arrived;
    f.setValue("description", "typed while syncing");
    proxy.release({ type: "json", status: 200, body: syncResponse({ outcome: "created", referralId: "R-9" }) });
    await Form.whenIdle();
    expect(f.refreshCalls).toEqual([]);
    expect(f.value("description")).toBe("typed while syncing");
    expect(f.value("pcs_referralid")).toBe("R-9");
    expect(f.value("pcs_syncstate")).toBe(SYNC_STATE_VALUES.Synced);
    expect(f.attribute("pcs_referralid")?.getSubmitMode()).toBe("never");
    expect(f.notification("pcs-sync-state")?.message).toBe("Synced with Partner Center (referral R-9).");
  });

  it("uses the configured proxy URL with a trailing slash and the sync path", async () => {
    const f = form({ pcs_syncwithpartnercenter: true });
    f.dataverse.env = { ...f.dataverse.env, pcs_ProxyUrl: `${proxy.url}/` };
    f.setValue("name", "Renamed");
    await f.save();
    await Form.whenIdle();
    expect(proxy.syncRequests).toHaveLength(1);
  });
});
