import * as path from "node:path";
import type { BuildOptions } from "esbuild";

/**
 * esbuild settings of the Opportunity form library: one minified IIFE whose global is
 * `Pcs.OpportunityForm` (so the form's handlers are `Pcs.OpportunityForm.onLoad` …), ES2017 for the
 * browsers model-driven apps support. Shared by build.ts and the bundle test.
 */
export const WEBRESOURCE_NAME = "pcs_/scripts/opportunityForm.js";
export const ENTRY = path.join(__dirname, "src", "opportunityForm.ts");
export const OUTFILE = path.join(__dirname, "..", "out", "webresources", WEBRESOURCE_NAME);

export const bundleOptions: BuildOptions = {
  entryPoints: [ENTRY],
  bundle: true,
  format: "iife",
  globalName: "Pcs.OpportunityForm",
  platform: "browser",
  target: "es2017",
  minify: true,
  legalComments: "none",
  charset: "utf8",
  // Nothing from the build machine's environment may reach the bundle.
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "silent",
};
