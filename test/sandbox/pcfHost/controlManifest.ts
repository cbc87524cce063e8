/**
 * What the host needs from a built ControlManifest.xml: the control's constructor name, its properties
 * (bound or input, type, default) and its resx files per language. Parsed with the browser's DOMParser.
 */

export interface ManifestProperty {
  name: string;
  ofType: string;
  usage: "bound" | "input" | "output";
  defaultValue: string | null;
}

export interface ControlManifest {
  namespace: string;
  constructorName: string;
  properties: ManifestProperty[];
  /** LCID → resx path relative to the control's folder. */
  resx: Map<number, string>;
  platformLibraries: { name: string; version: string }[];
}

export function parseControlManifest(xml: string): ControlManifest {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  if (doc.getElementsByTagName("parsererror").length > 0) throw new Error("ControlManifest.xml is not valid XML.");
  const control = doc.getElementsByTagName("control")[0];
  if (!control) throw new Error("ControlManifest.xml has no <control> element.");
  const properties = [...doc.getElementsByTagName("property")].map((p) => {
    const usage = p.getAttribute("usage") ?? "input";
    if (usage !== "bound" && usage !== "input" && usage !== "output") {
      throw new Error(`Property ${p.getAttribute("name") ?? "?"} has an unknown usage '${usage}'.`);
    }
    return {
      name: p.getAttribute("name") ?? "",
      ofType: p.getAttribute("of-type") ?? "",
      usage: usage as ManifestProperty["usage"],
      defaultValue: p.getAttribute("default-value"),
    };
  });
  const resx = new Map<number, string>();
  for (const r of doc.getElementsByTagName("resx")) {
    const path = r.getAttribute("path") ?? "";
    const lcid = /\.(\d{4})\.resx$/.exec(path)?.[1];
    if (lcid) resx.set(Number(lcid), path);
  }
  const platformLibraries = [...doc.getElementsByTagName("platform-library")].map((l) => ({
    name: l.getAttribute("name") ?? "",
    version: l.getAttribute("version") ?? "",
  }));
  return {
    namespace: control.getAttribute("namespace") ?? "",
    constructorName: control.getAttribute("constructor") ?? "",
    properties,
    resx,
    platformLibraries,
  };
}

/** resx `<data name><value>` pairs. */
export function parseResx(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  if (doc.getElementsByTagName("parsererror").length > 0) throw new Error("The resx file is not valid XML.");
  const out = new Map<string, string>();
  for (const data of doc.getElementsByTagName("data")) {
    const name = data.getAttribute("name");
    const value = data.getElementsByTagName("value")[0]?.textContent;
    if (name && value !== undefined && value !== null) out.set(name, value);
  }
  return out;
}
