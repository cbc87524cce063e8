import {
  collectionNavigations,
  isLookup,
  singleNavigations,
  tableByLogicalName,
  tableBySetName,
  type CollectionNavigation,
  type ColumnDefinition,
  type SingleNavigation,
  type TableDefinition,
} from "../../../solution/schema";
import { DataverseError, ERROR_CODES, propertyNotFound } from "./errors";

/**
 * The Web API view of the schema: structural property names (lookups appear as `_x_value`),
 * their Edm types, and navigation properties, all derived from solution/schema.
 */

export type EdmType =
  | "Edm.Guid"
  | "Edm.String"
  | "Edm.Int32"
  | "Edm.Int64"
  | "Edm.Decimal"
  | "Edm.Boolean"
  | "Edm.DateTimeOffset"
  | "Edm.Date";

export function webApiPropertyName(column: ColumnDefinition): string {
  return isLookup(column) ? `_${column.logicalName}_value` : column.logicalName;
}

export function edmTypeOf(column: ColumnDefinition): EdmType {
  switch (column.type) {
    case "primarykey":
    case "uniqueidentifier":
    case "lookup":
    case "customer":
    case "owner":
      return "Edm.Guid";
    case "string":
    case "memo":
      return "Edm.String";
    case "integer":
    case "choice":
    case "state":
    case "status":
      return "Edm.Int32";
    case "bigint":
      return "Edm.Int64";
    case "decimal":
    case "money":
      return "Edm.Decimal";
    case "boolean":
      return "Edm.Boolean";
    case "datetime":
      return column.behavior === "DateOnly" ? "Edm.Date" : "Edm.DateTimeOffset";
  }
}

export interface TableModel {
  table: TableDefinition;
  /** Web API property name → column. */
  properties: Map<string, ColumnDefinition>;
  single: Map<string, SingleNavigation[]>;
  collections: Map<string, CollectionNavigation>;
}

const cache = new Map<string, TableModel>();

export function modelOf(table: TableDefinition): TableModel {
  const cached = cache.get(table.logicalName);
  if (cached) return cached;
  const single = new Map<string, SingleNavigation[]>();
  for (const nav of singleNavigations(table)) single.set(nav.name, [...(single.get(nav.name) ?? []), nav]);
  const model: TableModel = {
    table,
    properties: new Map(table.columns.map((c) => [webApiPropertyName(c), c])),
    single,
    collections: new Map(collectionNavigations(table).map((n) => [n.name, n])),
  };
  cache.set(table.logicalName, model);
  return model;
}

export function modelBySetName(segment: string): TableModel {
  const table = tableBySetName(segment);
  if (!table)
    throw new DataverseError(404, ERROR_CODES.resourceNotFound, `Resource not found for the segment '${segment}'.`);
  return modelOf(table);
}

export function modelByLogicalName(logicalName: string): TableModel {
  const table = tableByLogicalName(logicalName);
  if (!table)
    throw new DataverseError(404, ERROR_CODES.resourceNotFound, `Resource not found for the segment '${logicalName}'.`);
  return modelOf(table);
}

export function propertyOf(model: TableModel, name: string): ColumnDefinition {
  const column = model.properties.get(name);
  if (!column) throw propertyNotFound(name, model.table.logicalName);
  return column;
}
