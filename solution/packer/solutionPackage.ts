import { packagedComponents, tableByLogicalName } from "../schema";
import type { ColumnDefinition, TableDefinition } from "../schema";
import { opportunityRibbonDiffXml } from "./commandBar";
import { contentTypesXml } from "./contentTypesXml";
import { controlName, parseControlManifest, type ControlManifestInfo } from "./controlManifest";
import { emittedColumns, entityXml, manyToManyRelationship, oneToManyRelationships } from "./entityXml";
import { ENVIRONMENT_VARIABLES, environmentVariablePath, environmentVariableXml } from "./environmentVariables";
import { OPPORTUNITY_FORM_ID, opportunityFormXml } from "./opportunityForm";
import { SECURITY_ROLES, roleId, roleXml } from "./securityRoles";
import { LANGUAGES, solutionVersion } from "./solutionIdentity";
import { COMPONENT_TYPE, solutionManifestXml, type RootComponent } from "./solutionManifestXml";
import {
  FORM_SCRIPT,
  webResourceXml,
  webResourceZipPath,
  webResourceId,
  type WebResourceDefinition,
} from "./webResources";
import { el, renderXmlDocument, textEl, type XmlElement } from "./xmlBuilder";

/**
 * Pure assembly of the solution: built inputs in, file list out (the importable zip's entries, or the
 * unpacked source layout). No I/O here; packInputs.ts reads, zipArchive.ts and pack.ts write.
 */

export interface BuiltControl {
  /** The built ControlManifest.xml text. */
  manifestXml: string;
  /** Every file of out/controls/<Control>/, by path relative to that folder. */
  files: ReadonlyMap<string, Buffer>;
  /** For error messages. */
  source: string;
}

export interface PackInputs {
  packageVersion: string;
  controls: readonly BuiltControl[];
  /** Built web resources (the form script and what the controls build wrote). */
  webResources: readonly BuiltWebResource[];
}

export interface BuiltWebResource {
  definition: WebResourceDefinition;
  content: Buffer;
}

export interface PackageFile {
  path: string;
  content: Buffer;
}

interface ResolvedControl {
  info: ControlManifestInfo;
  name: string;
  /** Files the manifest references (plus the manifest), relative to the control folder, sorted. */
  files: { relative: string; content: Buffer }[];
}

