// One flat config for the whole repo. Controls get React rules; web resources also get the
// Power Apps solution-checker rules (paCheckerHosted) that Microsoft runs on uploaded scripts.
import js from "@eslint/js";
import powerApps from "@microsoft/eslint-plugin-power-apps";
import prettier from "eslint-config-prettier";
import promise from "eslint-plugin-promise";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/out/**", "dist/**", "coverage/**", "**/generated/**", "test-results/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  promise.configs["flat/recommended"],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "smart"],
      "no-console": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["controls/**/*.{ts,tsx}"],
    ...react.configs.flat.recommended,
    languageOptions: {
      ...react.configs.flat.recommended.languageOptions,
      globals: { ...globals.browser, ComponentFramework: "readonly" },
    },
    settings: { react: { version: "16.14" } },
  },
  {
    files: ["controls/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ["webresources/**/*.ts"],
    plugins: { "@microsoft/power-apps": powerApps },
    languageOptions: { globals: { ...globals.browser, Xrm: "readonly" } },
    rules: powerApps.configs.paCheckerHosted.rules,
  },
  prettier,
);
