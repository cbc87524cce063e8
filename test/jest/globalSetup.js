/**
 * Builds what is missing (the production control bundles and web resources) once, before any test worker starts
 * (npm test and npm run test:e2e).
 * Several suites read the built files (solution package, secret scan, sandbox); on a fresh clone, each building
 * them on its own would race: every build clears its output folder first.
 */
const { require: tsxRequire } = require("tsx/cjs/api");

module.exports = async function globalSetup() {
  const { buildMissing } = tsxRequire("../sandbox/builtArtifacts.ts", __filename);
  buildMissing((line) => console.log(`\n[jest global setup] ${line}`));
};
