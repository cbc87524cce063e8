import { createHash } from "node:crypto";
import {
  ALL_TABLES,
  isLookup,
  tableByLogicalName,
  type ColumnDefinition,
  type Label,
  type TableDefinition,
} from "../../../solution/schema";
import { badRequest, DataverseError, ERROR_CODES } from "./errors";
import type { FilterNode, Operand } from "./odataFilter";
import { parseQueryOptions, splitTopLevel } from "./queryOptions";
import type { Language } from "./values";

/**
 * Read-only table metadata (EntityDefinitions, their Attributes and option sets) generated from
 * solution/schema, so setup/doctor and clients can check what is installed the way they would on a
 * real org. Writes to metadata are refused: the solution import is what creates it.
 */

type Json = Record<string, unknown>;

/** Stable ids: the same name always gives the same MetadataId (name-based, v5-style). */
export function metadataId(name: string): string {
  const h = createHash("sha1").update(`pcs-emulator:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

function label(l: Label, language: Language): Json {
  const localized = [
    { Label: l.en, LanguageCode: 1033 },
    { Label: l.ko, LanguageCode: 1042 },
  ];
  return { LocalizedLabels: localized, UserLocalizedLabel: language === 1042 ? localized[1] : localized[0] };
}

const ATTRIBUTE_TYPE: Record<ColumnDefinition["type"], string> = {
  primarykey: "Uniqueidentifier",
  uniqueidentifier: "Uniqueidentifier",
  string: "String",
  memo: "Memo",
  integer: "Integer",
  bigint: "BigInt",
  decimal: "Decimal",
  money: "Money",
  boolean: "Boolean",
  choice: "Picklist",
  state: "State",
  status: "Status",
  datetime: "DateTime",
  lookup: "Lookup",
  customer: "Customer",
  owner: "Owner",
};

const CAST: Record<string, string> = {
  String: "StringAttributeMetadata",
  Memo: "MemoAttributeMetadata",
  Integer: "IntegerAttributeMetadata",
  BigInt: "BigIntAttributeMetadata",
  Decimal: "DecimalAttributeMetadata",
  Money: "MoneyAttributeMetadata",
  Boolean: "BooleanAttributeMetadata",
  Picklist: "PicklistAttributeMetadata",
  State: "StateAttributeMetadata",
  Status: "StatusAttributeMetadata",
  DateTime: "DateTimeAttributeMetadata",
  Lookup: "LookupAttributeMetadata",
  Customer: "LookupAttributeMetadata",
  Owner: "LookupAttributeMetadata",
  Uniqueidentifier: "UniqueIdentifierAttributeMetadata",
};

function attributeJson(
  table: TableDefinition,
  column: ColumnDefinition,
  language: Language,
  withOptions: boolean,
): Json {
  const type = ATTRIBUTE_TYPE[column.type];
  const out: Json = {
    "@odata.type": `#Microsoft.Dynamics.CRM.${CAST[type] ?? "AttributeMetadata"}`,
    MetadataId: metadataId(`${table.logicalName}.${column.logicalName}`),
    LogicalName: column.logicalName,
    SchemaName: column.schemaName,
    EntityLogicalName: table.logicalName,
    AttributeType: type,
    IsCustomAttribute: column.custom,
    IsPrimaryId: column.logicalName === table.primaryIdAttribute,
    IsPrimaryName: column.logicalName === table.primaryNameAttribute,
    IsValidForCreate: !column.systemManaged,
    IsValidForUpdate: !column.systemManaged && column.type !== "primarykey",
    RequiredLevel: {
      Value:
        column.requiredLevel === "required"
          ? "ApplicationRequired"
          : column.requiredLevel === "recommended"
            ? "Recommended"
            : "None",
    },
    DisplayName: label(column.displayName, language),
    Description: column.description
      ? label(column.description, language)
      : { LocalizedLabels: [], UserLocalizedLabel: null },
  };
  if (column.type === "string" || column.type === "memo") out.MaxLength = column.maxLength;
  if (column.type === "string")
    out.FormatName = {
      Value:
        column.format === "text"
          ? "Text"
          : column.format === "url"
            ? "Url"
            : column.format === "email"
              ? "Email"
              : "Phone",
    };
  if (column.type === "integer" || column.type === "decimal" || column.type === "money") {
    out.MinValue = column.min;
    out.MaxValue = column.max;
  }
  if (column.type === "decimal" || column.type === "money") out.Precision = column.precision;
  if (column.type === "datetime") {
    out.DateTimeBehavior = { Value: column.behavior };
    out.Format = column.format;
  }
  if (isLookup(column)) out.Targets = column.targets.map((t) => t.table);
  if (withOptions && (column.type === "choice" || column.type === "state" || column.type === "status")) {
    out.OptionSet = {
      Name: column.optionSetName,
      IsGlobal: false,
      OptionSetType: type,
      Options: column.options.map((o) => ({ Value: o.value, Label: label(o.label, language) })),
    };
  }
  if (withOptions && column.type === "boolean") {
    out.OptionSet = {
      Name: `${table.logicalName}_${column.logicalName}`,
      IsGlobal: false,
      OptionSetType: "Boolean",
      TrueOption: { Value: 1, Label: label(column.trueLabel, language) },
      FalseOption: { Value: 0, Label: label(column.falseLabel, language) },
    };
  }
  return out;
}

