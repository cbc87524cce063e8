import type { DynamicsWebApi } from "dynamics-web-api";
import type { DataverseEmulator } from "../emulators/dataverse/server";
import { clientFor, failure, SEED, startEmulator } from "./fixture";

let emulator: DataverseEmulator;
let api: DynamicsWebApi;

beforeAll(async () => {
  emulator = await startEmulator();
  api = clientFor(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

type Row = Record<string, unknown>;

describe("$batch", () => {
  it("runs GETs and a change set; Content-ID references bind to rows created earlier in the set", async () => {
    api.startBatch();
    void api.retrieveMultiple({
      collection: "transactioncurrencies",
      select: ["isocurrencycode"],
      orderBy: ["isocurrencycode asc"],
    });
    void api.create({ collection: "accounts", data: { name: "Batch account" }, contentId: "1" });
    void api.create({
      collection: "contacts",
      data: { lastname: "Batch contact", "parentcustomerid_account@odata.bind": "$1" },
    });
    const [currencies, accountId, contactId] = (await api.executeBatch()) as [{ value: Row[] }, string, string];
    expect(currencies.value.map((c) => c.isocurrencycode)).toEqual(["EUR", "KRW", "USD"]);
    const contact = (await api.retrieve({
      collection: "contacts",
      key: contactId,
      select: ["_parentcustomerid_value"],
    })) as Row;
    expect(contact._parentcustomerid_value).toBe(accountId);
  });

  it("rolls back the whole change set when one request in it fails", async () => {
    const before = await api.count({ collection: "accounts" });
    api.startBatch();
    void api.create({ collection: "accounts", data: { name: "Will be rolled back" } });
    void api.update({ collection: "accounts", key: SEED.accounts.contoso, data: { name: "Renamed in batch" } });
    void api.create({ collection: "accounts", data: { name: "x".repeat(200) } });
    const error = await failure(api.executeBatch());
    // dynamics-web-api rejects a failed batch with its parts; a part's Dataverse error is under `.error`.
    const parts = error as unknown as { status: number; error?: { message: string } }[];
    expect(Array.isArray(parts)).toBe(true);
    expect(parts[0]?.status).toBe(400);
    expect(parts[0]?.error?.message).toContain("maximum allowed length");
    expect(await api.count({ collection: "accounts" })).toBe(before);
    const contoso = (await api.retrieve({
      collection: "accounts",
      key: SEED.accounts.contoso,
      select: ["name"],
    })) as Row;
    expect(contoso.name).toBe("Contoso Korea");
  });

  it("with continue-on-error keeps going and reports each result", async () => {
    api.startBatch();
    void api.retrieve({ collection: "accounts", key: "acc00000-0000-4000-8000-0000000000dd", select: ["name"] });
    void api.retrieve({ collection: "accounts", key: SEED.accounts.fabrikam, select: ["name"] });
    const results = (await api.executeBatch({ continueOnError: true })) as ({ status?: number } & Row)[];
    expect(results).toHaveLength(2);
    expect(results[0]?.status).toBe(404);
    expect(results[1]?.name).toBe("Fabrikam GmbH");
  });

  it("serves long URLs that dynamics-web-api converts into a batch", async () => {
    const filter =
      Array.from({ length: 80 }, (_, i) => `name eq 'no such account ${i}'`).join(" or ") +
      " or name eq 'Fabrikam GmbH'";
    expect(filter.length).toBeGreaterThan(2000);
    const r = await api.retrieveMultiple({ collection: "accounts", select: ["name"], filter });
    expect(r.value.map((a: Row) => a.name)).toEqual(["Fabrikam GmbH"]);
  });
});

describe("impersonation and privileges", () => {
  it("runs as the user named by CallerObjectId (WhoAmI and created-by)", async () => {
    const asEmily = clientFor(emulator, { impersonateAAD: SEED.aad.emily });
    const me = (await asEmily.callFunction({ name: "WhoAmI" })) as Row;
    expect(me.UserId).toBe(SEED.users.emily);
    const id = String(await asEmily.create({ collection: "accounts", data: { name: "Emily's account" } }));
    const row = (await api.retrieve({
      collection: "accounts",
      key: id,
      select: ["_ownerid_value", "_createdby_value", "_createdonbehalfby_value"],
    })) as Row;
    expect(row._ownerid_value).toBe(SEED.users.emily);
    expect(row._createdby_value).toBe(SEED.users.emily);
    // The real caller (the application user behind the token) is recorded as the delegate.
    expect(row._createdonbehalfby_value).toBe(SEED.users.integration);
  });

  it("impersonates by systemuserid with MSCRMCallerID too", async () => {
    const asAdmin = clientFor(emulator, { impersonate: SEED.users.admin });
    expect(((await asAdmin.callFunction({ name: "WhoAmI" })) as Row).UserId).toBe(SEED.users.admin);
  });

  it("lets a seller write an opportunity they own and refuses one owned by someone else", async () => {
    const asJiwoo = clientFor(emulator, { impersonateAAD: SEED.aad.jiwoo });
    expect(
      await asJiwoo.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { pcs_syncwithpartnercenter: true },
      }),
    ).toBe(true);
    const refused = await failure(
      asJiwoo.update({
        collection: "opportunities",
        key: SEED.opportunities.hanbitReady,
        data: { pcs_syncwithpartnercenter: true },
      }),
    );
    expect(refused.status).toBe(403);
    expect(refused.code).toBe("0x80040220");
    const hanbit = (await api.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.hanbitReady,
      select: ["pcs_syncwithpartnercenter"],
    })) as Row;
    expect(hanbit.pcs_syncwithpartnercenter).toBe(false);
  });

  it("lets a seller write rows owned by a team they belong to", async () => {
    const asJiwoo = clientFor(emulator, { impersonateAAD: SEED.aad.jiwoo });
    expect(
      await asJiwoo.update({
        collection: "opportunities",
        key: SEED.opportunities.adventureClosed,
        data: { description: "team-owned" },
      }),
    ).toBe(true);
    const asEmily = clientFor(emulator, { impersonateAAD: SEED.aad.emily });
    expect(
      (
        await failure(
          asEmily.update({
            collection: "opportunities",
            key: SEED.opportunities.adventureClosed,
            data: { description: "no" },
          }),
        )
      ).status,
    ).toBe(403);
  });

  it("gives the read-only seller reads but no writes or creates", async () => {
    const asDaniel = clientFor(emulator, { impersonateAAD: SEED.aad.readOnly });
    const row = (await asDaniel.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      select: ["name"],
    })) as Row;
    expect(row.name).toBe("Contoso Korea – Azure migration");
    const write = await failure(
      asDaniel.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { description: "x" },
      }),
    );
    expect(write.status).toBe(403);
    expect(write.message).toContain("prvWriteOpportunity");
    expect((await failure(asDaniel.create({ collection: "accounts", data: { name: "x" } }))).status).toBe(403);
  });

  it("refuses impersonation by a caller without prvActOnBehalfOfAnotherUser, an unknown AAD id and a disabled user", async () => {
    const sellerToken = new Map([["seller-token", SEED.users.jiwoo]]);
    const restricted = await startEmulator({ tokens: Object.fromEntries(sellerToken) });
    try {
      const asSellerImpersonating = clientFor(restricted, { token: "seller-token", impersonateAAD: SEED.aad.emily });
      const e = await failure(asSellerImpersonating.callFunction({ name: "WhoAmI" }));
      expect(e.status).toBe(403);
      expect(e.message).toContain("prvActOnBehalfOfAnotherUser");
      const asSeller = clientFor(restricted, { token: "seller-token" });
      expect(((await asSeller.callFunction({ name: "WhoAmI" })) as Row).UserId).toBe(SEED.users.jiwoo);
    } finally {
      await restricted.close();
    }
    const unknown = await failure(
      clientFor(emulator, { impersonateAAD: "aad00000-0000-4000-8000-0000000000ff" }).callFunction({ name: "WhoAmI" }),
    );
    expect(unknown.status).toBe(404);
    const disabled = await failure(
      clientFor(emulator, { impersonateAAD: SEED.aad.disabled }).callFunction({ name: "WhoAmI" }),
    );
    expect(disabled.status).toBe(403);
  });

  it("derives privileges from security roles assigned through the Web API", async () => {
    const roles = (await api.retrieve({
      collection: "systemusers",
      key: SEED.users.emily,
      select: ["fullname"],
      expand: [{ property: "systemuserroles_association", select: ["name"] }],
    })) as Row;
    expect((roles.systemuserroles_association as Row[]).map((r) => r.name)).toEqual(["Salesperson"]);
    const salesperson = String((roles.systemuserroles_association as Row[])[0]?.roleid);
    const asEmily = clientFor(emulator, { impersonateAAD: SEED.aad.emily });
    await api.disassociate({
      collection: "systemusers",
      primaryKey: SEED.users.emily,
      relationshipName: "systemuserroles_association",
      relatedKey: salesperson,
    });
    const noRole = await failure(
      asEmily.retrieve({ collection: "opportunities", key: SEED.opportunities.hanbitReady, select: ["name"] }),
    );
    expect(noRole.status).toBe(403);
    expect(noRole.message).toContain("prvReadOpportunity");
    await api.associate({
      collection: "systemusers",
      primaryKey: SEED.users.emily,
      relationshipName: "systemuserroles_association",
      relatedCollection: "roles",
      relatedKey: salesperson,
    });
    expect(
      await asEmily.update({
        collection: "opportunities",
        key: SEED.opportunities.hanbitReady,
        data: { description: "back" },
      }),
    ).toBe(true);
  });

  it("lets only customizers register webhooks and environment variable values", async () => {
    const asEmily = clientFor(emulator, { impersonateAAD: SEED.aad.emily });
    const e = await failure(
      asEmily.create({
        collection: "serviceendpoints",
        data: { name: "x", url: "https://x.example", contract: 8, authtype: 4, authvalue: "k" },
      }),
    );
    expect(e.status).toBe(403);
    expect(e.message).toContain("prvCreateServiceEndpoint");
    // The integration user holds System Customizer.
    expect(
      await api.create({
        collection: "serviceendpoints",
        data: { name: "x", url: "https://x.example", contract: 8, authtype: 4, authvalue: "k" },
      }),
    ).toBeTruthy();
  });

  it("applies the impersonated user's privileges inside a batch", async () => {
    const asDaniel = clientFor(emulator, { impersonateAAD: SEED.aad.readOnly });
    asDaniel.startBatch();
    void asDaniel.update({ collection: "accounts", key: SEED.accounts.contoso, data: { name: "nope" } });
    const parts = (await failure(asDaniel.executeBatch())) as unknown as { status: number }[];
    expect(parts[0]?.status).toBe(403);
  });
});
