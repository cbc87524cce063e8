import type { ColumnDefinition, Label, TableDefinition } from "../schema";
import { columnOf } from "../schema";
import { controlName, type ControlManifestInfo } from "./controlManifest";
import { descriptions, labels, localizedNames } from "./localizedLabels";
import { stableGuid } from "./stableGuid";
import { FORM_SCRIPT } from "./webResources";
import { el, textEl, type XmlElement } from "./xmlBuilder";

/**
 * The shipped Opportunity main form, "Opportunity (Partner Center)": the deal fields the readiness rules read
 * and a "Partner Center" section with the two code components, plus the form library and its handlers
 * (webresources/README.md, "Register on the Opportunity main form"). It is a form of its own, so importing the
 * solution does not overwrite the organization's Opportunity form; customizers may copy the section instead.
 */

/** Default control class ids, as in the exported samples' FormXml (checkbox: third-party, see README). */
const CLASS_ID = {
  text: "{4273EDBD-AC1D-40d3-9FB2-095C621B552D}",
  lookup: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
  picklist: "{3EF39988-22BB-4F0B-BBBE-64B5A3748AEE}",
  money: "{533B9E00-756B-4312-95A0-DC888637AC78}",
  checkbox: "{67FAC785-CD58-4f9f-ABB3-4B7DDC6ED5ED}",
} as const;

/** Form factors a code component is declared for: 0 web, 1 tablet, 2 phone (import wants 0 and 1 at least). */
export const FORM_FACTORS = [0, 1, 2] as const;

/** Which control goes on which column, by manifest property. */
export interface ControlBinding {
  constructorName: string;
  property: string;
  column: string;
  /** The control's other bound properties → the column each reads (the form tells the control when they change). */
  also?: Readonly<Record<string, string>>;
}

export const CONTROL_BINDINGS: readonly ControlBinding[] = [
  {
    constructorName: "SyncToggle",
    property: "syncWithPartnerCenter",
    column: "pcs_syncwithpartnercenter",
    also: { syncState: "pcs_syncstate" },
  },
  { constructorName: "SyncStatusPanel", property: "syncState", column: "pcs_syncstate" },
];

/** Manifest of-type → the schema column types a bound property may sit on. */
export const COMPATIBLE_COLUMN_TYPES: Readonly<Record<string, readonly ColumnDefinition["type"][]>> = {
  TwoOptions: ["boolean"],
  OptionSet: ["choice", "state", "status"],
  "SingleLine.Text": ["string"],
  "SingleLine.URL": ["string"],
  Multiple: ["memo"],
  "Whole.None": ["integer"],
  Currency: ["money"],
  Decimal: ["decimal"],
  "DateAndTime.DateAndTime": ["datetime"],
  "DateAndTime.DateOnly": ["datetime"],
  "Lookup.Simple": ["lookup"],
};

export const FORM_NAME: Label = { en: "Opportunity (Partner Center)", ko: "영업 기회(파트너 센터)" };
export const SECTION_LABEL: Label = { en: "Partner Center", ko: "파트너 센터" };

export const FORM_HANDLERS = [
  { event: "onload", functionName: "Pcs.OpportunityForm.onLoad" },
  { event: "onsave", functionName: "Pcs.OpportunityForm.onSave" },
  { event: "onchange", attribute: "pcs_syncwithpartnercenter", functionName: "Pcs.OpportunityForm.onSyncChange" },
] as const;

export const OPPORTUNITY_FORM_ID = stableGuid("systemform", "opportunity/main/partner-center");

/** Deal fields on the form (those with a default control class known from real exports). */
const DEAL_FIELDS = ["name", "customerid", "parentcontactid", "transactioncurrencyid", "estimatedvalue"] as const;
const PARTNER_FIELDS = ["pcs_microsofthelp", "pcs_sharewithmicrosoftsellers", "pcs_referrallink"] as const;

function classIdFor(column: ColumnDefinition): string {
  switch (column.type) {
    case "string":
      return CLASS_ID.text;
    case "lookup":
    case "customer":
    case "owner":
      return CLASS_ID.lookup;
    case "choice":
    case "state":
    case "status":
      return CLASS_ID.picklist;
    case "money":
      return CLASS_ID.money;
    case "boolean":
      return CLASS_ID.checkbox;
    default:
      throw new Error(`No default form control class for column type "${column.type}" (${column.logicalName})`);
  }
}

function requireColumn(table: TableDefinition, logicalName: string): ColumnDefinition {
  const column = columnOf(table, logicalName);
  if (!column)
    throw new Error(`The form uses ${table.logicalName}.${logicalName}, which solution/schema does not define`);
  return column;
}

/** Checks that a control's bound property fits its column; returns the manifest's type for the parameter. */
export function checkBinding(table: TableDefinition, manifest: ControlManifestInfo, binding: ControlBinding): string {
  const property = manifest.properties.find((x) => x.name === binding.property);
  const name = controlName(manifest);
  if (!property) throw new Error(`${name} has no property "${binding.property}" to bind to ${binding.column}`);
  if (property.usage !== "bound") throw new Error(`${name}.${binding.property} is "${property.usage}", not bound`);
  const column = requireColumn(table, binding.column);
  const allowed = COMPATIBLE_COLUMN_TYPES[property.ofType] ?? [];
  if (!allowed.includes(column.type)) {
    throw new Error(
      `${name}.${binding.property} (${property.ofType}) cannot be bound to ${binding.column}, a ${column.type} column`,
    );
  }
  return property.ofType;
}

