import type { ChoiceColumn, ColumnDefinition, Label, ManyToManyRelationship, TableDefinition } from "../schema";
import { tableByLogicalName } from "../schema";
import { descriptions, displayNames, labels, localized, localizedNames } from "./localizedLabels";
import { el, textEl, type XmlElement } from "./xmlBuilder";

/**
 * Table and column metadata in the shape of the exported samples (customizations.xml `<Entity>`), generated
 * from solution/schema only. Columns the platform creates with every table (created/modified by/on, owner,
 * version number) are not emitted: Dataverse adds them when it creates the table, and they are not ours to
 * describe. Newer elements the schema does not know (IsSearchable, IsFilterable, …) are left out on purpose
 * (see ../shared/reference/dataverse/xsd/README.md).
 */

const INTRODUCED_VERSION = "1.0.0.0";

const REQUIRED_LEVEL: Record<NonNullable<ColumnDefinition["requiredLevel"]>, string> = {
  none: "none",
  recommended: "recommended",
  required: "applicationrequired",
};

/** Dataverse's `<Type>` for each schema column type; null: nothing the packer may emit. */
function crmType(column: ColumnDefinition): string | null {
  switch (column.type) {
    case "primarykey":
      return "primarykey";
    case "string":
      return "nvarchar";
    case "memo":
      return "ntext";
    case "integer":
      return "int";
    case "decimal":
      return "decimal";
    case "money":
      return "money";
    case "boolean":
      return "bit";
    case "choice":
      return "picklist";
    case "state":
      return "state";
    case "status":
      return "status";
    case "datetime":
      return "datetime";
    case "lookup":
      return "lookup";
    case "customer":
      return "customer";
    case "owner":
      return "owner";
    case "bigint":
    case "uniqueidentifier":
      return null;
  }
}

const DATETIME_BEHAVIOR = { UserLocal: 1, DateOnly: 2, TimeZoneIndependent: 3 } as const;

function optionElements(options: ChoiceColumn["options"]): XmlElement {
  return el(
    "options",
    {},
    options.map((o) => el("option", { value: o.value }, labels(o.label))),
  );
}

function optionSet(name: string, type: string, display: Label, body: XmlElement): XmlElement {
  return el(
    "optionset",
    { Name: name },
    textEl("OptionSetType", type),
    textEl("IntroducedVersion", INTRODUCED_VERSION),
    textEl("IsCustomizable", 1),
    displayNames(display),
    body,
  );
}

/**
 * Custom tables get the platform's two states (0 Active, 1 Inactive) with one status each (1, 2); the state and
 * status XML below pairs them by that rule, so any other shape is refused rather than written wrong.
 */
function requireActiveInactive(table: TableDefinition, column: ChoiceColumn): void {
  const values = column.options.map((o) => o.value).join(",");
  const expected = column.type === "state" ? "0,1" : "1,2";
  if (values !== expected) {
    throw new Error(
      `${table.logicalName}.${column.logicalName}: the packer writes ${column.type} ${expected}, not ${values}`,
    );
  }
}

