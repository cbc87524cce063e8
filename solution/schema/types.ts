/**
 * Table and column definitions in the shape Dataverse metadata has them. One source: the Dataverse
 * emulator serves these tables and the solution packer generates Customizations.xml from the
 * columns and tables marked `custom`, so the two cannot disagree.
 */

/** English (1033) and Korean (1042) labels, the two languages the product ships. */
export interface Label {
  en: string;
  ko: string;
}

export interface ChoiceOption {
  value: number;
  label: Label;
}

interface ColumnBase {
  logicalName: string;
  /** Schema name (case as in metadata); custom lookup navigation properties use it. */
  schemaName: string;
  displayName: Label;
  description?: Label;
  /** Added by this product's solution (the packer emits it); false for platform columns. */
  custom: boolean;
  requiredLevel?: "none" | "recommended" | "required";
  /** Set by the platform only: writes to it are ignored, as Dataverse ignores them. */
  systemManaged?: boolean;
  /** Hidden from forms; the API still reads and writes it. */
  hidden?: boolean;
  /** Read-only on forms (the proxy writes it through the API). */
  formReadOnly?: boolean;
}

export interface PrimaryKeyColumn extends ColumnBase {
  type: "primarykey";
}
/** A Guid value that is not a key or lookup, e.g. systemuser.azureactivedirectoryobjectid. */
export interface UniqueIdentifierColumn extends ColumnBase {
  type: "uniqueidentifier";
}
export interface StringColumn extends ColumnBase {
  type: "string";
  maxLength: number;
  format: "text" | "email" | "url" | "phone";
}
export interface MemoColumn extends ColumnBase {
  type: "memo";
  maxLength: number;
}
export interface IntegerColumn extends ColumnBase {
  type: "integer";
  min: number;
  max: number;
}
export interface BigIntColumn extends ColumnBase {
  type: "bigint";
}
export interface DecimalColumn extends ColumnBase {
  type: "decimal";
  precision: number;
  min: number;
  max: number;
}
export interface MoneyColumn extends ColumnBase {
  type: "money";
  precision: number;
  min: number;
  max: number;
}
export interface BooleanColumn extends ColumnBase {
  type: "boolean";
  trueLabel: Label;
  falseLabel: Label;
  defaultValue: boolean;
}
export interface ChoiceColumn extends ColumnBase {
  type: "choice" | "state" | "status";
  /** Local option set name, `<table>_<column>` as the designer names it. */
  optionSetName: string;
  options: readonly ChoiceOption[];
  defaultValue?: number;
}
export interface DateTimeColumn extends ColumnBase {
  type: "datetime";
  /** DateOnly columns hold a calendar date; UserLocal ones an instant. */
  behavior: "UserLocal" | "DateOnly" | "TimeZoneIndependent";
  format: "DateOnly" | "DateAndTime";
}
export interface LookupTarget {
  table: string;
  /** Single-valued navigation property on the referencing table (case-sensitive, used in @odata.bind and $expand). */
  navigationProperty: string;
  /** 1:N relationship schema name; also the collection-valued navigation property on the target table. */
  relationship: string;
}
export interface LookupColumn extends ColumnBase {
  type: "lookup" | "customer" | "owner";
  targets: readonly LookupTarget[];
}

export type ColumnDefinition =
  | PrimaryKeyColumn
  | UniqueIdentifierColumn
  | StringColumn
  | MemoColumn
  | IntegerColumn
  | BigIntColumn
  | DecimalColumn
  | MoneyColumn
  | BooleanColumn
  | ChoiceColumn
  | DateTimeColumn
  | LookupColumn;

export type ColumnType = ColumnDefinition["type"];

export interface TableDefinition {
  logicalName: string;
  schemaName: string;
  entitySetName: string;
  displayName: Label;
  displayCollectionName: Label;
  primaryIdAttribute: string;
  primaryNameAttribute: string;
  /** Object type code as the platform numbers it (custom tables get theirs at import: null). */
  objectTypeCode: number | null;
  ownership: "UserOwned" | "OrganizationOwned" | "None";
  /** "product": the solution creates the table; "standard": a Dataverse/Sales table the product reads (and may extend). */
  origin: "product" | "standard" | "system";
  /**
   * Alternate keys: each a list of columns that together identify a row. Only the product's own tables
   * declare them (the solution creates them); standard tables get none here, because code relying on a
   * key a real org may not have would work only against the emulator.
   */
  alternateKeys?: readonly (readonly string[])[];
  columns: readonly ColumnDefinition[];
}

/** Many-to-many relationship; the schema name is also the collection-valued navigation property on both sides. */
export interface ManyToManyRelationship {
  schemaName: string;
  custom: boolean;
  table1: string;
  table2: string;
  intersectEntity: string;
  /** Navigation property names on each side (usually the schema name). */
  table1NavigationProperty: string;
  table2NavigationProperty: string;
}
