import type { FieldDefinition } from "./formDefinition";

/**
 * Conversions between a Web API row and the values an Xrm form attribute holds: lookups as
 * `[{id: "{GUID}", name, entityType}]`, date-only columns as local midnight, date-times as instants, and back
 * to a Web API body (lookups as `<nav>@odata.bind`). Pure: the save pipeline and the tests use it.
 */

export interface XrmLookup {
  id: string;
  name: string | null;
  entityType: string;
}

export type XrmValue = string | number | boolean | Date | XrmLookup[] | null;

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";
const LOOKUP_TABLE = "@Microsoft.Dynamics.CRM.lookuplogicalname";
const NAVIGATION = "@Microsoft.Dynamics.CRM.associatednavigationproperty";

/** `$select` for the form's columns (lookups by their `_x_value` property). */
export function selectFor(fields: readonly FieldDefinition[]): string {
  const names = fields.map((f) => (f.kind === "lookup" ? `_${f.column}_value` : f.column));
  return [...new Set(names)].join(",");
}

export function parseDateOnly(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return null;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

export function formatDateOnly(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function valueFromRow(field: FieldDefinition, row: Record<string, unknown>): XrmValue {
  if (field.kind === "lookup") {
    const key = `_${field.column}_value`;
    const id = row[key];
    if (typeof id !== "string" || !id) return null;
    const entityType = row[`${key}${LOOKUP_TABLE}`];
    const name = row[`${key}${FORMATTED}`];
    return [
      {
        id: `{${id.toUpperCase()}}`,
        name: typeof name === "string" ? name : null,
        entityType: typeof entityType === "string" ? entityType : (field.target ?? ""),
      },
    ];
  }
  const raw = row[field.column];
  if (raw === undefined || raw === null) return null;
  if (field.kind === "date") return typeof raw === "string" ? parseDateOnly(raw) : null;
  if (field.kind === "datetime") {
    const date = typeof raw === "string" ? new Date(raw) : null;
    return date && !Number.isNaN(date.getTime()) ? date : null;
  }
  if (field.kind === "boolean") return raw === true;
  if (field.kind === "money" || field.kind === "integer" || field.kind === "optionset") {
    return typeof raw === "number" ? raw : null;
  }
  return typeof raw === "string" ? raw : String(raw);
}

/** The lookup's navigation property, from the row's annotation (customerid → customerid_account). */
export function navigationOf(field: FieldDefinition, row: Record<string, unknown>): string {
  const nav = row[`_${field.column}_value${NAVIGATION}`];
  return typeof nav === "string" && nav ? nav : field.column;
}

/**
 * One column of a Web API body. `setNameOf` gives the entity set of a lookup's table; `navigation` is the
 * navigation property for the lookup's current table.
 */
export function bodyEntry(
  field: FieldDefinition,
  value: XrmValue,
  setNameOf: (table: string) => string,
  navigation: (table: string) => string,
): [string, unknown] {
  if (field.kind === "lookup") {
    const first = Array.isArray(value) ? value[0] : undefined;
    const table = first?.entityType ?? field.target ?? "";
    if (!first) return [`${navigation(table)}@odata.bind`, null];
    const id = first.id.replace(/[{}]/g, "").toLowerCase();
    return [`${navigation(table)}@odata.bind`, `/${setNameOf(table)}(${id})`];
  }
  if (value instanceof Date) {
    return [field.column, field.kind === "date" ? formatDateOnly(value) : value.toISOString()];
  }
  if (Array.isArray(value)) throw new Error(`${field.column} is not a lookup but holds a lookup value.`);
  return [field.column, value];
}

export function sameValue(a: XrmValue, b: XrmValue): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = Array.isArray(a) ? a[0] : undefined;
    const y = Array.isArray(b) ? b[0] : undefined;
    if (!x || !y) return !x && !y;
    return x.id.replace(/[{}]/g, "").toLowerCase() === y.id.replace(/[{}]/g, "").toLowerCase();
  }
  return a === b;
}
