// The ESM-only cookie@2 that light-my-request depends on, converted to CommonJS by esbuild when jest loads it
// (see resolver.js). Same code, same version: nothing is vendored.
const { buildSync } = require("esbuild");
const path = require("node:path");

const entry = path.join(
  path.dirname(require.resolve("light-my-request/package.json")),
  "node_modules",
  "cookie",
  "dist",
  "index.js",
);
const { outputFiles } = buildSync({
  entryPoints: [entry],
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  write: false,
});
const compiled = { exports: {} };
new Function("module", "exports", "require", outputFiles[0].text)(compiled, compiled.exports, require);
module.exports = compiled.exports;
