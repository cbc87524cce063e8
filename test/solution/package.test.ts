import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vm from "node:vm";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { validateXML } from "xmllint-wasm";
import { columnOf, packagedComponents, tableByLogicalName } from "../../solution/schema";
import { parseControlManifest } from "../../solution/packer/controlManifest";
import { COMPATIBLE_COLUMN_TYPES, checkBinding } from "../../solution/packer/opportunityForm";
import { missingInputs, missingInputsMessage, readPackInputs } from "../../solution/packer/packInputs";
import { solutionVersion } from "../../solution/packer/solutionIdentity";
import {
  derivedIds,
  solutionPackageFiles,
  unpackedSourceFiles,
  type PackInputs,
} from "../../solution/packer/solutionPackage";
import { uuidV5 } from "../../solution/packer/stableGuid";
import { zipPackage } from "../../solution/packer/zipArchive";
import { builtPackInputs, openZip, referenceSchemas, text, XSD_DIR, type OpenedZip } from "./solutionZip";

type Node = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (_n, _j, _l, isAttribute) => !isAttribute,
});
const parse = (xml: string): Node => parser.parse(xml) as Node;
const kids = (node: unknown, name: string): Node[] =>
  node && typeof node === "object" && Array.isArray((node as Node)[name]) ? ((node as Node)[name] as Node[]) : [];
/** Every element named `name` anywhere below `node`. */
function findAll(node: unknown, name: string): Node[] {
  if (Array.isArray(node)) return node.flatMap((n) => findAll(n, name));
  if (!node || typeof node !== "object") return [];
  return Object.entries(node as Node).flatMap(([key, value]) => [
    ...(key === name && Array.isArray(value) ? (value as Node[]) : []),
    ...(key.startsWith("@") ? [] : findAll(value, name)),
  ]);
}
/** Text of an element: the parser gives text-only elements as plain values, mixed ones with #text. */
const textOf = (node: unknown): string => {
  if (typeof node === "string" || typeof node === "number") return String(node);
  const t = (node as Node | undefined)?.["#text"];
  return t === undefined ? "" : String(t);
};

let inputs: PackInputs;
let unmanagedBytes: Buffer;
let managedBytes: Buffer;
let unmanaged: OpenedZip;
let managed: OpenedZip;
let customizations: Node;
let solution: Node;

beforeAll(async () => {
  inputs = await builtPackInputs();
  unmanagedBytes = await zipPackage(solutionPackageFiles(inputs, false));
  managedBytes = await zipPackage(solutionPackageFiles(inputs, true));
  unmanaged = await openZip(unmanagedBytes);
  managed = await openZip(managedBytes);
  customizations = parse(text(unmanaged, "customizations.xml"));
  solution = parse(text(unmanaged, "solution.xml"));
}, 600_000);

