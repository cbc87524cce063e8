import { el, type XmlElement } from "./xmlBuilder";

/**
 * [Content_Types].xml (Open Packaging Conventions): a Default per file extension in the package and an
 * Override for every file without one (exported web resources), as in the exported samples.
 */

const OPC_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/content-types";

export function extensionOf(path: string): string | null {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : null;
}

export function contentTypesXml(paths: readonly string[]): XmlElement {
  const extensions = [...new Set(paths.map(extensionOf).filter((e): e is string => e !== null))].sort();
  const withoutExtension = paths.filter((p) => extensionOf(p) === null).sort();
  return el(
    "Types",
    { xmlns: OPC_NAMESPACE },
    extensions.map((ext) =>
      el("Default", { Extension: ext, ContentType: ext === "xml" ? "text/xml" : "application/octet-stream" }),
    ),
    withoutExtension.map((p) => el("Override", { PartName: `/${p}`, ContentType: "application/octet-stream" })),
  );
}
