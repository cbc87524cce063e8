import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { bundleOptions, OUTFILE } from "./bundleOptions";

/** `npm run build:webresources`: writes out/webresources/pcs_/scripts/opportunityForm.js and prints its size. */
async function main(): Promise<void> {
  const result = await build({ ...bundleOptions, outfile: OUTFILE, write: true, metafile: true });
  const output = result.metafile.outputs[Object.keys(result.metafile.outputs)[0] ?? ""];
  const bytes = output?.bytes ?? 0;
  const { readFileSync } = await import("node:fs");
  const gzip = gzipSync(readFileSync(OUTFILE)).length;
  for (const warning of result.warnings) console.warn(warning.text);
  console.log(`webresources: ${OUTFILE} ${(bytes / 1024).toFixed(1)} KB minified, ${(gzip / 1024).toFixed(1)} KB gzip`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