function fieldCell(table: TableDefinition, logicalName: string, uniqueId?: string): XmlElement {
  const column = requireColumn(table, logicalName);
  return el(
    "cell",
    { id: stableGuid("formcell", logicalName), showlabel: "true", locklevel: "0" },
    labels(column.displayName),
    el("control", {
      id: logicalName,
      classid: classIdFor(column),
      datafieldname: logicalName,
      disabled: column.formReadOnly ? "true" : "false",
      uniqueid: uniqueId,
    }),
  );
}

function section(name: string, label: Label, cells: readonly XmlElement[]): XmlElement {
  return el(
    "section",
    {
      name,
      showlabel: "true",
      showbar: "false",
      IsUserDefined: "0",
      id: stableGuid("formsection", name),
      columns: "1",
    },
    labels(label),
    el(
      "rows",
      {},
      cells.map((c) => el("row", {}, c)),
    ),
  );
}

/** One customControl per form factor, after the platform control the designer always keeps as fallback. */
function controlDescription(
  table: TableDefinition,
  manifest: ControlManifestInfo,
  binding: ControlBinding,
  uniqueId: string,
): XmlElement {
  const boundType = checkBinding(table, manifest, binding);
  const column = requireColumn(table, binding.column);
  const parameters = () =>
    el(
      "parameters",
      {},
      manifest.properties.map((prop) => {
        if (prop.name === binding.property) return el(prop.name, { type: boundType }, binding.column);
        const also = binding.also?.[prop.name];
        if (also) {
          const type = checkBinding(table, manifest, { ...binding, property: prop.name, column: also });
          return el(prop.name, { type }, also);
        }
        if (prop.usage === "input" && prop.defaultValue !== undefined) {
          return el(prop.name, { type: prop.ofType, static: "true" }, prop.defaultValue);
        }
        return undefined;
      }),
    );
  return el(
    "controlDescription",
    { forControl: uniqueId },
    el("customControl", { id: classIdFor(column) }, el("parameters", {}, textEl("datafieldname", binding.column))),
    FORM_FACTORS.map((formFactor) =>
      el("customControl", { formFactor, name: controlName(manifest), version: manifest.version }, parameters()),
    ),
  );
}

export function opportunityFormXml(table: TableDefinition, controls: readonly ControlManifestInfo[]): XmlElement {
  const bound = CONTROL_BINDINGS.map((binding) => {
    const manifest = controls.find((c) => c.constructorName === binding.constructorName);
    if (!manifest) throw new Error(`The form needs the ${binding.constructorName} control, which was not built`);
    return { binding, manifest, uniqueId: stableGuid("formcontrol", binding.column) };
  });
  const library = FORM_SCRIPT.name;
  const handlerEvents = FORM_HANDLERS.map((h) =>
    el(
      "event",
      { name: h.event, application: "false", active: "false", attribute: "attribute" in h ? h.attribute : undefined },
      el(
        "Handlers",
        {},
        el("Handler", {
          functionName: h.functionName,
          libraryName: library,
          handlerUniqueId: stableGuid("formhandler", `${h.event}:${h.functionName}`),
          enabled: "true",
          parameters: "",
          passExecutionContext: "true",
        }),
      ),
    ),
  );
  const partnerCells = [
    fieldCell(table, bound[0]!.binding.column, bound[0]!.uniqueId),
    ...PARTNER_FIELDS.map((f) => fieldCell(table, f)),
    ...bound.slice(1).map((b) => fieldCell(table, b.binding.column, b.uniqueId)),
  ];
  return el(
    "FormXml",
    {},
    el(
      "forms",
      { type: "main" },
      el(
        "systemform",
        {},
        textEl("formid", OPPORTUNITY_FORM_ID),
        textEl("IntroducedVersion", "1.0.0.0"),
        textEl("FormPresentation", 1),
        textEl("FormActivationState", 1),
        el(
          "form",
          {},
          el(
            "tabs",
            {},
            el(
              "tab",
              {
                name: "partnercenter",
                verticallayout: "true",
                id: stableGuid("formtab", "partnercenter"),
                IsUserDefined: "0",
              },
              labels(SECTION_LABEL),
              el(
                "columns",
                {},
                el(
                  "column",
                  { width: "100%" },
                  el(
                    "sections",
                    {},
                    section(
                      "deal",
                      { en: "Opportunity", ko: "영업 기회" },
                      DEAL_FIELDS.map((f) => fieldCell(table, f)),
                    ),
                    section("partnercenter", SECTION_LABEL, partnerCells),
                  ),
                ),
              ),
            ),
          ),
          el(
            "controlDescriptions",
            {},
            bound.map((b) => controlDescription(table, b.manifest, b.binding, b.uniqueId)),
          ),
          el("events", {}, handlerEvents),
          el(
            "formLibraries",
            {},
            el("Library", { name: library, libraryUniqueId: stableGuid("formlibrary", library) }),
          ),
        ),
        textEl("IsCustomizable", 1),
        textEl("CanBeDeleted", 1),
        localizedNames(FORM_NAME),
        descriptions({
          en: "Opportunity form with the Partner Center section: sync toggle, status and history.",
          ko: "파트너 센터 섹션(동기화 토글, 상태 및 기록)이 있는 영업 기회 양식입니다.",
        }),
      ),
    ),
  );
}
