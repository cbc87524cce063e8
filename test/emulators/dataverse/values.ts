import { isLookup, type ColumnDefinition, type Label } from "../../../solution/schema";
import { badRequest, DataverseError, ERROR_CODES } from "./errors";
import { edmTypeOf } from "./model";
import type { CellValue, EntityRef } from "./store";

/** Converting between Web API JSON, stored cells and formatted values, with Dataverse's validation messages. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

function conversionError(value: unknown, column: ColumnDefinition): DataverseError {
  return badRequest(
    `An error occurred while validating input parameters: Microsoft.OData.ODataException: Cannot convert the literal '${String(
      typeof value === "object" ? JSON.stringify(value) : value,
    )}' to the expected type '${edmTypeOf(column)}' (property '${column.logicalName}').`,
  );
}

function rangeError(table: string, column: ColumnDefinition, value: number, accepted: string): DataverseError {
  return new DataverseError(
    400,
    ERROR_CODES.outOfRange,
    `A validation error occurred.  The value ${value} of '${column.logicalName}' on record of type '${table}' is outside the valid range. ${accepted}`,
  );
}

/** Refuses what Date.parse would roll over (2027-02-30, 25:00): every written component must exist. */
export function realCalendarParts(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2})))?$/.exec(
    value,
  );
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth) return false;
  const within = (text: string | undefined, max: number) => text === undefined || Number(text) <= max;
  return within(m[4], 23) && within(m[5], 59) && within(m[6], 59) && within(m[7], 14) && within(m[8], 59);
}

/** Seconds precision, as Dataverse stores date-times. */
export function toStoredInstant(time: number): string {
  return new Date(Math.floor(time / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** A JSON value from a request body → the stored cell (lookups are handled by the caller). */
export function coerceInput(table: string, column: ColumnDefinition, value: unknown): CellValue {
  if (value === null) return null;
  switch (column.type) {
    case "primarykey":
    case "uniqueidentifier":
      if (typeof value !== "string" || !isGuid(value)) throw conversionError(value, column);
      return value.toLowerCase();
    case "string":
    case "memo":
      if (typeof value !== "string") throw conversionError(value, column);
      if (value.length > column.maxLength) {
        throw new DataverseError(
          400,
          ERROR_CODES.maxLength,
          `A validation error occurred.  The length of the '${column.logicalName}' attribute of the '${table}' entity exceeded the maximum allowed length of '${column.maxLength}'.`,
        );
      }
      return value;
    case "integer":
    case "bigint":
      if (typeof value !== "number" || !Number.isInteger(value)) throw conversionError(value, column);
      if (column.type === "integer" && (value < column.min || value > column.max)) {
        throw rangeError(table, column, value, `Accepted range: ${column.min} to ${column.max}.`);
      }
      return value;
    case "decimal":
    case "money":
      if (typeof value !== "number" || !Number.isFinite(value)) throw conversionError(value, column);
      if (value < column.min || value > column.max)
        throw rangeError(table, column, value, `Accepted range: ${column.min} to ${column.max}.`);
      return Number(value.toFixed(column.type === "money" ? 4 : column.precision));
    case "boolean":
      if (typeof value !== "boolean") throw conversionError(value, column);
      return value;
    case "choice":
    case "state":
    case "status":
      if (typeof value !== "number" || !Number.isInteger(value)) throw conversionError(value, column);
      if (!column.options.some((o) => o.value === value)) {
        throw new DataverseError(
          400,
          ERROR_CODES.invalidOption,
          `A validation error occurred.  The value ${value} of '${column.logicalName}' on record of type '${table}' is outside the valid range. Accepted Values: ${column.options
            .map((o) => o.value)
            .join(",")}`,
        );
      }
      return value;
    case "datetime": {
      if (typeof value !== "string" || !realCalendarParts(value)) throw conversionError(value, column);
      const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
      const time = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
      if (Number.isNaN(time) || (!dateOnly && !/(?:Z|[+-]\d{2}:\d{2})$/.test(value)))
        throw conversionError(value, column);
      const year = new Date(time).getUTCFullYear();
      if (year < 1753 || year > 9999)
        throw rangeError(table, column, year, "Dates must be between 1/1/1753 and 12/31/9999.");
      if (column.behavior === "DateOnly") return new Date(time).toISOString().slice(0, 10);
      return toStoredInstant(time);
    }
    case "lookup":
    case "customer":
    case "owner":
      throw badRequest(
        "CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.",
      );
  }
}

export function isEntityRef(value: CellValue | undefined): value is EntityRef {
  return typeof value === "object" && value !== null;
}

/** The stored cell as the Web API returns it. */
export function cellToJson(column: ColumnDefinition, value: CellValue | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (isLookup(column)) return isEntityRef(value) ? value.id : null;
  if (isEntityRef(value)) return value.id;
  return value;
}

export type Language = 1033 | 1042;

export function labelText(label: Label, language: Language): string {
  return language === 1042 ? label.ko : label.en;
}

function groupNumber(value: number, decimals: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** en-US formatting, in UTC: the emulator has no per-user time zone. */
function formatInstant(iso: string): string {
  const d = new Date(iso);
  const hours = d.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  const minutes = String(d.getUTCMinutes()).padStart(2, "0");
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${minutes} ${hours < 12 ? "AM" : "PM"}`;
}

function formatDate(date: string): string {
  const [y, m, d] = date.split("-");
  return `${Number(m)}/${Number(d)}/${y}`;
}

export interface CurrencyFormat {
  symbol: string;
  precision: number;
}

/** OData.Community.Display.V1.FormattedValue of a non-lookup cell, or null when Dataverse gives none. */
export function formattedValue(
  column: ColumnDefinition,
  value: CellValue | undefined,
  language: Language,
  currency: CurrencyFormat | null,
): string | null {
  if (value === undefined || value === null || isEntityRef(value)) return null;
  switch (column.type) {
    case "choice":
    case "state":
    case "status": {
      const option = column.options.find((o) => o.value === value);
      return option ? labelText(option.label, language) : null;
    }
    case "boolean":
      return labelText(value === true ? column.trueLabel : column.falseLabel, language);
    case "money": {
      const c = currency ?? { symbol: "$", precision: 2 };
      const n = Number(value);
      return `${n < 0 ? "-" : ""}${c.symbol}${groupNumber(Math.abs(n), c.precision)}`;
    }
    case "integer":
      return groupNumber(Number(value), 0);
    case "decimal":
      return groupNumber(Number(value), column.precision);
    case "datetime":
      return column.behavior === "DateOnly" ? formatDate(String(value)) : formatInstant(String(value));
    default:
      return null;
  }
}
