import { XMLParser } from "fast-xml-parser";
import { PUBLISHER_PREFIX } from "../schema";

/** What the packer needs from a built control's ControlManifest.xml (pcf-scripts output). */
export interface ControlProperty {
  name: string;
  ofType: string;
  usage: "bound" | "input" | "output";
  /** required="true" in the manifest: the form must bind (or set) it. */
  required: boolean;
  defaultValue?: string;
}

export interface ControlManifestInfo {
  namespace: string;
  constructorName: string;
  version: string;
  properties: ControlProperty[];
  /** Paths the manifest references, relative to the control folder (bundle.js, strings/X.1033.resx, css/…). */
  resourcePaths: string[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
});

type Node = Record<string, unknown>;

function children(node: Node | undefined, name: string): Node[] {
  const value = node?.[name];
  return Array.isArray(value) ? (value as Node[]) : [];
}

function attr(node: Node, name: string, where: string): string {
  const value = node[`@${name}`];
  if (typeof value !== "string" || value === "") throw new Error(`${where}: attribute "${name}" is missing`);
  return value;
}

/** Parses and checks a manifest; `source` names the file in error messages. */
export function parseControlManifest(xml: string, source: string): ControlManifestInfo {
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (error) {
    throw new Error(`${source} is not well-formed XML: ${(error as Error).message}`);
  }
  const controls = children(children(doc, "manifest")[0], "control");
  const control = controls[0];
  if (controls.length !== 1 || !control) throw new Error(`${source}: expected exactly one <manifest><control>`);
  const namespace = attr(control, "namespace", source);
  const constructorName = attr(control, "constructor", source);
  for (const [what, value] of [
    ["namespace", namespace],
    ["constructor", constructorName],
  ] as const) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(value))
      throw new Error(`${source}: ${what} "${value}" must be letters and digits`);
  }
  const properties = children(control, "property").map((p): ControlProperty => {
    const usage = attr(p, "usage", source);
    if (usage !== "bound" && usage !== "input" && usage !== "output") {
      throw new Error(`${source}: property usage "${usage}" is not bound, input or output`);
    }
    const defaultValue = p["@default-value"];
    return {
      name: attr(p, "name", source),
      ofType: attr(p, "of-type", source),
      usage,
      required: p["@required"] === "true" || p["@required"] === true,
      ...(typeof defaultValue === "string" ? { defaultValue } : {}),
    };
  });
  const resources = children(control, "resources")[0];
  const resourcePaths = ["code", "css", "resx", "img"].flatMap((kind) =>
    children(resources, kind).map((r) => attr(r, "path", source)),
  );
  if (!children(resources, "code").some((c) => c["@path"] === "bundle.js")) {
    throw new Error(`${source}: <code path="bundle.js"> is missing; is this the built manifest, not the input one?`);
  }
  return { namespace, constructorName, version: attr(control, "version", source), properties, resourcePaths };
}

/** `<prefix>_<namespace>.<constructor>`, the name Dataverse registers a code component under. */
export function controlName(manifest: Pick<ControlManifestInfo, "namespace" | "constructorName">): string {
  return `${PUBLISHER_PREFIX}_${manifest.namespace}.${manifest.constructorName}`;
}