function typeSpecific(table: TableDefinition, column: ColumnDefinition): XmlElement[] {
  switch (column.type) {
    case "string":
      return [
        textEl("Format", column.format),
        textEl("MaxLength", column.maxLength),
        textEl("Length", column.maxLength * 2),
      ];
    case "memo":
      return [textEl("Format", "text"), textEl("MaxLength", column.maxLength)];
    case "integer":
      return [textEl("Format", "none"), textEl("MinValue", column.min), textEl("MaxValue", column.max)];
    case "decimal":
      return [textEl("MinValue", column.min), textEl("MaxValue", column.max), textEl("Accuracy", column.precision)];
    case "money":
      return [
        textEl("MinValue", column.min),
        textEl("MaxValue", column.max),
        textEl("Accuracy", column.precision),
        textEl("AccuracySource", 2),
      ];
    case "boolean":
      return [
        textEl("AppDefaultValue", column.defaultValue ? 1 : 0),
        optionSet(
          `${table.logicalName}_${column.logicalName}`,
          "bit",
          column.displayName,
          el(
            "options",
            {},
            el("option", { value: 1 }, labels(column.trueLabel)),
            el("option", { value: 0 }, labels(column.falseLabel)),
          ),
        ),
      ];
    case "choice":
      return [
        textEl("AppDefaultValue", column.defaultValue ?? -1),
        optionSet(column.optionSetName, "picklist", column.displayName, optionElements(column.options)),
      ];
    case "state":
      requireActiveInactive(table, column);
      return [
        optionSet(
          column.optionSetName,
          "state",
          column.displayName,
          el(
            "states",
            {},
            column.options.map((o) =>
              el(
                "state",
                { value: o.value, defaultstatus: o.value + 1, invariantname: o.label.en.replace(/\W/g, "") },
                labels(o.label),
              ),
            ),
          ),
        ),
      ];
    case "status":
      requireActiveInactive(table, column);
      return [
        optionSet(
          column.optionSetName,
          "status",
          column.displayName,
          el(
            "statuses",
            {},
            column.options.map((o) => el("status", { value: o.value, state: o.value - 1 }, labels(o.label))),
          ),
        ),
      ];
    case "datetime":
      return [
        textEl("Format", column.format === "DateOnly" ? "date" : "datetime"),
        textEl("Behavior", DATETIME_BEHAVIOR[column.behavior]),
        textEl("CanChangeDateTimeBehavior", 0),
      ];
    case "lookup":
    case "customer":
    case "owner":
      return [textEl("LookupStyle", "single"), el("LookupTypes")];
    default:
      return [];
  }
}

/** Hidden columns (fingerprint, ETag, retry schedule) are left out of the form designer and views, not the API. */
function displayMask(column: ColumnDefinition): string {
  if (column.type === "primarykey") return "ValidForAdvancedFind|RequiredForGrid";
  return column.hidden ? "ValidForAdvancedFind" : "ValidForAdvancedFind|ValidForForm|ValidForGrid";
}

/** One `<attribute>`; null for a column type the solution format has no place for. */
export function attributeXml(table: TableDefinition, column: ColumnDefinition): XmlElement | null {
  const type = crmType(column);
  if (type === null) return null;
  const isKey = column.type === "primarykey";
  return el(
    "attribute",
    { PhysicalName: column.schemaName },
    textEl("Type", type),
    textEl("Name", column.logicalName),
    textEl("LogicalName", column.logicalName),
    textEl("RequiredLevel", isKey ? "systemrequired" : REQUIRED_LEVEL[column.requiredLevel ?? "none"]),
    textEl("DisplayMask", displayMask(column)),
    textEl("ImeMode", "auto"),
    textEl("ValidForUpdateApi", isKey ? 0 : 1),
    textEl("ValidForReadApi", 1),
    textEl("ValidForCreateApi", column.type === "state" ? 0 : 1),
    textEl("IsCustomField", column.custom ? 1 : 0),
    textEl("IsAuditEnabled", 1),
    textEl("IsSecured", 0),
    textEl("IntroducedVersion", INTRODUCED_VERSION),
    textEl("IsCustomizable", 1),
    textEl("IsRenameable", 1),
    textEl("CanModifySearchSettings", 1),
    textEl("CanModifyRequirementLevelSettings", isKey ? 0 : 1),
    textEl("CanModifyAdditionalSettings", 1),
    textEl("SourceType", 0),
    textEl("IsGlobalFilterEnabled", 0),
    textEl("IsSortableEnabled", 0),
    textEl("CanModifyGlobalFilterSettings", 1),
    textEl("CanModifyIsSortableSettings", 1),
    textEl("IsDataSourceSecret", 0),
    el("AutoNumberFormat"),
    ...typeSpecific(table, column),
    displayNames(column.displayName),
    descriptions(column.description ?? column.displayName),
  );
}

