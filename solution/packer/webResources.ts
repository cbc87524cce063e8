import type { Label } from "../schema";
import { stableGuid } from "./stableGuid";
import { el, textEl, type XmlElement } from "./xmlBuilder";

/**
 * The solution's web resources. WebResourceType codes: 3 JScript, 4 XML, … 12 RESX; there is no JSON type, so
 * a JSON file ships as type 3 (a script resource is served as-is and never parsed by the platform; a
 * control reads it with fetch().json(), which ignores the content type). Type 4 (XML) would be checked as XML
 * on upload and refuse JSON.
 */

export interface WebResourceDefinition {
  /** Dataverse name, also its URL under /WebResources/. */
  name: string;
  displayName: Label;
  description: Label;
  type: 3;
  /** Where the built file is, relative to the repository root. */
  builtFile: string;
}

export const FORM_SCRIPT: WebResourceDefinition = {
  name: "pcs_/scripts/opportunityForm.js",
  displayName: { en: "Opportunity form script", ko: "영업 기회 양식 스크립트" },
  description: {
    en: "Form events and the Sync now command of the Opportunity form (Pcs.OpportunityForm).",
    ko: "영업 기회 양식의 이벤트와 지금 동기화 명령(Pcs.OpportunityForm)입니다.",
  },
  type: 3,
  builtFile: "out/webresources/pcs_/scripts/opportunityForm.js",
};

/**
 * What the controls build writes to out/controls/webresources/ (the toggle's lazily loaded readiness pack; the
 * ISO tables in earlier builds) is discovered, not listed: each file is a web resource named by its path there.
 * Known ones get their labels here; the packer checks that every /WebResources/ URL a control manifest
 * defaults to is one of them.
 */
const KNOWN_CONTROL_RESOURCES: Readonly<Record<string, Pick<WebResourceDefinition, "displayName" | "description">>> = {
  "pcs_/scripts/readinessPack.js": {
    displayName: { en: "Readiness pack", ko: "준비 상태 검사 팩" },
    description: {
      en: "Readiness rules and ISO tables the sync toggle loads when a seller turns sync on.",
      ko: "판매자가 동기화를 켤 때 동기화 토글이 불러오는 준비 상태 규칙과 ISO 표입니다.",
    },
  },
  "pcs_/data/isoTables.json": {
    displayName: { en: "ISO country and currency tables", ko: "ISO 국가 및 통화 표" },
    description: {
      en: "ISO 3166-1 countries and ISO 4217 currencies read by the controls' readiness checks (JSON).",
      ko: "컨트롤의 준비 상태 검사가 읽는 ISO 3166-1 국가와 ISO 4217 통화(JSON)입니다.",
    },
  },
};

export const CONTROL_RESOURCES_FOLDER = "out/controls/webresources";

/** A web resource for a file the controls build wrote; only script and JSON files are expected there. */
export function controlWebResource(name: string): WebResourceDefinition {
  if (!/^pcs_\/[A-Za-z0-9_./-]+\.(js|json)$/.test(name)) {
    throw new Error(`${CONTROL_RESOURCES_FOLDER}/${name}: only pcs_/….js or .json files can become web resources`);
  }
  const known = KNOWN_CONTROL_RESOURCES[name] ?? {
    displayName: { en: name, ko: name },
    description: { en: "Built by the controls build.", ko: "컨트롤 빌드가 만든 파일입니다." },
  };
  return { name, ...known, type: 3, builtFile: `${CONTROL_RESOURCES_FOLDER}/${name}` };
}

export function webResourceId(resource: Pick<WebResourceDefinition, "name">): string {
  return stableGuid("webresource", resource.name);
}

/**
 * Path inside the zip, as Dataverse exports name it: the name without punctuation followed by the id (no
 * extension, hence an Override in [Content_Types].xml).
 */
export function webResourceZipPath(resource: Pick<WebResourceDefinition, "name">): string {
  const id = webResourceId(resource).slice(1, -1).toUpperCase();
  return `WebResources/${resource.name.replace(/[^A-Za-z0-9_]/g, "")}${id}`;
}

/** The `<WebResource>` element of customizations.xml; `fileName` is the zip path (with a leading slash). */
export function webResourceXml(resource: WebResourceDefinition, fileName: string): XmlElement {
  return el(
    "WebResource",
    {},
    textEl("WebResourceId", webResourceId(resource)),
    textEl("Name", resource.name),
    textEl("DisplayName", resource.displayName.en),
    textEl("Description", resource.description.en),
    textEl("WebResourceType", resource.type),
    textEl("IntroducedVersion", "1.0.0.0"),
    textEl("IsEnabledForMobileClient", 0),
    textEl("IsAvailableForMobileOffline", 0),
    textEl("IsCustomizable", 1),
    textEl("CanBeDeleted", 1),
    textEl("IsHidden", 0),
    textEl("FileName", fileName),
  );
}
