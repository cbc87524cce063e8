/**
 * The one way the packer writes XML: a small element tree rendered with two-space indentation, every
 * attribute value and text node passing through `escapeXml`, so no generated file can be malformed by a label.
 */

export type XmlAttributeValue = string | number | undefined;

export interface XmlElement {
  name: string;
  attributes: Readonly<Record<string, XmlAttributeValue>>;
  children: readonly XmlNode[];
}

export type XmlNode = XmlElement | string;

const XML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escapes text and attribute values; characters XML 1.0 cannot carry at all are refused, not dropped. */
export function escapeXml(value: string): string {
  // eslint-disable-next-line no-control-regex
  const invalid = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(value);
  if (invalid) {
    throw new Error(
      `Cannot write U+${invalid[0].charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()} into XML (in "${value.slice(0, 40)}")`,
    );
  }
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** `el("Name", {attr: 1}, child, "text")`; undefined attributes and children are left out. */
export function el(
  name: string,
  attributes: Readonly<Record<string, XmlAttributeValue>> = {},
  ...children: readonly (XmlNode | undefined | false | readonly (XmlNode | undefined | false)[])[]
): XmlElement {
  const flat: XmlNode[] = [];
  for (const child of children) {
    if (Array.isArray(child)) {
      for (const c of child as readonly (XmlNode | undefined | false)[])
        if (c !== undefined && c !== false) flat.push(c);
    } else if (child !== undefined && child !== false) {
      flat.push(child as XmlNode);
    }
  }
  return { name, attributes, children: flat };
}

/** An element holding one text value: `<Name>value</Name>`. */
export function textEl(name: string, value: string | number): XmlElement {
  return el(name, {}, String(value));
}

function renderAttributes(attributes: Readonly<Record<string, XmlAttributeValue>>): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join("");
}

function renderNode(node: XmlNode, depth: number, out: string[]): void {
  const indent = "  ".repeat(depth);
  if (typeof node === "string") {
    out.push(indent + escapeXml(node));
    return;
  }
  const open = `<${node.name}${renderAttributes(node.attributes)}`;
  if (node.children.length === 0) {
    out.push(`${indent}${open} />`);
  } else if (node.children.every((c) => typeof c === "string")) {
    out.push(`${indent}${open}>${(node.children as string[]).map(escapeXml).join("")}</${node.name}>`);
  } else {
    out.push(`${indent}${open}>`);
    for (const child of node.children) renderNode(child, depth + 1, out);
    out.push(`${indent}</${node.name}>`);
  }
}

/** A whole document: UTF-8 declaration, LF line ends, trailing newline. */
export function renderXmlDocument(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>'];
  renderNode(root, 0, out);
  return out.join("\n") + "\n";
}

/** A fragment without declaration (FormXml and RibbonDiffXml sidecar files of the unpacked layout use it too). */
export function renderXmlFragment(root: XmlElement, depth = 0): string {
  const out: string[] = [];
  renderNode(root, depth, out);
  return out.join("\n");
}
