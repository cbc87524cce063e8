import type { Label } from "../schema";
import { el, type XmlElement } from "./xmlBuilder";
import { LANGUAGES } from "./solutionIdentity";

/**
 * Dataverse writes one element per language, each `<x description="…" languagecode="1033" />`; these build
 * that shape for English and Korean from a schema Label.
 */
export function localized(container: string, item: string, label: Label | undefined): XmlElement {
  return el(
    container,
    {},
    label === undefined ? [] : LANGUAGES.map((l) => el(item, { description: label[l.key], languagecode: l.code })),
  );
}

export const displayNames = (label: Label): XmlElement => localized("displaynames", "displayname", label);
export const descriptions = (label: Label | undefined): XmlElement => localized("Descriptions", "Description", label);
export const labels = (label: Label): XmlElement => localized("labels", "label", label);
export const localizedNames = (label: Label): XmlElement => localized("LocalizedNames", "LocalizedName", label);
