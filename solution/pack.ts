import { statSync } from "node:fs";
import { join, relative } from "node:path";
import { packSolution } from "./packer/packSolution";

/**
 * `npm run package` (after the production controls build and the web resource build): writes
 * dist/<UniqueName>_<version>_unmanaged.zip and _managed.zip, and the unpacked layout in out/solution-src/.
 */

async function main(): Promise<void> {
  const root = join(__dirname, "..");
  const started = Date.now();
  const result = await packSolution(root);
  for (const file of [result.unmanagedZip, result.managedZip]) {
    console.log(`${relative(root, file)}  ${(statSync(file).size / 1024).toFixed(1)} KB`);
  }
  console.log(`${relative(root, result.unpackedFolder)}/  (pac solution pack --folder)`);
  console.log(`Solution version ${result.version}, packed in ${Date.now() - started} ms.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
