import {
  defaultReferenceData,
  evaluateReadiness,
  MICROSOFT_HELP_VALUES,
  REFERRAL_STATUS_VALUES,
  REFERRAL_SUBSTATUS_VALUES,
  SYNC_STATE_VALUES,
  type DealPerson,
  type OpportunitySnapshot,
} from "../../domain";
import {
  ALL_TABLES,
  collectionNavigations,
  columnOf,
  isLookup,
  MANY_TO_MANY,
  packagedComponents,
  PUBLISHER_PREFIX,
  singleNavigations,
  tableByLogicalName,
  type ChoiceColumn,
} from "../../solution/schema";
import { loadSeed, readSeedFile } from "../emulators/dataverse/seed";
import { SEED } from "./fixture";

const opportunity = tableByLogicalName("opportunity")!;
const optionValues = (name: string) => (columnOf(opportunity, name) as ChoiceColumn).options.map((o) => o.value);

describe("solution/schema: the one source of tables and columns", () => {
  it("takes the product's choice values from domain/choices.ts", () => {
    expect(optionValues("pcs_syncstate")).toEqual(Object.values(SYNC_STATE_VALUES));
    expect(optionValues("pcs_referralstatus")).toEqual(Object.values(REFERRAL_STATUS_VALUES));
    expect(optionValues("pcs_referralsubstatus")).toEqual(Object.values(REFERRAL_SUBSTATUS_VALUES));
    expect(optionValues("pcs_microsofthelp")).toEqual(Object.values(MICROSOFT_HELP_VALUES));
  });

  it("has the spec §3 opportunity columns, each custom and prefixed", () => {
    const spec = [
      "pcs_syncwithpartnercenter",
      "pcs_referralid",
      "pcs_referrallink",
      "pcs_referralstatus",
      "pcs_referralsubstatus",
      "pcs_microsofthelp",
      "pcs_sharewithmicrosoftsellers",
      "pcs_microsoftcrmid",
      "pcs_syncstate",
      "pcs_lastsyncon",
      "pcs_lastsyncerror",
      "pcs_referraletag",
      "pcs_syncfingerprint",
    ];
    for (const name of spec) expect(columnOf(opportunity, name)?.custom).toBe(true);
    const packaged = packagedComponents();
    for (const { column } of packaged.columns) expect(column.logicalName.startsWith(`${PUBLISHER_PREFIX}_`)).toBe(true);
    expect(packaged.tables.map((t) => t.logicalName).sort()).toEqual([
      "pcs_integrationstate",
      "pcs_microsoftsolution",
      "pcs_referralsyncaudit",
    ]);
    expect(packaged.relationships.map((r) => r.schemaName)).toEqual(["pcs_opportunity_microsoftsolution"]);
  });

  it("is internally consistent: unique set names, keys and names exist, lookups target known tables", () => {
    const sets = ALL_TABLES.map((t) => t.entitySetName);
    expect(new Set(sets).size).toBe(sets.length);
    for (const table of ALL_TABLES) {
      expect(columnOf(table, table.primaryIdAttribute)?.type).toBe("primarykey");
      expect(columnOf(table, table.primaryNameAttribute)).toBeDefined();
      for (const key of table.alternateKeys ?? [])
        for (const column of key) expect(columnOf(table, column)).toBeDefined();
      const names = table.columns.map((c) => c.logicalName);
      expect(new Set(names).size).toBe(names.length);
      for (const column of table.columns.filter(isLookup)) {
        for (const target of column.targets) expect(tableByLogicalName(target.table)).toBeDefined();
      }
      // Navigation property names are unique per table (an owner lookup shares one name across its targets).
      const single = new Set(singleNavigations(table).map((n) => n.name));
      const collections = collectionNavigations(table).map((n) => n.name);
      expect(collections.filter((n) => single.has(n))).toEqual([]);
      expect(new Set(collections).size).toBe(collections.length);
    }
    for (const rel of MANY_TO_MANY) {
      expect(tableByLogicalName(rel.table1)).toBeDefined();
      expect(tableByLogicalName(rel.table2)).toBeDefined();
    }
  });

  it("labels every product table, column and option in English and Korean", () => {
    const product = [
      ...packagedComponents().tables.flatMap((t) => t.columns.filter((c) => c.custom)),
      ...packagedComponents().columns.map((c) => c.column),
    ];
    expect(product.length).toBeGreaterThan(30);
    for (const column of product) {
      expect(column.displayName.en.trim()).not.toBe("");
      expect(column.displayName.ko.trim()).not.toBe("");
      if (column.type === "choice") for (const o of column.options) expect(o.label.ko.trim()).not.toBe("");
    }
  });

  it("loads the seed only with values the schema allows", () => {
    expect(() => loadSeed(readSeedFile())).not.toThrow();
    const bad = readSeedFile();
    bad.rows.account = [{ accountid: "acc00000-0000-4000-8000-0000000000aa", name: "x".repeat(161) }];
    expect(() => loadSeed(bad)).toThrow(/maximum allowed length of '160'/);
    const unknown = readSeedFile();
    unknown.rows.account = [{ accountid: "acc00000-0000-4000-8000-0000000000aa", colour: "red" }];
    expect(() => loadSeed(unknown)).toThrow(/no column 'colour'/);
  });

  it("names in the test fixture only ids the seed has (tables other suites share stay in step)", () => {
    const { data } = loadSeed(readSeedFile());
    const rowIds = new Set(Object.values(data.tables).flatMap((rows) => Object.keys(rows)));
    const aadIds = new Set(
      Object.values(data.tables.systemuser ?? {}).map((u) => String(u.azureactivedirectoryobjectid)),
    );
    for (const [group, ids] of Object.entries(SEED)) {
      for (const id of Object.values(ids)) expect(group === "aad" ? aadIds.has(id) : rowIds.has(id)).toBe(true);
    }
  });

  it("has every table and column the readiness rules send a seller to (except the known gap)", () => {
    const person = (kind: DealPerson["kind"], extra: Partial<DealPerson> = {}): DealPerson => ({
      id: "p",
      kind,
      fullName: null,
      firstName: null,
      lastName: null,
      email: null,
      phone: null,
      isDisabled: false,
      ...extra,
    });
    const empty: OpportunitySnapshot = {
      id: "o",
      name: "",
      description: null,
      state: "won",
      estimatedValue: null,
      estimatedCloseDate: null,
      currency: null,
      account: null,
      customerContact: null,
      owner: null,
      salesTeam: [],
      solutions: [],
      microsoftHelp: "GeneralOrOther",
      shareWithMicrosoftSellers: false,
      modifiedOn: null,
    };
    const broken: OpportunitySnapshot = {
      ...empty,
      name: "n",
      description: "x".repeat(3000),
      currency: { id: "c", isoCode: "XXX1", name: null },
      account: {
        id: "a",
        name: "",
        address: { line1: null, line2: null, city: null, stateOrProvince: null, postalCode: null, country: null },
        numberOfEmployees: null,
      },
      customerContact: { id: "k", firstName: null, lastName: null, email: null, phone: null },
      owner: person("team"),
      salesTeam: [person("contact", { id: "m1" }), person("systemuser", { id: "m2", isDisabled: true })],
      solutions: [{ id: "s", solutionId: "bad", name: null }],
    };
    const ctx = { now: new Date("2026-11-25T00:00:00Z"), hasReferral: false, reference: defaultReferenceData() };
    const fields = [...evaluateReadiness(empty, ctx).failures, ...evaluateReadiness(broken, ctx).failures].map(
      (f) => f.field,
    );
    const missing = new Set<string>();
    for (const field of fields) {
      const table = tableByLogicalName(field.table);
      const known =
        table !== undefined &&
        (columnOf(table, field.column) !== undefined ||
          collectionNavigations(table).some((n) => n.name === field.column));
      if (!known) missing.add(`${field.table}.${field.column}`);
    }
    expect(fields.length).toBeGreaterThan(15);
    expect([...missing]).toEqual([]);
  });
});
