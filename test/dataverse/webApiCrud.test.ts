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

describe("create", () => {
  it("creates with @odata.bind lookups, answers 204 + OData-EntityId, and the client returns the new id", async () => {
    const id = await api.create({
      collection: "opportunities",
      data: {
        name: "Binds test",
        estimatedvalue: 1234.5,
        estimatedclosedate: "2027-02-01",
        "customerid_account@odata.bind": `/accounts(${SEED.accounts.contoso})`,
        "parentcontactid@odata.bind": `/contacts(${SEED.contacts.seoyeon})`,
        "transactioncurrencyid@odata.bind": `/transactioncurrencies(${SEED.currencies.krw})`,
        "pcs_opportunity_microsoftsolution@odata.bind": [`/pcs_microsoftsolutions(${SEED.solutions.azure})`],
      },
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const row = (await api.retrieve({
      collection: "opportunities",
      key: String(id),
      select: [
        "name",
        "_customerid_value",
        "_parentcontactid_value",
        "_transactioncurrencyid_value",
        "_ownerid_value",
        "estimatedclosedate",
      ],
      expand: [{ property: "pcs_opportunity_microsoftsolution", select: ["pcs_solutionid"] }],
    })) as Row;
    expect(row._customerid_value).toBe(SEED.accounts.contoso);
    expect(row._parentcontactid_value).toBe(SEED.contacts.seoyeon);
    expect(row._transactioncurrencyid_value).toBe(SEED.currencies.krw);
    // The caller (the integration user behind the token) becomes the owner, as in Dataverse.
    expect(row._ownerid_value).toBe(SEED.users.integration);
    expect(row.estimatedclosedate).toBe("2027-02-01");
    expect((row.pcs_opportunity_microsoftsolution as Row[]).map((s) => s.pcs_solutionid)).toEqual([
      "SOL-AZ-MIGRATE-001",
    ]);
  });

  it("returns the row with 201 under return=representation, honouring $select", async () => {
    const row = (await api.create({
      collection: "contacts",
      data: {
        firstname: "Mina",
        lastname: "Kang",
        "parentcustomerid_account@odata.bind": `/accounts(${SEED.accounts.hanbit})`,
      },
      returnRepresentation: true,
      select: ["fullname", "_parentcustomerid_value"],
    })) as Row;
    expect(row.fullname).toBe("Mina Kang");
    expect(row._parentcustomerid_value).toBe(SEED.accounts.hanbit);
    expect(row["@odata.etag"]).toMatch(/^W\/"\d+"$/);
    expect(row).not.toHaveProperty("emailaddress1");
  });

  it("refuses a bind to a missing row with 404 and a bind to the wrong table with 400", async () => {
    const missing = await failure(
      api.create({
        collection: "contacts",
        data: {
          lastname: "X",
          "parentcustomerid_account@odata.bind": "/accounts(acc00000-0000-4000-8000-0000000000ff)",
        },
      }),
    );
    expect(missing.status).toBe(404);
    expect(missing.message).toContain("acc00000-0000-4000-8000-0000000000ff");
    const wrong = await failure(
      api.create({
        collection: "contacts",
        data: {
          lastname: "X",
          "parentcustomerid_account@odata.bind": `/transactioncurrencies(${SEED.currencies.usd})`,
        },
      }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.message).toContain("transactioncurrency");
  });

  it("treats custom navigation property names case-sensitively, as Dataverse does", async () => {
    const lower = await failure(
      api.create({
        collection: "pcs_referralsyncaudits",
        data: { pcs_name: "x", "pcs_opportunityid@odata.bind": `/opportunities(${SEED.opportunities.contosoReady})` },
      }),
    );
    expect(lower.status).toBe(400);
    expect(lower.message).toContain("pcs_opportunityid");
    const id = await api.create({
      collection: "pcs_referralsyncaudits",
      data: { pcs_name: "x", "pcs_OpportunityId@odata.bind": `/opportunities(${SEED.opportunities.contosoReady})` },
    });
    expect(id).toBeTruthy();
  });
});

describe("retrieve and query", () => {
  it("retrieves with $select and $expand of single-valued navigation properties with nested $select", async () => {
    const row = (await api.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.hanbitReady,
      select: ["name", "estimatedvalue"],
      expand: [
        { property: "customerid_account", select: ["name", "address1_country"] },
        { property: "transactioncurrencyid", select: ["isocurrencycode"] },
        { property: "owninguser", select: ["fullname", "internalemailaddress"] },
      ],
    })) as Row;
    expect(row.name).toBe("한빛소프트웨어 – Microsoft 365 Copilot 도입");
    expect(row).not.toHaveProperty("description");
    expect(row.customerid_account).toMatchObject({
      name: "한빛소프트웨어",
      address1_country: "대한민국",
      accountid: SEED.accounts.hanbit,
    });
    expect(row.customerid_account).not.toHaveProperty("address1_city");
    expect((row.transactioncurrencyid as Row).isocurrencycode).toBe("KRW");
    expect((row.owninguser as Row).fullname).toBe("Emily Carter");
  });

  it("filters, orders and limits with retrieveMultiple", async () => {
    const r = await api.retrieveMultiple({
      collection: "accounts",
      select: ["name", "numberofemployees"],
      filter:
        "numberofemployees ge 300 and (contains(name,'contoso') or startswith(name,'한빛') or endswith(name,'GmbH'))",
      orderBy: ["numberofemployees desc"],
      top: 2,
    });
    expect(r.value.map((a: Row) => a.name)).toEqual(["Fabrikam GmbH", "Contoso Korea"]);
  });

  it("supports null, not, ne, GUID literals and _x_value lookups in $filter", async () => {
    const noCountry = await api.retrieveMultiple({
      collection: "accounts",
      select: ["name"],
      filter: "address1_country eq null",
    });
    expect(noCountry.value.map((a: Row) => a.name)).toEqual(["Northwind Traders"]);
    const byOwner = await api.retrieveMultiple({
      collection: "opportunities",
      select: ["name"],
      filter: `_ownerid_value eq ${SEED.users.emily} and not (statecode ne 0)`,
      orderBy: ["name asc"],
    });
    expect(byOwner.value.map((o: Row) => o.name)).toEqual([
      "Fabrikam – Dynamics 365 Sales rollout",
      "한빛소프트웨어 – Microsoft 365 Copilot 도입",
    ]);
    const byCountryRef = await api.retrieveMultiple({
      collection: "accounts",
      select: ["name"],
      filter: `accountid eq ${SEED.accounts.fabrikam}`,
    });
    expect(byCountryRef.value).toHaveLength(1);
  });

  it("filters on a single-valued navigation property path and on dates", async () => {
    const byContact = await api.retrieveMultiple({
      collection: "opportunities",
      select: ["name"],
      filter: "parentcontactid/emailaddress1 eq 'SEOYEON.LEE@contoso-korea.example'",
    });
    expect(byContact.value.map((o: Row) => o.opportunityid)).toEqual([SEED.opportunities.contosoReady]);
    const closing = await api.retrieveMultiple({
      collection: "opportunities",
      select: ["estimatedclosedate"],
      filter: "estimatedclosedate ge 2027-01-01 and estimatedclosedate lt 2027-04-01",
      orderBy: ["estimatedclosedate asc"],
    });
    expect(closing.value.map((o: Row) => o.estimatedclosedate)).toEqual(["2027-01-15", "2027-03-31"]);
    const modified = await api.count({
      collection: "accounts",
      filter: "modifiedon gt 2026-11-01T08:59:59Z and modifiedon lt 2026-11-01T09:00:01.5Z",
    });
    expect(modified).toBe(5);
  });

  it("pages with odata.maxpagesize and @odata.nextLink, and retrieveAll follows every page", async () => {
    const first = await api.retrieveMultiple({
      collection: "contacts",
      select: ["lastname"],
      maxPageSize: 3,
      orderBy: ["lastname asc"],
    });
    expect(first.value).toHaveLength(3);
    expect(first.oDataNextLink).toContain("$skiptoken=");
    const second = await api.retrieveMultiple(
      { collection: "contacts", select: ["lastname"], maxPageSize: 3, orderBy: ["lastname asc"] },
      first.oDataNextLink,
    );
    expect(second.value).toHaveLength(1);
    expect(second.oDataNextLink).toBeUndefined();
    const all = await api.retrieveAll({ collection: "contacts", select: ["lastname"], maxPageSize: 1 });
    const ids = new Set(all.value.map((c: Row) => c.contactid));
    expect(ids.size).toBe(4);
  });

  it("counts with /$count and with $count=true alongside a filter", async () => {
    expect(await api.count({ collection: "accounts" })).toBe(5);
    expect(await api.count({ collection: "accounts", filter: "numberofemployees lt 1000" })).toBe(3);
    const page = await api.retrieveMultiple({ collection: "accounts", select: ["name"], count: true, maxPageSize: 2 });
    expect(page.oDataCount).toBe(5);
    expect(page.value).toHaveLength(2);
  });

  it("gives formatted values for choices, money, dates and lookups (with the lookup logical name)", async () => {
    const row = (await api.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.hanbitReady,
      select: [
        "estimatedvalue",
        "estimatedclosedate",
        "statecode",
        "pcs_syncstate",
        "pcs_sharewithmicrosoftsellers",
        "_customerid_value",
        "_ownerid_value",
      ],
      includeAnnotations: "*",
    })) as Row;
    expect(row.estimatedvalue_Formatted).toBe("₩1,200,000,000");
    expect(row.estimatedclosedate_Formatted).toBe("1/15/2027");
    expect(row.statecode_Formatted).toBe("Open");
    expect(row.pcs_syncstate_Formatted).toBe("Not synced");
    expect(row.pcs_sharewithmicrosoftsellers_Formatted).toBe("No");
    expect(row._customerid_value_Formatted).toBe("한빛소프트웨어");
    expect(row._customerid_value_LogicalName).toBe("account");
    expect(row._customerid_value_NavigationProperty).toBe("customerid_account");
    expect(row._ownerid_value_LogicalName).toBe("systemuser");
    const usd = (await api.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      select: ["estimatedvalue", "pcs_microsofthelp"],
      includeAnnotations: "OData.Community.Display.V1.FormattedValue",
    })) as Row;
    expect(usd.estimatedvalue_Formatted).toBe("$250,000.00");
    expect(usd.pcs_microsofthelp_Formatted).toBe("Proof of concept or demo");
  });

  it("labels choices in the user's language (Korean UI user)", async () => {
    const asJiwoo = clientFor(emulator, { impersonateAAD: SEED.aad.jiwoo });
    const row = (await asJiwoo.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      select: ["pcs_syncstate"],
      includeAnnotations: "*",
    })) as Row;
    expect(row.pcs_syncstate_Formatted).toBe("동기화 안 됨");
  });

  it("answers 404 with the Dataverse message for a missing row", async () => {
    const e = await failure(api.retrieve({ collection: "accounts", key: "acc00000-0000-4000-8000-0000000000ee" }));
    expect(e.status).toBe(404);
    expect(e.code).toBe("0x80040217");
    expect(e.message).toBe("Entity 'account' With Id = acc00000-0000-4000-8000-0000000000ee Does Not Exist");
  });
});

