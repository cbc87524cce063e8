import { build } from "esbuild";
import { join } from "node:path";

/**
 * The sandbox's own browser code (the PCF host, the Xrm host and the two pages), bundled in memory at start.
 * The product's code is not in these bundles: the pages load the built control bundles and web resource.
 */

export const BROWSER_ENTRIES = {
  "formPage.js": join(__dirname, "client", "formPage.ts"),
  "microsoftPage.js": join(__dirname, "client", "microsoftPage.ts"),
  "pcfHost.js": join(__dirname, "pcfHost", "index.ts"),
} as const;

export type BundleName = keyof typeof BROWSER_ENTRIES;

export async function bundleBrowserCode(): Promise<Map<BundleName, string>> {
  const out = new Map<BundleName, string>();
  await Promise.all(
    (Object.entries(BROWSER_ENTRIES) as [BundleName, string][]).map(async ([name, entry]) => {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        format: "iife",
        platform: "browser",
        target: "es2020",
        sourcemap: "inline",
        logLevel: "silent",
      });
      const file = result.outputFiles[0];
      if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
      out.set(name, file.text);
    }),
  );
  return out;
}