/** Columns of a product table the solution describes: everything except what the platform adds to every table. */
export function emittedColumns(table: TableDefinition): ColumnDefinition[] {
  return table.columns.filter((c) => !c.systemManaged && c.type !== "owner" && crmType(c) !== null);
}

function entityInfo(table: TableDefinition, columns: readonly ColumnDefinition[]): XmlElement {
  const attributes = el(
    "attributes",
    {},
    columns.map((c) => attributeXml(table, c) ?? undefined),
  );
  if (table.origin !== "product") {
    // A standard table: only the columns we add; the table's own metadata is not ours ("unmodified").
    return el("EntityInfo", {}, el("entity", { Name: table.schemaName, unmodified: 1 }, attributes));
  }
  const keys = (table.alternateKeys ?? []).map((keyColumns) =>
    el(
      "EntityKey",
      {},
      textEl("Name", `${table.logicalName}_${keyColumns.join("_")}_key`),
      textEl("LogicalName", `${table.logicalName}_${keyColumns.join("_")}_key`),
      textEl("IntroducedVersion", INTRODUCED_VERSION),
      textEl("IsCustomizable", 1),
      displayNames({
        en: `Key: ${keyColumns.join(", ")}`,
        ko: `키: ${keyColumns.join(", ")}`,
      }),
      el(
        "EntityKeyAttributes",
        {},
        keyColumns.map((k) => textEl("AttributeName", k)),
      ),
    ),
  );
  return el(
    "EntityInfo",
    {},
    el(
      "entity",
      { Name: table.schemaName },
      localizedNames(table.displayName),
      localized("LocalizedCollectionNames", "LocalizedCollectionName", table.displayCollectionName),
      descriptions(table.displayName),
      attributes,
      textEl("EntitySetName", table.entitySetName),
      textEl("IsDuplicateCheckSupported", 0),
      textEl("IsBusinessProcessEnabled", 0),
      textEl("IsRequiredOffline", 0),
      textEl("IsInteractionCentricEnabled", 0),
      textEl("IsCollaboration", 0),
      textEl("AutoRouteToOwnerQueue", 0),
      textEl("IsConnectionsEnabled", 0),
      textEl("IsDocumentManagementEnabled", 0),
      textEl("AutoCreateAccessTeams", 0),
      textEl("IsOneNoteIntegrationEnabled", 0),
      textEl("IsKnowledgeManagementEnabled", 0),
      textEl("IsSLAEnabled", 0),
      textEl("IsDocumentRecommendationsEnabled", 0),
      textEl("IsBPFEntity", 0),
      textEl("OwnershipTypeMask", table.ownership === "UserOwned" ? "UserOwned" : "OrgOwned"),
      textEl("IsAuditEnabled", 1),
      textEl("IsRetrieveAuditEnabled", 0),
      textEl("IsRetrieveMultipleAuditEnabled", 0),
      textEl("IsActivity", 0),
      el("ActivityTypeMask"),
      textEl("IsActivityParty", 0),
      textEl("IsReplicated", 0),
      textEl("IsReplicationUserFiltered", 0),
      textEl("IsMailMergeEnabled", 0),
      textEl("IsVisibleInMobile", 0),
      textEl("IsVisibleInMobileClient", 0),
      textEl("IsReadOnlyInMobileClient", 0),
      textEl("IsOfflineInMobileClient", 0),
      textEl("DaysSinceRecordLastModified", 0),
      el("MobileOfflineFilters"),
      textEl("IsMapiGridEnabled", 1),
      textEl("IsReadingPaneEnabled", 1),
      textEl("IsQuickCreateEnabled", 0),
      textEl("SyncToExternalSearchIndex", 0),
      textEl("IntroducedVersion", INTRODUCED_VERSION),
      textEl("IsCustomizable", 1),
      textEl("IsRenameable", 1),
      textEl("IsMappable", 1),
      textEl("CanModifyAuditSettings", 1),
      textEl("CanModifyMobileVisibility", 1),
      textEl("CanModifyMobileClientVisibility", 1),
      textEl("CanModifyMobileClientReadOnly", 1),
      textEl("CanModifyMobileClientOffline", 1),
      textEl("CanModifyConnectionSettings", 1),
      textEl("CanModifyDuplicateDetectionSettings", 1),
      textEl("CanModifyMailMergeSettings", 1),
      textEl("CanModifyQueueSettings", 1),
      textEl("CanCreateAttributes", 1),
      textEl("CanCreateForms", 1),
      textEl("CanCreateCharts", 1),
      textEl("CanCreateViews", 1),
      textEl("CanModifyAdditionalSettings", 1),
      textEl("CanEnableSyncToExternalSearchIndex", 1),
      textEl("EnforceStateTransitions", 0),
      textEl("CanChangeHierarchicalRelationship", 1),
      textEl("EntityHelpUrlEnabled", 0),
      textEl("ChangeTrackingEnabled", 1),
      textEl("CanChangeTrackingBeEnabled", 1),
      textEl("IsEnabledForExternalChannels", 0),
      keys.length > 0 ? el("EntityKeys", {}, keys) : undefined,
    ),
  );
}