describe("the solution zips", () => {
  it("have forward-slash entry names, no directory entries, and the exported samples' top-level files", () => {
    for (const zip of [unmanaged, managed]) {
      expect(zip.names.filter((n) => n.endsWith("/") || n.includes("\\"))).toEqual([]);
      for (const top of ["[Content_Types].xml", "solution.xml", "customizations.xml"])
        expect(zip.files.has(top)).toBe(true);
    }
  });

  it("are byte-identical when built twice from the same inputs (same XML, same GUIDs)", async () => {
    expect((await zipPackage(solutionPackageFiles(inputs, false))).equals(unmanagedBytes)).toBe(true);
    expect((await zipPackage(solutionPackageFiles(inputs, true))).equals(managedBytes)).toBe(true);
    expect(derivedIds(inputs)).toEqual(derivedIds(readPackInputs(join(__dirname, "..", ".."))));
  });

  it("hold only well-formed XML", () => {
    const xmlFiles = [...unmanaged.files.keys()].filter((n) => n.endsWith(".xml") || n.endsWith(".resx"));
    expect(xmlFiles.length).toBeGreaterThan(5);
    for (const name of xmlFiles) expect([name, XMLValidator.validate(text(unmanaged, name))]).toEqual([name, true]);
  });

  it("customizations.xml validates against Microsoft's CustomizationsSolution.xsd", async () => {
    const schemas = referenceSchemas();
    if (!schemas) {
      console.warn(`Skipped: ${XSD_DIR} is not present in this checkout`);
      return;
    }
    const main = schemas.find((s) => s.fileName === "CustomizationsSolution.xsd");
    const result = await validateXML({
      xml: { fileName: "customizations.xml", contents: text(unmanaged, "customizations.xml") },
      schema: main!,
      preload: schemas.filter((s) => s !== main),
      initialMemoryPages: 512,
    });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("reference every file they hold, and hold every file they reference", () => {
    const root = kids(customizations, "ImportExportXml")[0];
    const referenced = new Set(["[Content_Types].xml", "solution.xml", "customizations.xml"]);
    for (const control of findAll(root, "CustomControl")) {
      const manifestPath = textOf(kids(control, "FileName")[0]).replace(/^\//, "");
      referenced.add(manifestPath);
      const folder = manifestPath.slice(0, manifestPath.lastIndexOf("/") + 1);
      const manifest = parseControlManifest(text(unmanaged, manifestPath), manifestPath);
      for (const path of manifest.resourcePaths) referenced.add(folder + path);
    }
    for (const resource of findAll(root, "WebResource")) {
      referenced.add(textOf(kids(resource, "FileName")[0]).replace(/^\//, ""));
    }
    for (const rc of findAll(solution, "RootComponent").filter((r) => r["@type"] === "380")) {
      referenced.add(`environmentvariabledefinitions/${String(rc["@schemaName"])}/environmentvariabledefinition.xml`);
    }
    expect([...unmanaged.files.keys()].sort()).toEqual([...referenced].sort());
  });

  it("name each control <prefix>_<namespace>.<constructor> from its own manifest", () => {
    const controls = findAll(customizations, "CustomControl");
    expect(controls).toHaveLength(inputs.controls.length);
    for (const control of controls) {
      const name = textOf(kids(control, "Name")[0]);
      const manifest = parseControlManifest(text(unmanaged, `Controls/${name}/ControlManifest.xml`), name);
      expect(name).toBe(`pcs_${manifest.namespace}.${manifest.constructorName}`);
      expect(textOf(kids(control, "FileName")[0])).toBe(`/Controls/${name}/ControlManifest.xml`);
    }
  });

  it("bind each control on the form to an existing opportunity column of a compatible type, for form factors 0, 1 and 2", () => {
    const opportunity = tableByLogicalName("opportunity")!;
    const descriptions = findAll(customizations, "controlDescription");
    expect(descriptions.length).toBe(inputs.controls.length);
    const cellControls = findAll(customizations, "control");
    for (const description of descriptions) {
      const cell = cellControls.find((c) => c["@uniqueid"] === description["@forControl"]);
      expect(cell).toBeDefined();
      const named = kids(description, "customControl").filter((c) => c["@name"] !== undefined);
      expect(named.map((c) => Number(c["@formFactor"])).sort()).toEqual([0, 1, 2]);
      for (const custom of named) {
        const name = String(custom["@name"]);
        const manifest = parseControlManifest(text(unmanaged, `Controls/${name}/ControlManifest.xml`), name);
        const parameters = kids(custom, "parameters")[0] ?? {};
        const boundProps = manifest.properties.filter((p) => p.usage === "bound");
        expect(boundProps.length).toBeGreaterThan(0);
        const boundColumns: string[] = [];
        for (const prop of boundProps) {
          const param = kids(parameters, prop.name)[0];
          if (!param && !prop.required) continue; // an optional bound property may stay unbound
          const columnName = textOf(param);
          const column = columnOf(opportunity, columnName);
          expect([name, prop.name, column?.logicalName]).toEqual([name, prop.name, columnName]);
          expect(param?.["@type"]).toBe(prop.ofType);
          expect(COMPATIBLE_COLUMN_TYPES[prop.ofType]).toContain(column!.type);
          boundColumns.push(columnName);
        }
        // The cell sits on the column of the control's first bound property; the others are read alongside.
        expect(boundColumns[0]).toBe(cell?.["@datafieldname"]);
      }
    }
  });

  it("name form handlers and Sync now functions that the built web resource defines", () => {
    const handlers = findAll(customizations, "Handler");
    const ribbonFunctions = [
      ...findAll(customizations, "JavaScriptFunction"),
      ...findAll(customizations, "CustomRule"),
    ];
    expect(handlers.length).toBeGreaterThanOrEqual(3);
    expect(ribbonFunctions.length).toBe(2);
    const library = "pcs_/scripts/opportunityForm.js";
    const script = inputs.webResources.find((w) => w.definition.name === library)!.content.toString("utf8");
    const sandbox: Record<string, unknown> = { console, setTimeout, clearTimeout, URL, AbortController, Intl };
    vm.createContext(sandbox);
    vm.runInContext(script, sandbox, { filename: library });
    const resolve = (path: string): unknown =>
      path.split(".").reduce<unknown>((obj, key) => (obj as Record<string, unknown> | undefined)?.[key], sandbox);
    for (const h of handlers) {
      expect(h["@libraryName"]).toBe(library);
      expect(h["@passExecutionContext"]).toBe("true");
      expect([h["@functionName"], typeof resolve(String(h["@functionName"]))]).toEqual([
        h["@functionName"],
        "function",
      ]);
    }
    for (const f of ribbonFunctions) {
      expect(f["@Library"]).toBe(`$webresource:${library}`);
      expect([f["@FunctionName"], typeof resolve(String(f["@FunctionName"]))]).toEqual([
        f["@FunctionName"],
        "function",
      ]);
      expect(kids(f, "CrmParameter")[0]?.["@Value"]).toBe("PrimaryControl");
    }
    const onChange = findAll(customizations, "event").find((e) => e["@name"] === "onchange");
    expect(onChange?.["@attribute"]).toBe("pcs_syncwithpartnercenter");
    const libraries = findAll(customizations, "Library").map((l) => l["@name"]);
    expect(libraries).toEqual([library]);
  });

  it("list every component in solution.xml's root components", () => {
    const roots = findAll(solution, "RootComponent").map(
      (r) => `${String(r["@type"])}:${String(r["@schemaName"] ?? r["@id"])}`,
    );
    const expected = [
      ...findAll(customizations, "Entity").map((e) => `1:${textOf(kids(e, "Name")[0]).toLowerCase()}`),
      ...findAll(customizations, "Role").map((r) => `20:${String(r["@id"])}`),
      ...findAll(customizations, "systemform").map((f) => `60:${textOf(kids(f, "formid")[0])}`),
      ...findAll(customizations, "WebResource").map((w) => `61:${textOf(kids(w, "Name")[0])}`),
      ...findAll(customizations, "CustomControl").map((c) => `66:${textOf(kids(c, "Name")[0])}`),
      ...[...unmanaged.files.keys()]
        .filter((n) => n.startsWith("environmentvariabledefinitions/"))
        .map((n) => `380:${n.split("/")[1]}`),
    ];
    expect(roots.sort()).toEqual(expected.sort());
    expect(roots.filter((r) => r.startsWith("380:")).length).toBe(6);
    expect(roots.filter((r) => r.startsWith("20:")).length).toBe(2);
  });

  it("differ between managed and unmanaged only in solution.xml's <Managed>", () => {
    expect([...managed.files.keys()]).toEqual([...unmanaged.files.keys()]);
    for (const [name, content] of unmanaged.files) {
      if (name !== "solution.xml") expect([name, managed.files.get(name)?.equals(content)]).toEqual([name, true]);
    }
    const u = text(unmanaged, "solution.xml");
    const m = text(managed, "solution.xml");
    expect(u).toContain("<Managed>0</Managed>");
    expect(m).toBe(u.replace("<Managed>0</Managed>", "<Managed>1</Managed>"));
  });

  it("declare a content type for every file in [Content_Types].xml", () => {
    const types = kids(parse(text(unmanaged, "[Content_Types].xml")), "Types")[0];
    const defaults = new Set(kids(types, "Default").map((d) => String(d["@Extension"])));
    const overrides = new Set(kids(types, "Override").map((o) => String(o["@PartName"])));
    for (const name of unmanaged.files.keys()) {
      const base = name.slice(name.lastIndexOf("/") + 1);
      const ext = base.includes(".") ? base.slice(base.lastIndexOf(".") + 1).toLowerCase() : null;
      expect([name, ext !== null ? defaults.has(ext) : overrides.has(`/${name}`)]).toEqual([name, true]);
    }
  });

  it("stamp the package.json version in four parts and both languages on the solution", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    expect(textOf(findAll(solution, "Version")[0])).toBe(solutionVersion(pkg.version));
    expect(textOf(findAll(solution, "Version")[0]).split(".")).toHaveLength(4);
    const names = findAll(kids(kids(solution, "ImportExportXml")[0], "SolutionManifest")[0], "LocalizedName");
    expect(names.map((n) => n["@languagecode"]).sort()).toEqual(["1033", "1042", "1033", "1042"].sort());
  });
});

describe("labels", () => {
  const labelsByLanguage = (node: Node | undefined, container: string, item: string): Record<string, string> =>
    Object.fromEntries(
      kids(kids(node, container)[0], item).map((l) => [String(l["@languagecode"]), String(l["@description"])]),
    );

  it("carry each product column's English and Korean names from solution/schema", () => {
    const { tables, columns } = packagedComponents();
    const expected = [
      ...columns.map(({ table, column }) => ({ table, column })),
      ...tables.flatMap((table) => table.columns.filter((c) => c.custom).map((column) => ({ table, column }))),
    ];
    expect(expected.length).toBeGreaterThan(30);
    const entities = findAll(customizations, "Entity");
    for (const { table, column } of expected) {
      const entity = entities.find((e) => textOf(kids(e, "Name")[0]) === table.schemaName);
      const attribute = findAll(entity, "attribute").find((a) => a["@PhysicalName"] === column.schemaName);
      expect([table.schemaName, column.schemaName, labelsByLanguage(attribute, "displaynames", "displayname")]).toEqual(
        [table.schemaName, column.schemaName, { "1033": column.displayName.en, "1042": column.displayName.ko }],
      );
    }
  });

  it("name the Partner Center section and the Sync now button in both languages", () => {
    const section = findAll(customizations, "section").find((x) => x["@name"] === "partnercenter");
    expect(labelsByLanguage(section, "labels", "label")).toEqual({ "1033": "Partner Center", "1042": "파트너 센터" });
    const button = findAll(customizations, "Button")[0];
    const labelId = String(button?.["@LabelText"]).replace("$LocLabels:", "");
    const locLabel = findAll(customizations, "LocLabel").find((l) => l["@Id"] === labelId);
    expect(labelsByLanguage(locLabel, "Titles", "Title")).toEqual({ "1033": "Sync now", "1042": "지금 동기화" });
  });
});

describe("the unpacked source layout (out/solution-src)", () => {
  let files: Map<string, string>;
  beforeAll(() => {
    files = new Map(unpackedSourceFiles(inputs).map((f) => [f.path, f.content.toString("utf8")]));
  });

  it("has Other/, one folder per table with its form and command bar split out, and sidecars for web resources and controls", () => {
    expect(files.get("Other/Solution.xml")).toContain("<Managed>2</Managed>");
    for (const emptied of ["<Entities />", "<Roles />", "<WebResources />", "<CustomControls />"]) {
      expect(files.get("Other/Customizations.xml")).toContain(emptied);
    }
    for (const role of findAll(customizations, "Role")) {
      expect(files.get(`Roles/${String(role["@name"])}.xml`)).toContain(`id="${String(role["@id"])}"`);
    }
    for (const e of findAll(customizations, "Entity")) {
      expect(files.has(`Entities/${textOf(kids(e, "Name")[0])}/Entity.xml`)).toBe(true);
    }
    const formId = textOf(findAll(customizations, "formid")[0]);
    expect(files.get(`Entities/Opportunity/FormXml/main/${formId}.xml`)).toMatch(/^<\?xml[^>]*>\n<forms /);
    expect(files.get("Entities/Opportunity/RibbonDiff.xml")).toContain("Pcs.OpportunityForm.syncNow");
    for (const w of findAll(customizations, "WebResource")) {
      const name = textOf(kids(w, "Name")[0]);
      expect(files.has(`WebResources/${name}`)).toBe(true);
      expect(files.get(`WebResources/${name}.data.xml`)).toContain(`<FileName>/WebResources/${name}</FileName>`);
    }
    for (const c of findAll(customizations, "CustomControl")) {
      const name = textOf(kids(c, "Name")[0]);
      expect(files.get(`Controls/${name}/ControlManifest.xml.data.xml`)).toContain(`Name="${name}"`);
    }
    for (const [path, content] of files) {
      if (path.endsWith(".xml")) expect([path, XMLValidator.validate(content)]).toEqual([path, true]);
    }
  });
});

describe("packer pieces", () => {
  it("turns semver into Dataverse's four-part version and refuses what is not semver", () => {
    expect(solutionVersion("2.13.7")).toBe("2.13.7.0");
    expect(solutionVersion("1.0.0-beta.2")).toBe("1.0.0.0");
    expect(() => solutionVersion("1.2")).toThrow(/not major\.minor\.patch/);
  });

  it("derives name-based UUIDs by RFC 4122 version 5", () => {
    // Python's documented example: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
    expect(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org")).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
  });

  it("names each missing input and the build that makes it", () => {
    const empty = mkdtempSync(join(tmpdir(), "pcs-pack-"));
    try {
      const missing = missingInputs(empty);
      expect(missing).toContain("out/controls/SyncToggle/bundle.js");
      expect(missing).toContain("out/webresources/pcs_/scripts/opportunityForm.js");
      const message = missingInputsMessage(missing);
      expect(message).toMatch(/npm run build:controls:prod/);
      expect(message).toMatch(/npm run build:webresources/);
      expect(() => readPackInputs(empty)).toThrow(/out\/controls\/SyncStatusPanel\/ControlManifest\.xml/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("refuses to bind a control to a column of another type", () => {
    const toggle = inputs.controls.find((c) => c.source.includes("SyncToggle"))!;
    const manifest = parseControlManifest(toggle.manifestXml, toggle.source);
    const opportunity = tableByLogicalName("opportunity")!;
    expect(() =>
      checkBinding(opportunity, manifest, {
        constructorName: "SyncToggle",
        property: "syncWithPartnerCenter",
        column: "pcs_syncstate",
      }),
    ).toThrow(/cannot be bound to pcs_syncstate, a choice column/);
    expect(() =>
      checkBinding(opportunity, manifest, {
        constructorName: "SyncToggle",
        property: "syncWithPartnerCenter",
        column: "nope",
      }),
    ).toThrow(/does not define/);
  });
});
