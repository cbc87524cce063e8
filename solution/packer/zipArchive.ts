import JSZip from "jszip";
import type { PackageFile } from "./solutionPackage";

/**
 * Writes a package as a zip the way Dataverse expects (forward slashes, no directory entries) and the same way
 * every time: entries in path order and one fixed timestamp, so the same inputs give byte-identical zips.
 */

/** Zip timestamps are DOS local times; 1980-01-01 is the earliest they can hold. */
const FIXED_DATE = new Date(1980, 0, 1, 0, 0, 0);

export async function zipPackage(files: readonly PackageFile[]): Promise<Buffer> {
  const zip = new JSZip();
  const seen = new Set<string>();
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (file.path.includes("\\") || file.path.startsWith("/")) throw new Error(`Bad zip entry name: ${file.path}`);
    if (seen.has(file.path)) throw new Error(`Two zip entries named ${file.path}`);
    seen.add(file.path);
    zip.file(file.path, file.content, { date: FIXED_DATE, createFolders: false, binary: true });
  }
  return zip.generateAsync({
    type: "nodebuffer",
    compression: "DEFLATE",
    compressionOptions: { level: 9 },
    platform: "DOS",
  });
}
