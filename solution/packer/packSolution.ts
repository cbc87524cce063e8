import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readPackInputs } from "./packInputs";
import { solutionVersion, packageFileName } from "./solutionIdentity";
import { solutionPackageFiles, unpackedSourceFiles } from "./solutionPackage";
import { zipPackage } from "./zipArchive";

/** Reads the built inputs and writes both zips and the unpacked layout. */

export interface PackResult {
  unmanagedZip: string;
  managedZip: string;
  unpackedFolder: string;
  version: string;
}

export async function packSolution(root: string, outDir = join(root, "dist")): Promise<PackResult> {
  const inputs = readPackInputs(root);
  const version = solutionVersion(inputs.packageVersion);
  mkdirSync(outDir, { recursive: true });
  const written: Record<"managed" | "unmanaged", string> = { managed: "", unmanaged: "" };
  for (const managed of [false, true]) {
    const path = join(outDir, packageFileName(version, managed));
    writeFileSync(path, await zipPackage(solutionPackageFiles(inputs, managed)));
    written[managed ? "managed" : "unmanaged"] = path;
  }
  // Generated, never committed: solution/schema is the one source (solution/README.md).
  const unpackedFolder = join(root, "out", "solution-src");
  rmSync(unpackedFolder, { recursive: true, force: true });
  for (const file of unpackedSourceFiles(inputs)) {
    const path = join(unpackedFolder, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  return { unmanagedZip: written.unmanaged, managedZip: written.managed, unpackedFolder, version };
}