/** `<Entity>`: name, metadata, and for the opportunity the form and command bar parts passed in. */
export function entityXml(
  table: TableDefinition,
  columns: readonly ColumnDefinition[],
  parts: { formXml?: XmlElement; ribbonDiffXml?: XmlElement } = {},
): XmlElement {
  return el(
    "Entity",
    {},
    el("Name", { LocalizedName: table.displayName.en, OriginalName: table.displayName.en }, table.schemaName),
    entityInfo(table, columns),
    parts.formXml,
    parts.ribbonDiffXml,
  );
}

function schemaNameOf(logicalName: string): string {
  const table = tableByLogicalName(logicalName);
  if (!table) throw new Error(`Relationship names table "${logicalName}", which solution/schema does not define`);
  return table.schemaName;
}

/** 1:N relationships of the product's custom lookups (e.g. audit row → opportunity). */
export function oneToManyRelationships(tables: readonly TableDefinition[]): XmlElement[] {
  return tables.flatMap((table) =>
    table.columns
      .filter((c) => c.custom && (c.type === "lookup" || c.type === "customer"))
      .flatMap((c) =>
        (c.type === "lookup" || c.type === "customer" ? c.targets : []).map((t) =>
          el(
            "EntityRelationship",
            { Name: t.relationship },
            textEl("EntityRelationshipType", "OneToMany"),
            textEl("IsCustomizable", 1),
            textEl("IntroducedVersion", INTRODUCED_VERSION),
            textEl("IsHierarchical", 0),
            textEl("ReferencingEntityName", table.schemaName),
            textEl("ReferencedEntityName", schemaNameOf(t.table)),
            textEl("CascadeAssign", "NoCascade"),
            textEl("CascadeDelete", "RemoveLink"),
            textEl("CascadeReparent", "NoCascade"),
            textEl("CascadeShare", "NoCascade"),
            textEl("CascadeUnshare", "NoCascade"),
            textEl("ReferencingAttributeName", c.schemaName),
            el("RelationshipDescription", {}, descriptions(c.displayName)),
          ),
        ),
      ),
  );
}

export function manyToManyRelationship(relationship: ManyToManyRelationship): XmlElement {
  return el(
    "EntityRelationship",
    { Name: relationship.schemaName },
    textEl("EntityRelationshipType", "ManyToMany"),
    textEl("IsCustomizable", 1),
    textEl("IntroducedVersion", INTRODUCED_VERSION),
    textEl("IsHierarchical", 0),
    textEl("FirstEntityName", schemaNameOf(relationship.table1)),
    textEl("SecondEntityName", schemaNameOf(relationship.table2)),
    textEl("IntersectEntityName", relationship.intersectEntity),
    textEl("CascadeAssign", "NoCascade"),
    textEl("CascadeDelete", "Cascade"),
    textEl("CascadeReparent", "NoCascade"),
    textEl("CascadeShare", "NoCascade"),
    textEl("CascadeUnshare", "NoCascade"),
  );
}
