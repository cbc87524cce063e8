import type { Referral } from "../../domain";
import { DataverseAuditSink } from "../../plugins-ts/src/dataverse/dataverseAuditSink";
import { DataverseGateway } from "../../plugins-ts/src/dataverse/dataverseGateway";
import { DataverseRequestError } from "../../plugins-ts/src/dataverse/dataverseRequestError";
import { DataverseStateStore } from "../../plugins-ts/src/dataverse/dataverseStateStore";
import { DataverseSyncStore } from "../../plugins-ts/src/dataverse/dataverseSyncStore";
import { StaticTokenProvider } from "../../plugins-ts/src/dataverse/tokenProvider";
import type { DataverseEmulator } from "../emulators/dataverse/server";
import { clientFor, SEED, startEmulator } from "./fixture";

let emulator: DataverseEmulator;
let gateway: DataverseGateway;
let store: DataverseSyncStore;

beforeAll(async () => {
  emulator = await startEmulator();
  gateway = new DataverseGateway({ serverUrl: emulator.url, tokenProvider: new StaticTokenProvider("t") });
  store = new DataverseSyncStore(gateway);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe("the sync engine's ports over the Dataverse gateway", () => {
  it("reads an opportunity for sync, and nothing for a missing or malformed id", async () => {
    const read = await store.read(SEED.opportunities.contosoReady);
    expect(read?.sync).toMatchObject({ enabled: false, state: "NotSynced", attempt: 0, referralId: null });
    expect(read?.rowEtag).toMatch(/^W\/"\d+"$/);
    expect(await store.read("0bb00000-0000-4000-8000-0000000000ff")).toBeNull();
    expect(await store.read("not-an-id")).toBeNull();
  });

  it("writes sync columns and CRM fields (currency by ISO code) conditionally", async () => {
    const read = (await store.read(SEED.opportunities.contosoReady))!;
    const result = await store.write(SEED.opportunities.contosoReady, read.rowEtag, {
      state: "Synced",
      referralId: "ref-1",
      attempt: 0,
      currencyCode: "EUR",
      estimatedValue: 1234,
      estimatedCloseDate: "2027-05-01T00:00:00Z",
      referralStatus: "Active",
    });
    expect(result.ok).toBe(true);
    const after = (await store.read(SEED.opportunities.contosoReady))!;
    expect(after.snapshot).toMatchObject({
      estimatedValue: 1234,
      estimatedCloseDate: "2027-05-01",
      currency: { isoCode: "EUR" },
    });
    expect(after.sync).toMatchObject({ state: "Synced", referralId: "ref-1", referralStatus: "Active" });
    expect(result.ok && result.rowEtag).toBe(after.rowEtag);
    expect(await store.write(SEED.opportunities.contosoReady, read.rowEtag, { state: "Error" })).toEqual({
      ok: false,
      reason: "conflict",
    });
    const unknown = await store
      .write(SEED.opportunities.contosoReady, after.rowEtag, { currencyCode: "JPY" })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(DataverseRequestError);
    expect(unknown).toMatchObject({ status: 400, category: "validation" });
  });

  it("classifies Dataverse refusals the way the engine classifies failures", async () => {
    const asReader = new DataverseSyncStore(gateway.asUser(SEED.aad.readOnly));
    const read = (await asReader.read(SEED.opportunities.contosoReady))!;
    await expect(
      asReader.write(SEED.opportunities.contosoReady, read.rowEtag, { state: "Pending" }),
    ).rejects.toMatchObject({
      category: "forbidden",
      status: 403,
      code: "0x80040220",
    });
  });

  it("finds the opportunity of a referral by externalReferenceId, else by pcs_referralid", async () => {
    expect(
      (await store.findForReferral({ id: "x", externalReferenceId: SEED.opportunities.hanbitReady }))?.snapshot.id,
    ).toBe(SEED.opportunities.hanbitReady);
    const read = (await store.read(SEED.opportunities.fabrikamNotReady))!;
    await store.write(SEED.opportunities.fabrikamNotReady, read.rowEtag, { referralId: "pc-referral-77" });
    expect((await store.findForReferral({ id: "pc-referral-77" }))?.snapshot.id).toBe(
      SEED.opportunities.fabrikamNotReady,
    );
    expect(await store.findForReferral({ id: "pc-referral-unknown", externalReferenceId: "not-ours" })).toBeNull();
  });

  it("creates an inbound deal, reusing the account (name + postal code) and contact (email) the second time", async () => {
    const referral = (id: string): Referral => ({
      id,
      name: `Inbound ${id}`,
      status: "New",
      substatus: "Received",
      customerProfile: {
        name: "Tailspin Toys Korea",
        address: { addressLine1: "Gangnam-daero 1", city: "Seoul", postalCode: "06000", country: "KR" },
        team: [
          { firstName: "Min", lastName: "Cho", email: "min.cho@tailspin.example", phoneNumber: "+82 10 0000 0000" },
        ],
      },
      details: { dealValue: 50000, currency: "USD", closingDateTime: "2027-06-30T00:00:00Z", notes: "From Microsoft" },
      trackingInfo: { microsoftMsxId: "7-MSX1" },
    });
    const api = clientFor(emulator);
    const accounts = await api.count({ collection: "accounts" });
    const contacts = await api.count({ collection: "contacts" });
    const first = await store.createFromReferral(referral("in-1"), { state: "Synced", fingerprint: "v1:x" });
    const created = (await store.read(first))!;
    expect(created.snapshot).toMatchObject({
      name: "Inbound in-1",
      estimatedValue: 50000,
      estimatedCloseDate: "2027-06-30",
      description: "From Microsoft",
      currency: { isoCode: "USD" },
      account: { name: "Tailspin Toys Korea", address: { postalCode: "06000", country: "KR" } },
      customerContact: { email: "min.cho@tailspin.example", lastName: "Cho" },
    });
    expect(created.sync).toMatchObject({
      enabled: true,
      referralId: "in-1",
      referralSubstatus: "Received",
      microsoftCrmId: "7-MSX1",
      state: "Synced",
      fingerprint: "v1:x",
    });
    const second = await store.createFromReferral(referral("in-2"), {});
    const again = (await store.read(second))!;
    expect(again.snapshot.account?.id).toBe(created.snapshot.account?.id);
    expect(again.snapshot.customerContact?.id).toBe(created.snapshot.customerContact?.id);
    expect(await api.count({ collection: "accounts" })).toBe(accounts + 1);
    expect(await api.count({ collection: "contacts" })).toBe(contacts + 1);
  });

  it("lists due retries and pages sync-enabled opportunities by a resumable cursor", async () => {
    for (const id of [
      SEED.opportunities.contosoReady,
      SEED.opportunities.hanbitReady,
      SEED.opportunities.fabrikamNotReady,
    ]) {
      const read = (await store.read(id))!;
      await gateway.writeOpportunity(
        id,
        {
          sync: {
            syncEnabled: true,
            nextRetryOn: id === SEED.opportunities.hanbitReady ? "2026-11-25T00:00:00Z" : null,
          },
        },
        read.rowEtag,
      );
    }
    expect(await store.listDueRetries(new Date("2026-11-26T00:00:00Z"), 10)).toEqual([SEED.opportunities.hanbitReady]);
    const first = await store.listSyncEnabled(null, 2);
    expect(first).toHaveLength(2);
    const rest = await store.listSyncEnabled(first[1]!, 2);
    expect([...first, ...rest].sort()).toEqual(
      [SEED.opportunities.contosoReady, SEED.opportunities.hanbitReady, SEED.opportunities.fabrikamNotReady].sort(),
    );
    expect(rest).toHaveLength(1);
  });

  it("keeps the watermark and counts quota exactly under concurrent increments", async () => {
    const state = new DataverseStateStore(gateway, 50);
    expect(await state.read("reconcile.watermark")).toBeNull();
    const created = await state.write("reconcile.watermark", "2026-11-25T00:00:00Z", null);
    expect(created.ok).toBe(true);
    expect(await state.write("reconcile.watermark", "other", null)).toEqual({ ok: false, reason: "conflict" });
    await Promise.all(Array.from({ length: 10 }, () => state.add("2026-11-25", 1)));
    expect(await state.usedOn("2026-11-25")).toBe(10);
    expect(await state.usedOn("2026-11-26")).toBe(0);
    // The status panel reads the same row.
    const row = await clientFor(emulator).retrieve({
      collection: "pcs_integrationstates",
      key: "pcs_name='quota:2026-11-25'",
      select: ["pcs_count"],
    });
    expect(row.pcs_count).toBe(10);
  });

  it("counts every call when two instances each run 25 syncs at once (increments merged per instance)", async () => {
    const day = "2026-11-27";
    const [a, b] = [new DataverseStateStore(gateway), new DataverseStateStore(gateway)];
    await Promise.all([
      ...Array.from({ length: 25 }, () => a.add(day, 1)),
      ...Array.from({ length: 25 }, () => b.add(day, 2)),
    ]);
    // A third instance sees only what was written: nothing is still waiting in a or b.
    expect(await new DataverseStateStore(gateway).usedOn(day)).toBe(75);
  });

  it("records audit entries", async () => {
    await new DataverseAuditSink(gateway).record({
      opportunityId: SEED.opportunities.contosoReady,
      direction: "PartnerCenterToCrm",
      trigger: "pc-webhook",
      operation: "skip-echo",
      result: "succeeded",
      httpStatus: null,
      errorCode: null,
      message: null,
      fixHintKey: null,
      apiCalls: 1,
      changedPaths: [],
      attempt: 1,
      nextRetryOn: null,
      correlationId: "c-1",
      createdOn: "2026-11-25T00:00:00Z",
    });
    const rows = await gateway.listAudit(SEED.opportunities.contosoReady);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      direction: "PartnerCenterToCrm",
      trigger: "pc-webhook",
      operation: "skip-echo",
      apiCallsUsed: 1,
      correlationId: "c-1",
    });
  });
});
