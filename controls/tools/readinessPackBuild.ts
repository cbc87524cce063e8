import { build, type Plugin } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { isoTables } from "../../domain/isoTables";

/** The web resource's path under the web-resource root: pcs_/scripts/readinessPack.js. */
export const READINESS_PACK_FILE = "pcs_/scripts/readinessPack.js";

const ENTRY = join(__dirname, "..", "shared", "readinessPackWebResource.ts");

/**
 * domain/isoTables.ts derives the tables from the full datasets at run time; the pack carries only the
 * derived tables (about a third of the size), computed here at build time from the same module.
 */
const compactIsoTables: Plugin = {
  name: "compact-iso-tables",
  setup(build) {
    build.onLoad({ filter: /[\\/]domain[\\/]isoTables\.ts$/ }, () => ({
      contents: `export const isoTables = ${JSON.stringify(isoTables)};`,
      loader: "js",
    }));
  },
};

/** The pack's code (an IIFE that installs the global the toggle reads), minified unless `production` is false. */
export async function readinessPackCode(production = true): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: "iife",
    platform: "browser",
    // The browsers model-driven apps support; same as the controls' pcfconfig targets.
    target: ["chrome100", "edge100", "firefox100", "safari16.4"],
    minify: production,
    legalComments: "none",
    plugins: [compactIsoTables],
    write: false,
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no readiness pack");
  return file.text;
}

/** Writes the pack under `webResourceRoot` and returns its size. */
export async function buildReadinessPack(
  webResourceRoot: string,
  production: boolean,
): Promise<{ bytes: number; gzip: number }> {
  const code = await readinessPackCode(production);
  const target = join(webResourceRoot, READINESS_PACK_FILE);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, code);
  return { bytes: Buffer.byteLength(code), gzip: gzipSync(code).length };
}
