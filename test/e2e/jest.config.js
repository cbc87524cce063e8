/**
 * Browser tests (`npm run test:e2e`): playwright-core driving Debian's chromium against a sandbox each test file
 * starts on free ports. One file at a time: each runs a whole sandbox and a browser, and CI has 2 cores.
 */
const path = require("node:path");

const root = path.join(__dirname, "..", "..");

/** @type {import('jest').Config} */
module.exports = {
  rootDir: root,
  testEnvironment: "node",
  roots: ["<rootDir>/test/e2e"],
  testMatch: ["**/*.e2e.test.ts"],
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.jest.json" }] },
  resolver: "<rootDir>/test/jest/resolver.js",
  globalSetup: "<rootDir>/test/jest/globalSetup.js",
  maxWorkers: 1,
  testTimeout: 60_000,
};
