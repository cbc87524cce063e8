import { PLATFORM_TABLES } from "./platformTables";
import { MANY_TO_MANY, PRODUCT_TABLES, PUBLISHER_PREFIX, STANDARD_TABLES } from "./tables";
import type { ColumnDefinition, LookupColumn, ManyToManyRelationship, TableDefinition } from "./types";

export * from "./types";
export * from "./productChoices";
export { MANY_TO_MANY, PLATFORM_TABLES, PRODUCT_TABLES, PUBLISHER_PREFIX, STANDARD_TABLES };

/** Every table the product touches: product, standard and platform tables. */
export const ALL_TABLES: readonly TableDefinition[] = [...STANDARD_TABLES, ...PRODUCT_TABLES, ...PLATFORM_TABLES];

const byLogicalName = new Map(ALL_TABLES.map((t) => [t.logicalName, t]));
const bySetName = new Map(ALL_TABLES.map((t) => [t.entitySetName, t]));

export function tableByLogicalName(logicalName: string): TableDefinition | undefined {
  return byLogicalName.get(logicalName);
}

export function tableBySetName(entitySetName: string): TableDefinition | undefined {
  return bySetName.get(entitySetName);
}

export function columnOf(table: TableDefinition, logicalName: string): ColumnDefinition | undefined {
  return table.columns.find((c) => c.logicalName === logicalName);
}

export function isLookup(column: ColumnDefinition): column is LookupColumn {
  return column.type === "lookup" || column.type === "customer" || column.type === "owner";
}

/** What the solution packer emits: the product's own tables, and the custom columns it adds to standard ones. */
export function packagedComponents(): {
  tables: TableDefinition[];
  columns: { table: TableDefinition; column: ColumnDefinition }[];
  relationships: ManyToManyRelationship[];
} {
  return {
    tables: ALL_TABLES.filter((t) => t.origin === "product"),
    columns: STANDARD_TABLES.flatMap((table) =>
      table.columns.filter((c) => c.custom).map((column) => ({ table, column })),
    ),
    relationships: MANY_TO_MANY.filter((r) => r.custom),
  };
}

/** Single-valued navigation properties of a table, each pointing at its lookup column and target. */
export interface SingleNavigation {
  name: string;
  column: LookupColumn;
  targetTable: string;
}

/** Collection-valued navigation properties: 1:N (the other table's lookup points here) and N:N. */
export type CollectionNavigation =
  | { kind: "oneToMany"; name: string; referencingTable: string; referencingColumn: string }
  | {
      kind: "manyToMany";
      name: string;
      relationship: ManyToManyRelationship;
      otherTable: string;
      thisIsTable1: boolean;
    };

export function singleNavigations(table: TableDefinition): SingleNavigation[] {
  return table.columns
    .filter(isLookup)
    .flatMap((column) => column.targets.map((t) => ({ name: t.navigationProperty, column, targetTable: t.table })));
}

export function collectionNavigations(table: TableDefinition): CollectionNavigation[] {
  const out: CollectionNavigation[] = [];
  for (const other of ALL_TABLES) {
    for (const column of other.columns.filter(isLookup)) {
      for (const t of column.targets) {
        if (t.table === table.logicalName && column.type !== "owner" && !out.some((n) => n.name === t.relationship)) {
          out.push({
            kind: "oneToMany",
            name: t.relationship,
            referencingTable: other.logicalName,
            referencingColumn: column.logicalName,
          });
        }
      }
    }
  }
  for (const rel of MANY_TO_MANY) {
    if (rel.table1 === table.logicalName) {
      out.push({
        kind: "manyToMany",
        name: rel.table1NavigationProperty,
        relationship: rel,
        otherTable: rel.table2,
        thisIsTable1: true,
      });
    } else if (rel.table2 === table.logicalName) {
      out.push({
        kind: "manyToMany",
        name: rel.table2NavigationProperty,
        relationship: rel,
        otherTable: rel.table1,
        thisIsTable1: false,
      });
    }
  }
  return out;
}
