import { descriptions, localizedNames } from "./localizedLabels";
import { PUBLISHER, SOLUTION_DESCRIPTION, SOLUTION_NAME, SOLUTION_UNIQUE_NAME } from "./solutionIdentity";
import { el, textEl, type XmlElement } from "./xmlBuilder";

/** solution.xml: metadata, publisher and root components, in the shape of the exported samples. */

/** solutioncomponent.componenttype codes used here. */
export const COMPONENT_TYPE = {
  Entity: 1,
  Role: 20,
  SystemForm: 60,
  WebResource: 61,
  CustomControl: 66,
  EnvironmentVariableDefinition: 380,
} as const;

export interface RootComponent {
  type: (typeof COMPONENT_TYPE)[keyof typeof COMPONENT_TYPE];
  schemaName?: string;
  id?: string;
  /** 0: with everything in it; 2: shell only (a standard table of which we ship only our columns and form). */
  behavior: 0 | 2;
}

const ADDRESS_FIELDS = [
  "City",
  "County",
  "Country",
  "Fax",
  "FreightTermsCode",
  "ImportSequenceNumber",
  "Latitude",
  "Line1",
  "Line2",
  "Line3",
  "Longitude",
  "Name",
  "PostalCode",
  "PostOfficeBox",
  "PrimaryContactName",
] as const;
const ADDRESS_FIELDS_AFTER = [
  "StateOrProvince",
  "Telephone1",
  "Telephone2",
  "Telephone3",
  "TimeZoneRuleVersionNumber",
  "UPSZone",
  "UTCOffset",
  "UTCConversionTimeZoneCode",
] as const;

const nil = (name: string): XmlElement => el(name, { "xsi:nil": "true" });

function address(number: 1 | 2): XmlElement {
  return el(
    "Address",
    {},
    textEl("AddressNumber", number),
    textEl("AddressTypeCode", 1),
    ADDRESS_FIELDS.map(nil),
    textEl("ShippingMethodCode", 1),
    ADDRESS_FIELDS_AFTER.map(nil),
  );
}

export function solutionManifestXml(version: string, managed: boolean, roots: readonly RootComponent[]): XmlElement {
  return el(
    "ImportExportXml",
    {
      version: "9.1.0.643",
      SolutionPackageVersion: "9.1",
      languagecode: 1033,
      generatedBy: "CrmLive",
      "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    },
    el(
      "SolutionManifest",
      {},
      textEl("UniqueName", SOLUTION_UNIQUE_NAME),
      localizedNames(SOLUTION_NAME),
      descriptions(SOLUTION_DESCRIPTION),
      textEl("Version", version),
      textEl("Managed", managed ? 1 : 0),
      el(
        "Publisher",
        {},
        textEl("UniqueName", PUBLISHER.uniqueName),
        localizedNames(PUBLISHER.name),
        descriptions(PUBLISHER.description),
        nil("EMailAddress"),
        nil("SupportingWebsiteUrl"),
        textEl("CustomizationPrefix", PUBLISHER.prefix),
        textEl("CustomizationOptionValuePrefix", PUBLISHER.optionValuePrefix),
        el("Addresses", {}, address(1), address(2)),
      ),
      el(
        "RootComponents",
        {},
        roots.map((r) =>
          el("RootComponent", { type: r.type, id: r.id, schemaName: r.schemaName, behavior: r.behavior }),
        ),
      ),
      el("MissingDependencies"),
    ),
  );
}
