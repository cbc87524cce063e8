/**
 * Unit and integration tests (no browser): `npm test`. Browser tests live in test/e2e and run with `npm run test:e2e`.
 * Two projects: everything in Node, and the PCF controls in jsdom.
 */
const transform = { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.jest.json" }] };

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: "<rootDir>/test/jest/globalSetup.js",
  projects: [
    {
      displayName: "node",
      testEnvironment: "node",
      roots: ["<rootDir>/test"],
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/e2e/", "<rootDir>/test/controls/"],
      transform,
      // An ESM-only dependency of fastify's inject (see test/jest/resolver.js).
      resolver: "<rootDir>/test/jest/resolver.js",
    },
    {
      displayName: "controls",
      testEnvironment: "jsdom",
      roots: ["<rootDir>/test/controls"],
      testMatch: ["**/*.test.ts", "**/*.test.tsx"],
      transform,
      // jsdom resolves the "browser" export condition; sinon's is ESM, which jest's CommonJS loader cannot run.
      moduleNameMapper: { "^sinon$": "<rootDir>/node_modules/sinon/lib/sinon.js" },
      setupFiles: ["<rootDir>/test/controls/setup.ts"],
    },
  ],
};