function entityJson(table: TableDefinition, language: Language): Json {
  return {
    MetadataId: metadataId(table.logicalName),
    LogicalName: table.logicalName,
    SchemaName: table.schemaName,
    EntitySetName: table.entitySetName,
    LogicalCollectionName: table.entitySetName,
    PrimaryIdAttribute: table.primaryIdAttribute,
    PrimaryNameAttribute: table.primaryNameAttribute,
    ObjectTypeCode: table.objectTypeCode ?? 10_000 + ALL_TABLES.indexOf(table),
    OwnershipType:
      table.ownership === "UserOwned"
        ? "UserOwned"
        : table.ownership === "OrganizationOwned"
          ? "OrganizationOwned"
          : "None",
    IsCustomEntity: table.origin === "product",
    DisplayName: label(table.displayName, language),
    DisplayCollectionName: label(table.displayCollectionName, language),
    Keys: (table.alternateKeys ?? []).map((k) => ({ KeyAttributes: [...k], EntityKeyIndexStatus: "Active" })),
  };
}

function select(obj: Json, names: string[] | null): Json {
  if (!names) return obj;
  const out: Json = {};
  if (obj["@odata.type"]) out["@odata.type"] = obj["@odata.type"];
  // Expanded properties come back whatever $select says, as in OData.
  for (const n of ["MetadataId", "OptionSet", ...names]) if (n in obj) out[n] = obj[n];
  return out;
}

/** Metadata $filter: eq/ne/and/or/not over plain properties, which is what metadata queries use. */
function matches(obj: Json, node: FilterNode): boolean {
  switch (node.kind) {
    case "and":
      return matches(obj, node.left) && matches(obj, node.right);
    case "or":
      return matches(obj, node.left) || matches(obj, node.right);
    case "not":
      return !matches(obj, node.operand);
    case "function": {
      const value = obj[node.property.path.join("/")];
      const needle = String(node.value.value ?? "").toLowerCase();
      const hay = typeof value === "string" ? value.toLowerCase() : "";
      return node.name === "contains"
        ? hay.includes(needle)
        : node.name === "startswith"
          ? hay.startsWith(needle)
          : hay.endsWith(needle);
    }
    case "compare": {
      const v = (o: Operand) => (o.kind === "literal" ? o.value : obj[o.path.join("/")]);
      const [a, b] = [v(node.left), v(node.right)];
      if (node.op === "eq") return a === b;
      if (node.op === "ne") return a !== b;
      throw badRequest(`Metadata queries support eq and ne comparisons only ('${node.op}').`);
    }
  }
}

function keyOf(raw: string, what: string, byName: (name: string) => boolean, byId: (id: string) => boolean): string {
  const name = /^LogicalName\s*=\s*'([^']*)'$/.exec(raw.trim())?.[1];
  if (name !== undefined) {
    if (!byName(name))
      throw new DataverseError(404, ERROR_CODES.recordNotFound, `Could not find ${what} with LogicalName = '${name}'.`);
    return name;
  }
  const id = raw
    .trim()
    .replace(/^\{|\}$/g, "")
    .toLowerCase();
  if (!byId(id))
    throw new DataverseError(404, ERROR_CODES.recordNotFound, `Could not find ${what} with MetadataId = '${raw}'.`);
  return id;
}

