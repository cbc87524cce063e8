import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { BuiltControl, PackInputs } from "./solutionPackage";
import { CONTROL_RESOURCES_FOLDER, FORM_SCRIPT, controlWebResource } from "./webResources";

/**
 * Reads what `npm run build:controls:prod` and `npm run build:webresources` produced, after checking that
 * each input exists, so a missing build fails with the file and the command that makes it.
 */

export const CONTROL_FOLDERS = ["SyncStatusPanel", "SyncToggle"] as const;

const BUILD_HINT: Record<string, string> = {
  controls: "npm run build:controls:prod",
  webresources: "npm run build:webresources",
};

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? listFiles(full) : [full];
    });
}

/** Every input the packer needs, relative to the repository root; [] when all are there. */
export function missingInputs(root: string): string[] {
  const missing: string[] = [];
  for (const control of CONTROL_FOLDERS) {
    const dir = join(root, "out", "controls", control);
    for (const file of ["bundle.js", "ControlManifest.xml"]) {
      if (!existsSync(join(dir, file))) missing.push(`out/controls/${control}/${file}`);
    }
    const strings = join(dir, "strings");
    if (!existsSync(strings) || !readdirSync(strings).some((f) => f.endsWith(".resx"))) {
      missing.push(`out/controls/${control}/strings/*.resx`);
    }
  }
  if (!existsSync(join(root, FORM_SCRIPT.builtFile))) missing.push(FORM_SCRIPT.builtFile);
  const controlResources = join(root, CONTROL_RESOURCES_FOLDER);
  if (!existsSync(controlResources) || listFiles(controlResources).length === 0) {
    missing.push(`${CONTROL_RESOURCES_FOLDER}/pcs_/** (the controls' web resources)`);
  }
  return missing;
}

export function missingInputsMessage(missing: readonly string[]): string {
  const commands = [...new Set(missing.map((m) => BUILD_HINT[m.split("/")[1] ?? ""] ?? "npm run build"))];
  return (
    `Cannot pack the solution: ${missing.length} built input(s) missing:\n` +
    missing.map((m) => `  - ${m}`).join("\n") +
    `\nBuild them with: ${commands.join(" && ")} (npm run package runs both).`
  );
}

export function readPackInputs(root: string): PackInputs {
  const missing = missingInputs(root);
  if (missing.length > 0) throw new Error(missingInputsMessage(missing));
  const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: unknown };
  if (typeof packageJson.version !== "string") throw new Error("package.json has no version");
  const controls: BuiltControl[] = CONTROL_FOLDERS.map((control) => {
    const dir = join(root, "out", "controls", control);
    const files = new Map(
      listFiles(dir).map((full) => [relative(dir, full).split(sep).join("/"), readFileSync(full)] as const),
    );
    return {
      manifestXml: readFileSync(join(dir, "ControlManifest.xml"), "utf8"),
      files,
      source: `out/controls/${control}/ControlManifest.xml`,
    };
  });
  const controlResources = join(root, CONTROL_RESOURCES_FOLDER);
  const webResources = [
    FORM_SCRIPT,
    ...listFiles(controlResources).map((full) =>
      controlWebResource(relative(controlResources, full).split(sep).join("/")),
    ),
  ].map((definition) => ({ definition, content: readFileSync(join(root, definition.builtFile)) }));
  return { packageVersion: packageJson.version, controls, webResources };
}
