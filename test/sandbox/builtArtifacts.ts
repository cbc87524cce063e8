import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The built files the sandbox serves (never sources or copies), and building the ones that are missing.
 */

export const ROOT = join(__dirname, "..", "..");
export const CONTROLS = ["SyncToggle", "SyncStatusPanel"] as const;
export type ControlName = (typeof CONTROLS)[number];

export const ARTIFACTS = {
  controlsDir: join(ROOT, "out", "controls"),
  /** Web resources the controls build writes (the toggle's readiness pack); served under /WebResources/. */
  controlWebResources: join(ROOT, "out", "controls", "webresources"),
  webResources: join(ROOT, "out", "webresources"),
  formScript: join(ROOT, "out", "webresources", "pcs_", "scripts", "opportunityForm.js"),
  react: join(ROOT, "node_modules", "react", "umd", "react.production.min.js"),
  reactDom: join(ROOT, "node_modules", "react-dom", "umd", "react-dom.production.min.js"),
  fluent: join(ROOT, "node_modules", "@fluentui", "react", "dist", "fluentui-react.umd.js"),
} as const;

export function controlFile(control: ControlName, file: string): string {
  return join(ARTIFACTS.controlsDir, control, file);
}

interface BuildStep {
  what: string;
  script: string;
  produces: string[];
}

const STEPS: BuildStep[] = [
  {
    what: "PCF controls (production)",
    script: "build:controls:prod",
    produces: [
      ...CONTROLS.flatMap((c) => [
        controlFile(c, "bundle.js"),
        controlFile(c, "ControlManifest.xml"),
        controlFile(c, `strings/${c}.1033.resx`),
        controlFile(c, `strings/${c}.1042.resx`),
      ]),
      join(ROOT, "out", "controls", "webresources"),
    ],
  },
  { what: "form web resource", script: "build:webresources", produces: [ARTIFACTS.formScript] },
];

/** Builds each piece whose output is missing; says what it builds. Throws when a build fails. */
export function buildMissing(log: (line: string) => void = console.log): string[] {
  const built: string[] = [];
  for (const step of STEPS) {
    const missing = step.produces.filter((file) => !existsSync(file));
    if (missing.length === 0) continue;
    log(`Building ${step.what} (npm run ${step.script}): ${missing.length} file(s) missing, e.g. ${missing[0]}`);
    const result = spawnSync("npm", ["run", step.script], { cwd: ROOT, stdio: "inherit", env: process.env });
    const still = step.produces.filter((file) => !existsSync(file));
    if (result.status !== 0 || still.length > 0) {
      throw new Error(`npm run ${step.script} failed (exit ${result.status ?? "none"}); missing: ${still.join(", ")}`);
    }
    built.push(step.what);
  }
  const vendors = [ARTIFACTS.react, ARTIFACTS.reactDom, ARTIFACTS.fluent].filter((file) => !existsSync(file));
  if (vendors.length > 0) throw new Error(`Run npm ci first: ${vendors.join(", ")} not found.`);
  return built;
}
