import { bodyEntry, parseDateOnly, sameValue, selectFor, valueFromRow } from "./xrmHost/attributeValues";
import type { FieldDefinition } from "./xrmHost/formDefinition";

const lookup: FieldDefinition = { column: "customerid", kind: "lookup", target: "account" };
const date: FieldDefinition = { column: "estimatedclosedate", kind: "date" };
const money: FieldDefinition = { column: "estimatedvalue", kind: "money" };
const ID = "acc00000-0000-4000-8000-000000000001";

describe("Web API row ↔ Xrm attribute values", () => {
  it("selects lookups by their _x_value property", () => {
    expect(selectFor([lookup, date, money, lookup])).toBe("_customerid_value,estimatedclosedate,estimatedvalue");
  });

  it("reads a lookup with its name and table from the annotations", () => {
    const row = {
      _customerid_value: ID,
      "_customerid_value@OData.Community.Display.V1.FormattedValue": "Contoso",
      "_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "account",
    };
    expect(valueFromRow(lookup, row)).toEqual([
      { id: `{${ID.toUpperCase()}}`, name: "Contoso", entityType: "account" },
    ]);
    expect(valueFromRow(lookup, {})).toBeNull();
  });

  it("reads a date-only column as local midnight and writes it back as the same calendar day", () => {
    const value = valueFromRow(date, { estimatedclosedate: "2027-03-31" });
    expect(value).toBeInstanceOf(Date);
    expect([(value as Date).getFullYear(), (value as Date).getMonth(), (value as Date).getDate()]).toEqual([
      2027, 2, 31,
    ]);
    expect(bodyEntry(date, value, String, String)).toEqual(["estimatedclosedate", "2027-03-31"]);
    expect(parseDateOnly("31/03/2027")).toBeNull();
  });

  it("writes a lookup as a bind to its entity set through the navigation property, and null to clear it", () => {
    const value = [{ id: `{${ID.toUpperCase()}}`, name: "Contoso", entityType: "account" }];
    const sets = (table: string) => `${table}s`;
    const nav = (table: string) => `customerid_${table}`;
    expect(bodyEntry(lookup, value, sets, nav)).toEqual(["customerid_account@odata.bind", `/accounts(${ID})`]);
    expect(bodyEntry(lookup, null, sets, nav)).toEqual(["customerid_account@odata.bind", null]);
  });

  it("compares values as a form does for dirtiness: lookups by id, dates by instant", () => {
    const a = [{ id: `{${ID.toUpperCase()}}`, name: "A", entityType: "account" }];
    const b = [{ id: ID, name: "renamed", entityType: "account" }];
    expect(sameValue(a, b)).toBe(true);
    expect(sameValue(a, null)).toBe(false);
    expect(sameValue(new Date(2027, 0, 1), new Date(2027, 0, 1))).toBe(true);
    expect(sameValue(new Date(2027, 0, 1), new Date(2027, 0, 2))).toBe(false);
    expect(sameValue(5, 5)).toBe(true);
  });

  it("refuses a lookup value on a column that is not a lookup", () => {
    expect(() => bodyEntry(money, [{ id: ID, name: null, entityType: "account" }], String, String)).toThrow(
      "estimatedvalue is not a lookup but holds a lookup value.",
    );
  });
});