describe("update, upsert and delete", () => {
  it("changes @odata.etag on every write and resolves update with a stale ETag to false (412)", async () => {
    const before = (await api.retrieve({
      collection: "accounts",
      key: SEED.accounts.contoso,
      select: ["name"],
    })) as Row;
    const etag = String(before["@odata.etag"]);
    expect(
      await api.update({
        collection: "accounts",
        key: SEED.accounts.contoso,
        data: { telephone1: "+82 2 1111 2222" },
        ifmatch: etag,
      }),
    ).toBe(true);
    const after = (await api.retrieve({
      collection: "accounts",
      key: SEED.accounts.contoso,
      select: ["telephone1"],
    })) as Row;
    expect(after["@odata.etag"]).not.toBe(etag);
    expect(after.telephone1).toBe("+82 2 1111 2222");
    // Same ETag again: the row moved on, so the write is refused and nothing changes.
    expect(
      await api.update({
        collection: "accounts",
        key: SEED.accounts.contoso,
        data: { telephone1: "stale" },
        ifmatch: etag,
      }),
    ).toBe(false);
    const unchanged = (await api.retrieve({
      collection: "accounts",
      key: SEED.accounts.contoso,
      select: ["telephone1"],
    })) as Row;
    expect(unchanged.telephone1).toBe("+82 2 1111 2222");
  });

  it("fails update of a missing row with 404 (If-Match: * never upserts)", async () => {
    const id = "acc00000-0000-4000-8000-0000000000aa";
    const e = await failure(api.update({ collection: "accounts", key: id, data: { name: "Ghost" } }));
    expect(e.status).toBe(404);
    expect(await api.count({ collection: "accounts", filter: "name eq 'Ghost'" })).toBe(0);
  });

  it("upserts: creates with the given id when missing, updates when present", async () => {
    const id = "acc00000-0000-4000-8000-0000000000bb";
    await api.upsert({ collection: "accounts", key: id, data: { name: "Upserted" } });
    const created = (await api.retrieve({ collection: "accounts", key: id, select: ["name"] })) as Row;
    expect(created.name).toBe("Upserted");
    await api.upsert({ collection: "accounts", key: id, data: { name: "Upserted again" } });
    const updated = (await api.retrieve({ collection: "accounts", key: id, select: ["name"] })) as Row;
    expect(updated.name).toBe("Upserted again");
    expect(updated["@odata.etag"]).not.toBe(created["@odata.etag"]);
  });

  it("upserts by alternate key and refuses a create-only upsert of an existing key", async () => {
    await api.upsert({
      collection: "pcs_integrationstates",
      key: "pcs_name='reconcile.watermark'",
      data: { pcs_value: "cursor-42" },
    });
    const row = (await api.retrieve({
      collection: "pcs_integrationstates",
      key: "pcs_name='reconcile.watermark'",
      select: ["pcs_value"],
    })) as Row;
    expect(row.pcs_value).toBe("cursor-42");
    const again = await api.upsert({
      collection: "pcs_integrationstates",
      key: "pcs_name='reconcile.watermark'",
      data: { pcs_value: "x" },
      ifnonematch: "*",
    });
    expect(again).toBeFalsy();
  });

  it("deletes, after which the row is gone (404)", async () => {
    const id = String(await api.create({ collection: "accounts", data: { name: "To delete" } }));
    await api.deleteRecord({ collection: "accounts", key: id });
    expect((await failure(api.retrieve({ collection: "accounts", key: id }))).status).toBe(404);
    expect((await failure(api.deleteRecord({ collection: "accounts", key: id }))).status).toBe(404);
  });

  it("validates values against the schema: max length, choice values, types", async () => {
    const long = await failure(
      api.update({ collection: "accounts", key: SEED.accounts.contoso, data: { name: "x".repeat(161) } }),
    );
    expect(long.status).toBe(400);
    expect(long.message).toContain("exceeded the maximum allowed length of '160'");
    const choice = await failure(
      api.update({ collection: "opportunities", key: SEED.opportunities.contosoReady, data: { pcs_syncstate: 5 } }),
    );
    expect(choice.status).toBe(400);
    expect(choice.message).toContain("pcs_syncstate");
    const type = await failure(
      api.update({ collection: "accounts", key: SEED.accounts.contoso, data: { numberofemployees: "many" } }),
    );
    expect(type.status).toBe(400);
    expect(type.message).toContain("Edm.Int32");
    const lookup = await failure(
      api.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { _parentcontactid_value: SEED.contacts.jihoon },
      }),
    );
    expect(lookup.status).toBe(400);
    expect(lookup.message).toContain("Use Navigation properties");
  });

  it("associates and disassociates N:N rows through the $ref endpoints", async () => {
    await api.associate({
      collection: "opportunities",
      primaryKey: SEED.opportunities.fabrikamNotReady,
      relationshipName: "pcs_opportunity_microsoftsolution",
      relatedCollection: "pcs_microsoftsolutions",
      relatedKey: SEED.solutions.sales,
    });
    const linked = (await api.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.fabrikamNotReady,
      select: ["name"],
      expand: [{ property: "pcs_opportunity_microsoftsolution", select: ["pcs_solutionid"] }],
    })) as Row;
    expect((linked.pcs_opportunity_microsoftsolution as Row[]).map((s) => s.pcs_solutionid)).toEqual([
      "SOL-D365-SALES-003",
    ]);
    await api.disassociate({
      collection: "opportunities",
      primaryKey: SEED.opportunities.fabrikamNotReady,
      relationshipName: "pcs_opportunity_microsoftsolution",
      relatedKey: SEED.solutions.sales,
    });
    const unlinked = (await api.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.fabrikamNotReady,
      select: ["name"],
      expand: [{ property: "pcs_opportunity_microsoftsolution" }],
    })) as Row;
    expect(unlinked.pcs_opportunity_microsoftsolution).toEqual([]);
  });
});
