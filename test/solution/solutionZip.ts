import { execSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import JSZip from "jszip";
import { missingInputs, readPackInputs } from "../../solution/packer/packInputs";
import type { PackInputs } from "../../solution/packer/solutionPackage";

/** Test support: build what the packer needs when it is missing, open zips, find the reference XSDs. */

export const ROOT = join(__dirname, "..", "..");

/** Runs the same builds `npm run package` runs, only for what is missing (a fresh clone has no out/). */
export function ensureBuiltInputs(): void {
  const missing = missingInputs(ROOT);
  if (missing.some((m) => m.startsWith("out/controls/"))) {
    execSync("npm run build:controls:prod", { cwd: ROOT, stdio: "pipe" });
  }
  if (missing.some((m) => m.startsWith("out/webresources/"))) {
    execSync("npm run build:webresources", { cwd: ROOT, stdio: "pipe" });
  }
}

/**
 * Builds what is missing and reads the inputs. Other test files (sandbox, bundle checks) may run the same
 * builds in parallel on a fresh clone, and a build clears its output folder first, so a read that finds a file
 * gone is retried after the other build had time to finish.
 */
export async function builtPackInputs(attempts = 3): Promise<PackInputs> {
  for (let attempt = 1; ; attempt++) {
    try {
      ensureBuiltInputs();
      return readPackInputs(ROOT);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  }
}

export interface OpenedZip {
  /** Entry names as stored, in stored order (directories included, so a test can refuse them). */
  names: string[];
  files: Map<string, Buffer>;
}

export async function openZip(bytes: Buffer): Promise<OpenedZip> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files);
  const files = new Map<string, Buffer>();
  for (const name of names) {
    const entry = zip.files[name];
    if (entry && !entry.dir) files.set(name, await entry.async("nodebuffer"));
  }
  return { names, files };
}

export function text(zip: OpenedZip, name: string): string {
  const content = zip.files.get(name);
  if (!content) throw new Error(`${name} is not in the zip`);
  return content.toString("utf8");
}

/** ../shared/reference/dataverse/xsd beside the repository; null when this checkout has no shared folder. */
export const XSD_DIR = join(ROOT, "..", "shared", "reference", "dataverse", "xsd");

/**
 * The XSDs, with one in-memory change: the libxml2 in xmllint-wasm refuses FormXml.xsd's content model for a
 * form control's <parameters> as non-deterministic, so that one element becomes "any content" (the generated
 * form's field controls carry no parameters; the code components' parameters sit in customControl, which the
 * schema already leaves open). Everything else is validated as Microsoft wrote it.
 */
export function referenceSchemas(): { fileName: string; contents: string }[] | null {
  if (!existsSync(join(XSD_DIR, "CustomizationsSolution.xsd"))) return null;
  return readdirSync(XSD_DIR)
    .filter((f) => f.endsWith(".xsd"))
    .sort()
    .map((fileName) => {
      const contents = readFileSync(join(XSD_DIR, fileName), "utf8");
      return { fileName, contents: fileName === "FormXml.xsd" ? loosenControlParameters(contents) : contents };
    });
}

export function loosenControlParameters(xsd: string): string {
  const typeAt = xsd.indexOf('<xs:complexType name="FormXmlControlType">');
  const paramsAt = xsd.indexOf('<xs:element name="parameters"', typeAt);
  const choiceAt = xsd.indexOf("<xs:choice", paramsAt);
  if (typeAt < 0 || paramsAt < 0 || choiceAt < 0)
    throw new Error("FormXml.xsd: FormXmlControlType/parameters not found");
  let depth = 0;
  const tag = /<(\/?)xs:choice\b[^>]*?(\/?)>/g;
  tag.lastIndex = choiceAt;
  for (let m = tag.exec(xsd); m; m = tag.exec(xsd)) {
    if (m[2] === "/") continue;
    depth += m[1] === "/" ? -1 : 1;
    if (depth === 0) {
      const any = '<xs:sequence><xs:any minOccurs="0" maxOccurs="unbounded" processContents="skip" /></xs:sequence>';
      return xsd.slice(0, choiceAt) + any + xsd.slice(m.index + m[0].length);
    }
  }
  throw new Error("FormXml.xsd: unbalanced xs:choice in FormXmlControlType/parameters");
}