function resolveControls(controls: readonly BuiltControl[]): ResolvedControl[] {
  return controls
    .map((c) => {
      const info = parseControlManifest(c.manifestXml, c.source);
      const files = ["ControlManifest.xml", ...info.resourcePaths].map((relative) => {
        const content = relative === "ControlManifest.xml" ? Buffer.from(c.manifestXml, "utf8") : c.files.get(relative);
        if (!content) throw new Error(`${c.source} references ${relative}, which the build did not produce`);
        return { relative, content };
      });
      return { info, name: controlName(info), files: files.sort((a, b) => a.relative.localeCompare(b.relative)) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Sorted by name; the form script must be there, and every /WebResources/ URL a control defaults to. */
function resolveWebResources(inputs: PackInputs, controls: readonly ResolvedControl[]): BuiltWebResource[] {
  const resources = [...inputs.webResources].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
  const names = new Set(resources.map((r) => r.definition.name));
  if (names.size !== resources.length) throw new Error("Two web resources have the same name");
  if (!names.has(FORM_SCRIPT.name)) throw new Error(`The web resource ${FORM_SCRIPT.name} was not built`);
  for (const control of controls) {
    for (const prop of control.info.properties) {
      const url = prop.defaultValue;
      if (url?.startsWith("/WebResources/") && !names.has(url.slice("/WebResources/".length))) {
        throw new Error(
          `${control.name}.${prop.name} defaults to ${url}, but the controls build wrote no such web resource`,
        );
      }
    }
  }
  return resources;
}

function opportunityTable(): TableDefinition {
  const table = tableByLogicalName("opportunity");
  if (!table) throw new Error("solution/schema has no opportunity table");
  return table;
}

/** The opportunity's custom columns (from packagedComponents) and the product tables with their columns. */
interface PackagedEntity {
  table: TableDefinition;
  columns: readonly ColumnDefinition[];
  formXml?: XmlElement;
  ribbonDiffXml?: XmlElement;
}

/** The opportunity's custom columns (from packagedComponents) with the form and command, and the product tables. */
function entities(controls: readonly ResolvedControl[]): PackagedEntity[] {
  const { tables, columns } = packagedComponents();
  const opportunity = opportunityTable();
  const byTable = new Map<string, ColumnDefinition[]>();
  for (const { table, column } of columns) {
    byTable.set(table.logicalName, [...(byTable.get(table.logicalName) ?? []), column]);
  }
  const unknown = [...byTable.keys()].filter((t) => t !== "opportunity");
  if (unknown.length > 0) {
    throw new Error(`Custom columns on ${unknown.join(", ")}: the packer only knows opportunity's`);
  }
  const result: PackagedEntity[] = [
    {
      table: opportunity,
      columns: byTable.get("opportunity") ?? [],
      formXml: opportunityFormXml(
        opportunity,
        controls.map((c) => c.info),
      ),
      ribbonDiffXml: opportunityRibbonDiffXml(),
    },
    ...tables.map((table) => ({ table, columns: emittedColumns(table) })),
  ];
  return result.sort((a, b) => a.table.schemaName.localeCompare(b.table.schemaName));
}

const XSI = { "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance" };

/**
 * An entity as SolutionPackager splits it: Entity.xml (name and metadata), FormXml/main/{formid}.xml
 * (`<forms><systemform>`) and RibbonDiff.xml.
 */
function unpackedEntityFiles(entity: PackagedEntity): PackageFile[] {
  const folder = `Entities/${entity.table.schemaName}`;
  const files = [xmlFile(`${folder}/Entity.xml`, entityXml(entity.table, entity.columns))];
  for (const forms of entity.formXml?.children ?? []) {
    if (typeof forms === "string") continue;
    for (const systemform of forms.children) {
      if (typeof systemform === "string") continue;
      const formid = systemform.children.find((c) => typeof c === "object" && c.name === "formid");
      const id = typeof formid === "object" ? formid.children.join("") : "";
      files.push(xmlFile(`${folder}/FormXml/${String(forms.attributes.type)}/${id}.xml`, el("forms", XSI, systemform)));
    }
  }
  if (entity.ribbonDiffXml) {
    files.push(xmlFile(`${folder}/RibbonDiff.xml`, { ...entity.ribbonDiffXml, attributes: XSI }));
  }
  return files;
}

export function rootComponents(
  controls: readonly ResolvedControl[],
  resources: readonly BuiltWebResource[],
): RootComponent[] {
  const { tables } = packagedComponents();
  return [
    { type: COMPONENT_TYPE.Entity, schemaName: "opportunity", behavior: 2 },
    ...tables.map((t) => ({ type: COMPONENT_TYPE.Entity, schemaName: t.logicalName, behavior: 0 as const })),
    ...SECURITY_ROLES.map((r) => ({ type: COMPONENT_TYPE.Role, id: roleId(r), behavior: 0 as const })),
    { type: COMPONENT_TYPE.SystemForm, id: OPPORTUNITY_FORM_ID, behavior: 0 },
    ...resources.map((w) => ({
      type: COMPONENT_TYPE.WebResource,
      schemaName: w.definition.name,
      behavior: 0 as const,
    })),
    ...controls.map((c) => ({ type: COMPONENT_TYPE.CustomControl, schemaName: c.name, behavior: 0 as const })),
    ...ENVIRONMENT_VARIABLES.map((v) => ({
      type: COMPONENT_TYPE.EnvironmentVariableDefinition,
      schemaName: v.schemaName,
      behavior: 0 as const,
    })),
  ];
}

/**
 * `split: true` for the unpacked layout, where tables, roles, web resources and controls each have files of
 * their own (Entities/, Roles/, WebResources/*.data.xml, Controls/*.data.xml) and leave empty containers here.
 */
function customizationsXml(
  controls: readonly ResolvedControl[],
  resources: readonly BuiltWebResource[],
  split = false,
): XmlElement {
  const { tables, relationships } = packagedComponents();
  return el(
    "ImportExportXml",
    { "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance" },
    el(
      "Entities",
      {},
      split
        ? []
        : entities(controls).map((e) =>
            entityXml(e.table, e.columns, { formXml: e.formXml, ribbonDiffXml: e.ribbonDiffXml }),
          ),
    ),
    el("Roles", {}, split ? [] : SECURITY_ROLES.map(roleXml)),
    el("Workflows"),
    el("FieldSecurityProfiles"),
    el("Templates"),
    el("EntityMaps"),
    el("EntityRelationships", {}, [...oneToManyRelationships(tables), ...relationships.map(manyToManyRelationship)]),
    el("OrganizationSettings"),
    el("optionsets"),
    el(
      "WebResources",
      {},
      split ? [] : resources.map((w) => webResourceXml(w.definition, `/${webResourceZipPath(w.definition)}`)),
    ),
    el(
      "CustomControls",
      {},
      split
        ? []
        : controls.map((c) =>
            el(
              "CustomControl",
              {},
              textEl("Name", c.name),
              textEl("FileName", `/Controls/${c.name}/ControlManifest.xml`),
            ),
          ),
    ),
    el("SolutionPluginAssemblies"),
    el("EntityDataProviders"),
    el(
      "Languages",
      {},
      LANGUAGES.map((l) => textEl("Language", l.code)),
    ),
  );
}

const xmlFile = (path: string, root: XmlElement): PackageFile => ({
  path,
  content: Buffer.from(renderXmlDocument(root), "utf8"),
});

/** The importable zip's entries, sorted by path; managed and unmanaged differ only in solution.xml <Managed>. */
export function solutionPackageFiles(inputs: PackInputs, managed: boolean): PackageFile[] {
  const controls = resolveControls(inputs.controls);
  const resources = resolveWebResources(inputs, controls);
  const version = solutionVersion(inputs.packageVersion);
  const files: PackageFile[] = [
    xmlFile("solution.xml", solutionManifestXml(version, managed, rootComponents(controls, resources))),
    xmlFile("customizations.xml", customizationsXml(controls, resources)),
    ...controls.flatMap((c) => c.files.map((f) => ({ path: `Controls/${c.name}/${f.relative}`, content: f.content }))),
    ...resources.map((w) => ({ path: webResourceZipPath(w.definition), content: w.content })),
    ...ENVIRONMENT_VARIABLES.map((v) => xmlFile(environmentVariablePath(v), environmentVariableXml(v))),
  ];
  files.push(xmlFile("[Content_Types].xml", contentTypesXml(files.map((f) => f.path))));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The unpacked source layout `pac solution pack --folder` reads: Other/Solution.xml and Customizations.xml,
 * Entities/<Name>/…, WebResources/<name> with a .data.xml sidecar, Controls/<name>/… with a
 * ControlManifest.xml.data.xml sidecar, environmentvariabledefinitions/…. Solution.xml says Managed 2 (both).
 */
export function unpackedSourceFiles(inputs: PackInputs): PackageFile[] {
  const controls = resolveControls(inputs.controls);
  const resources = resolveWebResources(inputs, controls);
  const version = solutionVersion(inputs.packageVersion);
  const files: PackageFile[] = [
    xmlFile(
      "Other/Solution.xml",
      withManagedBoth(solutionManifestXml(version, false, rootComponents(controls, resources))),
    ),
    xmlFile("Other/Customizations.xml", customizationsXml(controls, resources, true)),
    ...entities(controls).flatMap(unpackedEntityFiles),
    ...controls.flatMap((c) => [
      ...c.files.map((f) => ({ path: `Controls/${c.name}/${f.relative}`, content: f.content })),
      xmlFile(
        `Controls/${c.name}/ControlManifest.xml.data.xml`,
        el("CustomControl", { Name: c.name }, textEl("FileName", `/Controls/${c.name}/ControlManifest.xml`)),
      ),
    ]),
    ...resources.flatMap((w) => [
      { path: `WebResources/${w.definition.name}`, content: w.content },
      xmlFile(
        `WebResources/${w.definition.name}.data.xml`,
        webResourceXml(w.definition, `/WebResources/${w.definition.name}`),
      ),
    ]),
    ...ENVIRONMENT_VARIABLES.map((v) => xmlFile(environmentVariablePath(v), environmentVariableXml(v))),
    ...SECURITY_ROLES.map((r) => xmlFile(`Roles/${r.name.en}.xml`, roleXml(r))),
  ];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Source folders say <Managed>2</Managed> ("both"), as pac solution init writes. */
function withManagedBoth(root: XmlElement): XmlElement {
  const manifest = root.children[0];
  if (typeof manifest !== "object") return root;
  const children = manifest.children.map((c) =>
    typeof c === "object" && c.name === "Managed" ? textEl("Managed", 2) : c,
  );
  return { ...root, children: [{ ...manifest, children }] };
}

/** Every id the package derives from names (tests check they do not change between builds). */
export function derivedIds(inputs: PackInputs): Record<string, string> {
  return {
    form: OPPORTUNITY_FORM_ID,
    ...Object.fromEntries(SECURITY_ROLES.map((r) => [`role:${r.key}`, roleId(r)])),
    ...Object.fromEntries(
      inputs.webResources.map((w) => [`webresource:${w.definition.name}`, webResourceId(w.definition)]),
    ),
  };
}
