import type { DynamicsWebApi } from "dynamics-web-api";
import { SYNC_STATE_VALUES } from "../../domain";
import { ALL_TABLES, columnOf, tableByLogicalName } from "../../solution/schema";
import type { DataverseEmulator } from "../emulators/dataverse/server";
import { clientFor, failure, startEmulator } from "./fixture";

let emulator: DataverseEmulator;
let api: DynamicsWebApi;

beforeAll(async () => {
  emulator = await startEmulator();
  api = clientFor(emulator);
});
afterAll(() => emulator.close());

type Row = Record<string, unknown>;

describe("table metadata generated from solution/schema (read through dynamics-web-api's metadata calls)", () => {
  it("describes a table by logical name", async () => {
    const entity = (await api.retrieveEntity({
      key: "LogicalName='pcs_referralsyncaudit'",
      select: ["EntitySetName", "PrimaryIdAttribute", "IsCustomEntity", "DisplayName"],
    })) as Row;
    const table = tableByLogicalName("pcs_referralsyncaudit")!;
    expect(entity.EntitySetName).toBe(table.entitySetName);
    expect(entity.PrimaryIdAttribute).toBe(table.primaryIdAttribute);
    expect(entity.IsCustomEntity).toBe(true);
    expect((entity.DisplayName as Row).LocalizedLabels).toEqual([
      { Label: table.displayName.en, LanguageCode: 1033 },
      { Label: table.displayName.ko, LanguageCode: 1042 },
    ]);
    expect(entity).not.toHaveProperty("LogicalCollectionName");
  });

  it("lists every table, filterable", async () => {
    const all = await api.retrieveEntities({ select: ["LogicalName"] });
    expect(all.value.map((e: Row) => e.LogicalName).sort()).toEqual(ALL_TABLES.map((t) => t.logicalName).sort());
    const custom = await api.retrieveEntities({ select: ["LogicalName"], filter: "IsCustomEntity eq true" });
    expect(custom.value.map((e: Row) => e.LogicalName).sort()).toEqual([
      "pcs_integrationstate",
      "pcs_microsoftsolution",
      "pcs_referralsyncaudit",
    ]);
  });

  it("lists a table's attributes with types, lengths and custom flags", async () => {
    const attributes = await api.retrieveAttributes({
      entityKey: "LogicalName='opportunity'",
      select: ["LogicalName", "AttributeType", "IsCustomAttribute", "MaxLength"],
    });
    const byName = new Map(attributes.value.map((a: Row) => [a.LogicalName, a]));
    expect(byName.get("pcs_syncstate")).toMatchObject({ AttributeType: "Picklist", IsCustomAttribute: true });
    expect(byName.get("name")).toMatchObject({ AttributeType: "String", IsCustomAttribute: false, MaxLength: 300 });
    expect(byName.get("customerid")).toMatchObject({ AttributeType: "Customer" });
    expect(attributes.value).toHaveLength(tableByLogicalName("opportunity")!.columns.length);
  });

  it("gives a choice column's options with both labels (PicklistAttributeMetadata cast, OptionSet expanded)", async () => {
    const attribute = (await api.retrieveAttribute({
      entityKey: "LogicalName='opportunity'",
      attributeKey: "LogicalName='pcs_syncstate'",
      castType: "Microsoft.Dynamics.CRM.PicklistAttributeMetadata",
      select: ["LogicalName"],
      expand: [{ property: "OptionSet" }],
    })) as Row;
    const options = (
      attribute.OptionSet as {
        Options: { Value: number; Label: { LocalizedLabels: { Label: string; LanguageCode: number }[] } }[];
      }
    ).Options;
    expect(options.map((o) => o.Value)).toEqual(Object.values(SYNC_STATE_VALUES));
    const column = columnOf(tableByLogicalName("opportunity")!, "pcs_syncstate");
    expect(options[0]?.Label.LocalizedLabels.map((l) => l.Label)).toEqual(
      column && column.type === "choice" ? [column.options[0]?.label.en, column.options[0]?.label.ko] : [],
    );
  });

  it("answers 404 for an unknown table or column and refuses metadata writes", async () => {
    expect((await failure(api.retrieveEntity({ key: "LogicalName='pcs_nosuchtable'" }))).status).toBe(404);
    expect(
      (
        await failure(
          api.retrieveAttribute({ entityKey: "LogicalName='opportunity'", attributeKey: "LogicalName='pcs_nosuch'" }),
        )
      ).status,
    ).toBe(404);
    const write = await failure(
      api.createAttribute({ entityKey: "LogicalName='opportunity'", data: { SchemaName: "pcs_New" } }),
    );
    expect(write.status).toBe(405);
  });
});