export function handleMetadata(
  method: string,
  path: string,
  params: Map<string, string>,
  baseUrl: string,
  language: Language,
): Json {
  if (method !== "GET")
    throw new DataverseError(
      405,
      ERROR_CODES.methodNotAllowed,
      "Table metadata is read-only in the emulator: the solution import creates it.",
    );
  const m =
    /^EntityDefinitions(?:\(([^)]*)\))?(?:\/Attributes(?:\(([^)]*)\))?(?:\/Microsoft\.Dynamics\.CRM\.(\w+))?)?$/.exec(
      path,
    );
  if (!m) throw new DataverseError(404, ERROR_CODES.resourceNotFound, `Resource not found for the segment '${path}'.`);
  const [, entityKey, attributeKey, cast] = m;
  const expand = params.get("$expand");
  const rest = new Map([...params].filter(([k]) => k !== "$expand"));
  const options = parseQueryOptions(rest);
  if (entityKey === undefined) {
    const all = ALL_TABLES.map((t) => entityJson(t, language)).filter(
      (e) => !options.filter || matches(e, options.filter),
    );
    return {
      "@odata.context": `${baseUrl}$metadata#EntityDefinitions`,
      value: all.map((e) => select(e, options.select)),
    };
  }
  const listingAttributes = path.includes("/Attributes") && attributeKey === undefined;
  if (!listingAttributes && (options.filter || options.orderBy.length || options.top !== null)) {
    throw badRequest("Query options $filter, $orderby and $top are only allowed on a collection.");
  }
  const logicalName = keyOf(
    entityKey,
    "an entity",
    (n) => tableByLogicalName(n) !== undefined,
    (id) => ALL_TABLES.some((t) => metadataId(t.logicalName) === id),
  );
  const table = tableByLogicalName(logicalName) ?? ALL_TABLES.find((t) => metadataId(t.logicalName) === logicalName);
  if (!table) throw new DataverseError(404, ERROR_CODES.recordNotFound, `Could not find an entity '${entityKey}'.`);
  const withOptions = (expand ?? "")
    .split(",")
    .some((e) => e.trim().startsWith("OptionSet") || e.trim().startsWith("GlobalOptionSet"));
  const castType = cast ? ATTRIBUTE_TYPE_BY_CAST[cast] : null;
  if (cast && !castType) throw badRequest(`Unknown metadata cast 'Microsoft.Dynamics.CRM.${cast}'.`);
  if (path.includes("/Attributes")) {
    const columns = table.columns.filter((c) => !castType || castType.includes(ATTRIBUTE_TYPE[c.type]));
    if (attributeKey !== undefined) {
      const name = keyOf(
        attributeKey,
        `an attribute of '${table.logicalName}'`,
        (n) => columns.some((c) => c.logicalName === n),
        (id) => columns.some((c) => metadataId(`${table.logicalName}.${c.logicalName}`) === id),
      );
      const column = columns.find(
        (c) => c.logicalName === name || metadataId(`${table.logicalName}.${c.logicalName}`) === name,
      );
      if (!column)
        throw new DataverseError(404, ERROR_CODES.recordNotFound, `Could not find attribute '${attributeKey}'.`);
      return {
        "@odata.context": `${baseUrl}$metadata#EntityDefinitions('${table.logicalName}')/Attributes/$entity`,
        ...select(attributeJson(table, column, language, withOptions), options.select),
      };
    }
    const list = columns
      .map((c) => attributeJson(table, c, language, withOptions))
      .filter((a) => !options.filter || matches(a, options.filter));
    return {
      "@odata.context": `${baseUrl}$metadata#EntityDefinitions('${table.logicalName}')/Attributes`,
      value: list.map((a) => select(a, options.select)),
    };
  }
  const out: Json = {
    "@odata.context": `${baseUrl}$metadata#EntityDefinitions/$entity`,
    ...select(entityJson(table, language), options.select),
  };
  if (expand) {
    for (const item of splitTopLevel(expand, ",")) {
      const [nav, inner] = [item.replace(/\(.*$/, "").trim(), /\((.*)\)$/.exec(item)?.[1] ?? ""];
      if (nav !== "Attributes")
        throw badRequest(`Could not find a property named '${nav}' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.`);
      const innerSelect =
        /\$select=([^;]*)/
          .exec(inner)?.[1]
          ?.split(",")
          .map((s) => s.trim()) ?? null;
      out.Attributes = table.columns.map((c) => select(attributeJson(table, c, language, false), innerSelect));
    }
  }
  return out;
}

const ATTRIBUTE_TYPE_BY_CAST: Record<string, string[]> = Object.entries(CAST).reduce<Record<string, string[]>>(
  (acc, [type, cast]) => {
    (acc[cast] ??= []).push(type);
    return acc;
  },
  {},
);
