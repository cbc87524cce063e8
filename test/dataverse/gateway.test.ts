import { defaultReferenceData, evaluateReadiness, SYNC_STATE_VALUES, type ReadinessRuleId } from "../../domain";
import { DataverseGateway, DataverseRequestError } from "../../plugins-ts/src/dataverse/dataverseGateway";
import { StaticTokenProvider } from "../../plugins-ts/src/dataverse/tokenProvider";
import type { DataverseEmulator } from "../emulators/dataverse/server";
import { clientFor, SEED, startEmulator } from "./fixture";

let emulator: DataverseEmulator;
let gateway: DataverseGateway;

beforeAll(async () => {
  emulator = await startEmulator();
  gateway = new DataverseGateway({ serverUrl: emulator.url, tokenProvider: new StaticTokenProvider("emulator-token") });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const NOW = new Date("2026-11-25T12:00:00Z");
const readiness = async (id: string) => {
  const read = await gateway.readSnapshot(id);
  if (!read) throw new Error(`seed opportunity ${id} missing`);
  return {
    read,
    report: evaluateReadiness(read.snapshot, { now: NOW, hasReferral: false, reference: defaultReferenceData() }),
  };
};
const failedRules = (ids: ReadinessRuleId[]) => [...new Set(ids)].sort();

describe("snapshot read", () => {
  it("reads a ready opportunity in one HTTP request, flattened into the domain snapshot", async () => {
    const before = emulator.requestCount();
    const { read, report } = await readiness(SEED.opportunities.contosoReady);
    expect(emulator.requestCount() - before).toBe(1);
    const s = read.snapshot;
    expect(s).toMatchObject({
      id: SEED.opportunities.contosoReady,
      name: "Contoso Korea – Azure migration",
      state: "open",
      estimatedValue: 250000,
      estimatedCloseDate: "2027-03-31",
      microsoftHelp: "ProofOfConceptOrDemo",
      shareWithMicrosoftSellers: true,
      currency: { id: SEED.currencies.usd, isoCode: "USD" },
      customerContact: {
        id: SEED.contacts.seoyeon,
        firstName: "Seo-yeon",
        lastName: "Lee",
        email: "seoyeon.lee@contoso-korea.example",
      },
      owner: {
        id: SEED.users.jiwoo,
        kind: "systemuser",
        email: "jiwoo.kim@contoso-korea.example".replace("contoso-korea", "contoso-partner"),
      },
    });
    expect(s.account?.address).toMatchObject({ country: "South Korea", postalCode: "06236", city: "Seoul" });
    expect(s.account?.numberOfEmployees).toBe(1200);
    expect(s.solutions.map((x) => x.solutionId)).toEqual(["SOL-AZ-MIGRATE-001"]);
    expect(s.salesTeam.map((m) => m.id).sort()).toEqual([SEED.users.jiwoo, SEED.users.emily].sort());
    expect(s.modifiedOn).toBe("2026-11-01T09:00:00.000Z");
    expect(read.etag).toMatch(/^W\/"\d+"$/);
    expect(read.sync).toMatchObject({
      syncEnabled: false,
      syncState: "NotSynced",
      referralId: null,
      fingerprint: null,
    });
    expect(report.failures).toEqual([]);
    expect(report.ready).toBe(true);
    expect(report.countryCode).toBe("KR");
  });

  it("reads the Korean-language ready opportunity (KRW, 대한민국)", async () => {
    const { read, report } = await readiness(SEED.opportunities.hanbitReady);
    expect(read.snapshot.currency?.isoCode).toBe("KRW");
    expect(read.snapshot.account?.name).toBe("한빛소프트웨어");
    expect(read.snapshot.solutions).toHaveLength(2);
    expect(report.ready).toBe(true);
    expect(report.currencyCode).toBe("KRW");
  });

  it("reads not-ready opportunities whose gaps the readiness rules name", async () => {
    const fabrikam = await readiness(SEED.opportunities.fabrikamNotReady);
    expect(fabrikam.report.ready).toBe(false);
    expect(failedRules(fabrikam.report.failures.map((f) => f.ruleId))).toEqual(["R1", "R3"]);
    expect(fabrikam.read.snapshot.solutions).toEqual([]);

    const northwind = await readiness(SEED.opportunities.northwindNotReady);
    expect(failedRules(northwind.report.failures.map((f) => f.ruleId))).toEqual(["R2", "R4", "R6", "R7"]);
    expect(northwind.read.snapshot.currency).toBeNull();
    expect(northwind.read.snapshot.salesTeam.find((m) => m.id === SEED.users.disabled)?.isDisabled).toBe(true);

    const adventure = await readiness(SEED.opportunities.adventureClosed);
    expect(adventure.read.snapshot.state).toBe("won");
    expect(adventure.read.snapshot.owner).toMatchObject({ kind: "team", fullName: "Seoul Enterprise Sales" });
    expect(failedRules(adventure.report.failures.map((f) => f.ruleId))).toEqual(["R1", "R2", "R5", "R7"]);
  });

  it("returns null for a missing opportunity and refuses a non-GUID id", async () => {
    expect(await gateway.readSnapshot("0bb00000-0000-4000-8000-0000000000ff")).toBeNull();
    await expect(gateway.readSnapshot("../accounts")).rejects.toBeInstanceOf(DataverseRequestError);
  });
});

describe("writes", () => {
  it("writes sync state, fingerprint, ETag and Partner Center fields in one PATCH guarded by If-Match", async () => {
    const { read } = await readiness(SEED.opportunities.contosoReady);
    const before = emulator.requestCount();
    const outcome = await gateway.writeSyncFields(
      SEED.opportunities.contosoReady,
      {
        syncState: "Synced",
        referralId: "7f3c9d2e-1111-4a4a-9b9b-000000000001",
        referralStatus: "New",
        referralSubstatus: "Pending",
        referralEtag: '"pc-etag-1"',
        fingerprint: "v1:abc",
        lastSyncOn: "2026-11-25T12:00:00Z",
        lastSyncError: null,
        nextRetryOn: null,
      },
      read.etag,
    );
    expect(emulator.requestCount() - before).toBe(1);
    expect(outcome.ok).toBe(true);
    const after = await gateway.readSnapshot(SEED.opportunities.contosoReady);
    expect(outcome.ok && outcome.etag).toBe(after?.etag);
    expect(after?.sync).toMatchObject({
      syncState: "Synced",
      referralId: "7f3c9d2e-1111-4a4a-9b9b-000000000001",
      referralStatus: "New",
      referralSubstatus: "Pending",
      referralEtag: '"pc-etag-1"',
      fingerprint: "v1:abc",
      lastSyncOn: "2026-11-25T12:00:00.000Z",
    });
    const raw = (await clientFor(emulator).retrieve({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      select: ["pcs_syncstate"],
    })) as Record<string, unknown>;
    expect(raw.pcs_syncstate).toBe(SYNC_STATE_VALUES.Synced);
  });

  it("reports a stale ETag as a conflict and changes nothing", async () => {
    const { read } = await readiness(SEED.opportunities.contosoReady);
    expect(
      (await gateway.writeSyncFields(SEED.opportunities.contosoReady, { syncState: "Pending" }, read.etag)).ok,
    ).toBe(true);
    const second = await gateway.writeSyncFields(SEED.opportunities.contosoReady, { syncState: "Error" }, read.etag);
    expect(second).toEqual({ ok: false, reason: "conflict" });
    expect((await gateway.readSnapshot(SEED.opportunities.contosoReady))?.sync.syncState).toBe("Pending");
  });

  it("acts as the calling user: a read-only seller is refused with 403, the owner may write", async () => {
    const { read } = await readiness(SEED.opportunities.contosoReady);
    const asDaniel = gateway.asUser(SEED.aad.readOnly);
    await expect(
      asDaniel.writeSyncFields(SEED.opportunities.contosoReady, { syncEnabled: true }, read.etag),
    ).rejects.toMatchObject({ status: 403, code: "0x80040220" });
    expect((await asDaniel.whoAmI()).userId).toBe(SEED.users.readOnly);
    const asOwner = gateway.asUser(SEED.aad.jiwoo);
    expect((await asOwner.writeSyncFields(SEED.opportunities.contosoReady, { syncEnabled: true }, read.etag)).ok).toBe(
      true,
    );
    // The snapshot read runs as the user too (one batch, impersonated).
    expect((await asOwner.readSnapshot(SEED.opportunities.contosoReady))?.sync.syncEnabled).toBe(true);
  });

  it("creates audit rows bound to the opportunity and lists them newest first", async () => {
    await gateway.createAudit({
      opportunityId: SEED.opportunities.contosoReady,
      direction: "CrmToPartnerCenter",
      trigger: "toggle",
      operation: "blocked",
      result: "blocked",
      apiCallsUsed: 0,
      fixHintKey: "readiness.solution.missing",
    });
    // createdon has seconds precision, as in Dataverse: let the second row be written two seconds later.
    const realNow = Date.now;
    const later = realNow() + 2000;
    const clock = jest.spyOn(Date, "now").mockImplementation(() => later);
    await gateway.createAudit({
      opportunityId: SEED.opportunities.contosoReady,
      direction: "CrmToPartnerCenter",
      trigger: "sync-now",
      operation: "create",
      result: "succeeded",
      httpStatus: 201,
      apiCallsUsed: 1,
      changedPaths: ["/name", "/details/dealValue"],
      attemptNumber: 1,
      correlationId: "corr-1",
      message: "x".repeat(5000),
    });
    clock.mockRestore();
    const rows = await gateway.listAudit(SEED.opportunities.contosoReady);
    expect(rows.map((r) => r.operation)).toEqual(["create", "blocked"]);
    expect(rows[0]).toMatchObject({
      opportunityId: SEED.opportunities.contosoReady,
      direction: "CrmToPartnerCenter",
      trigger: "sync-now",
      result: "succeeded",
      httpStatus: 201,
      apiCallsUsed: 1,
      changedPaths: ["/name", "/details/dealValue"],
      attemptNumber: 1,
      correlationId: "corr-1",
    });
    expect(rows[0]?.message?.length).toBe(4000);
    expect(rows[1]).toMatchObject({ result: "blocked", fixHintKey: "readiness.solution.missing", changedPaths: [] });
    // The status panel reads the same rows with labels from the schema.
    const labelled = await clientFor(emulator).retrieve({
      collection: "pcs_referralsyncaudits",
      key: rows[0]!.id,
      select: ["pcs_trigger", "pcs_operation"],
      includeAnnotations: "OData.Community.Display.V1.FormattedValue",
    });
    expect([labelled.pcs_trigger_Formatted, labelled.pcs_operation_Formatted]).toEqual(["Sync now", "Create"]);
  });

  it("lists due retries from the schedule stored on the opportunity", async () => {
    const a = await readiness(SEED.opportunities.contosoReady);
    const b = await readiness(SEED.opportunities.hanbitReady);
    await gateway.writeSyncFields(
      SEED.opportunities.contosoReady,
      { syncEnabled: true, nextRetryOn: "2026-11-25T11:00:00Z", syncAttempt: 2 },
      a.read.etag,
    );
    await gateway.writeSyncFields(
      SEED.opportunities.hanbitReady,
      { syncEnabled: true, nextRetryOn: "2026-11-25T13:00:00Z", syncAttempt: 1 },
      b.read.etag,
    );
    // A schedule left on a row whose sync was turned off is not due.
    const c = await readiness(SEED.opportunities.fabrikamNotReady);
    await gateway.writeSyncFields(
      SEED.opportunities.fabrikamNotReady,
      { nextRetryOn: "2026-11-25T10:00:00Z" },
      c.read.etag,
    );
    const due = await gateway.listDueRetries(NOW);
    expect(due.map((d) => d.opportunityId)).toEqual([SEED.opportunities.contosoReady]);
    expect(due[0]).toMatchObject({ attempt: 2, nextRetryOn: "2026-11-25T11:00:00.000Z" });
    expect((await gateway.listDueRetries(new Date("2026-11-26T00:00:00Z"))).map((d) => d.opportunityId)).toHaveLength(
      2,
    );
  });

  it("keeps watermarks and counters in state rows with create-only and If-Match writes", async () => {
    expect(await gateway.readState("reconcile.watermark")).toBeNull();
    const created = await gateway.writeState("reconcile.watermark", { value: "2026-11-25T10:00:00Z" }, null);
    expect(created.ok).toBe(true);
    expect(await gateway.writeState("reconcile.watermark", { value: "lost race" }, null)).toEqual({
      ok: false,
      reason: "conflict",
    });
    const row = await gateway.readState("reconcile.watermark");
    expect(row?.value).toBe("2026-11-25T10:00:00.000Z");
    const moved = await gateway.writeState("reconcile.watermark", { value: "2026-11-25T11:00:00Z" }, row!.etag);
    expect(moved.ok).toBe(true);
    expect(await gateway.writeState("reconcile.watermark", { value: "stale" }, row!.etag)).toEqual({
      ok: false,
      reason: "conflict",
    });
    expect((await gateway.readState("reconcile.watermark"))?.value).toBe("2026-11-25T11:00:00.000Z");
  });

  it("reads environment variables: a value row wins over the default", async () => {
    const api = clientFor(emulator);
    await api.create({
      collection: "environmentvariablevalues",
      data: {
        schemaname: "pcs_ProxyUrl",
        value: "https://proxy.example",
        "EnvironmentVariableDefinitionId@odata.bind":
          "/environmentvariabledefinitions(e0de0000-0000-4000-8000-000000000001)",
      },
    });
    const vars = await gateway.readEnvironmentVariables();
    expect(vars.pcs_ProxyUrl).toBe("https://proxy.example");
    expect(vars.pcs_PartnerCenterPortalBaseUrl).toBe("https://partner.microsoft.com/dashboard/referrals/v2/leads");
    expect(vars.pcs_SignInTenantId).toBeNull();
  });

  it("lists every sync-enabled open opportunity across pages", async () => {
    const api = clientFor(emulator);
    for (const id of [
      SEED.opportunities.contosoReady,
      SEED.opportunities.hanbitReady,
      SEED.opportunities.adventureClosed,
    ]) {
      await api.update({ collection: "opportunities", key: id, data: { pcs_syncwithpartnercenter: true } });
    }
    const ids = await gateway.listSyncEnabled(1);
    expect(ids.sort()).toEqual([SEED.opportunities.contosoReady, SEED.opportunities.hanbitReady].sort());
  });
});

describe("inbound deals (Microsoft referrals without an opportunity)", () => {
  it("matches accounts by name + postal code, contacts by email and currencies by ISO code", async () => {
    expect(await gateway.findAccount("contoso KOREA", "06236")).toBe(SEED.accounts.contoso);
    expect(await gateway.findAccount("Contoso Korea", "99999")).toBeNull();
    expect(await gateway.findAccount("O'Brien & Sons", null)).toBeNull();
    expect(await gateway.findContactByEmail("SEOYEON.LEE@contoso-korea.example")).toBe(SEED.contacts.seoyeon);
    expect(await gateway.findContactByEmail("nobody@example.com")).toBeNull();
    expect(await gateway.findCurrencyId("KRW")).toBe(SEED.currencies.krw);
    expect(await gateway.findCurrencyId("XYZ")).toBeNull();
  });

  it("creates account, contact and opportunity in one atomic change set", async () => {
    const before = emulator.requestCount();
    const created = await gateway.createDeal({
      account: {
        create: {
          name: "Woodgrove Bank Korea",
          address: { city: "Seoul", postalCode: "04538", country: "KR" },
          numberOfEmployees: 900,
        },
      },
      contact: { create: { firstName: "Hana", lastName: "Yoon", email: "hana.yoon@woodgrove.example", phone: null } },
      opportunity: {
        name: "Woodgrove – Azure OpenAI",
        estimatedValue: 80000,
        estimatedCloseDate: "2027-04-30",
        currencyId: SEED.currencies.usd,
        ownerUserId: SEED.users.emily,
        sync: {
          syncEnabled: true,
          referralId: "ref-inbound-1",
          syncState: "Synced",
          referralStatus: "New",
          referralSubstatus: "Received",
        },
      },
    });
    expect(emulator.requestCount() - before).toBe(1);
    const read = await gateway.readSnapshot(created.opportunityId);
    expect(read?.snapshot).toMatchObject({
      name: "Woodgrove – Azure OpenAI",
      estimatedValue: 80000,
      estimatedCloseDate: "2027-04-30",
      account: { id: created.accountId, name: "Woodgrove Bank Korea", address: { postalCode: "04538", country: "KR" } },
      customerContact: { id: created.contactId, email: "hana.yoon@woodgrove.example" },
      currency: { isoCode: "USD" },
      owner: { id: SEED.users.emily },
    });
    expect(read?.sync).toMatchObject({ syncEnabled: true, referralId: "ref-inbound-1", referralSubstatus: "Received" });
    expect(await gateway.findAccount("Woodgrove Bank Korea", "04538")).toBe(created.accountId);
  });

  it("reuses existing rows, and leaves nothing behind when the change set fails", async () => {
    const reused = await gateway.createDeal({
      account: { id: SEED.accounts.hanbit },
      contact: { id: SEED.contacts.jihoon },
      opportunity: { name: "한빛 – 추가 기회", currencyId: SEED.currencies.krw },
    });
    expect(reused).toMatchObject({ accountId: SEED.accounts.hanbit, contactId: SEED.contacts.jihoon });
    const api = clientFor(emulator);
    const accounts = await api.count({ collection: "accounts" });
    const contacts = await api.count({ collection: "contacts" });
    const error = await gateway
      .createDeal({
        account: { create: { name: "Half-written Ltd", address: {} } },
        contact: { create: { firstName: null, lastName: "Kim", email: null, phone: null } },
        opportunity: { name: "x".repeat(301) },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400 });
    expect(String((error as Error).message)).toContain("maximum allowed length of '300'");
    expect(await api.count({ collection: "accounts" })).toBe(accounts);
    expect(await api.count({ collection: "contacts" })).toBe(contacts);
  });

  it("applies Partner Center's value, currency, date and notes with the fingerprint in one write", async () => {
    const { read } = await readiness(SEED.opportunities.hanbitReady);
    const outcome = await gateway.writeOpportunity(
      SEED.opportunities.hanbitReady,
      {
        crm: {
          estimatedValue: 95000,
          currencyId: SEED.currencies.eur,
          estimatedCloseDate: "2027-02-28",
          description: "Updated by Microsoft",
        },
        sync: { fingerprint: "v1:pc-applied", referralStatus: "Active", referralSubstatus: "Accepted" },
      },
      read.etag,
    );
    expect(outcome.ok).toBe(true);
    const after = await gateway.readSnapshot(SEED.opportunities.hanbitReady);
    expect(after?.snapshot).toMatchObject({
      estimatedValue: 95000,
      estimatedCloseDate: "2027-02-28",
      description: "Updated by Microsoft",
      currency: { isoCode: "EUR" },
    });
    expect(after?.sync).toMatchObject({
      fingerprint: "v1:pc-applied",
      referralStatus: "Active",
      referralSubstatus: "Accepted",
    });
    // Clearing a lookup binds null, as the Web API documents.
    expect(
      (await gateway.writeOpportunity(SEED.opportunities.hanbitReady, { crm: { currencyId: null } }, after!.etag)).ok,
    ).toBe(true);
    expect((await gateway.readSnapshot(SEED.opportunities.hanbitReady))?.snapshot.currency).toBeNull();
  });
});
