import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The manifests declare what issue 7 asks (virtual controls on platform React 16.14.0 and Fluent 8.121.1,
 * Web API and Utility), and the hand-written ManifestTypes.ts match the manifests' properties.
 */

const CONTROLS_DIR = join(__dirname, "..", "..", "controls");
const read = (...path: string[]) => readFileSync(join(CONTROLS_DIR, ...path), "utf8");

const PCF_TYPES: Record<string, string> = {
  TwoOptions: "TwoOptionsProperty",
  "SingleLine.Text": "StringProperty",
  OptionSet: "OptionSetProperty",
  "Whole.None": "WholeNumberProperty",
};

describe.each([
  [
    "SyncToggle",
    {
      syncWithPartnerCenter: ["TwoOptions", "bound"],
      syncState: ["OptionSet", "bound"],
      readinessPackUrl: ["SingleLine.Text", "input"],
    },
  ],
  [
    "SyncStatusPanel",
    { syncState: ["OptionSet", "bound"], dailyBudget: ["Whole.None", "input"], pageSize: ["Whole.None", "input"] },
  ],
] as const)("%s manifest", (control, expected) => {
  const manifest = read(control, "ControlManifest.Input.xml");
  const properties = Object.fromEntries(
    [...manifest.matchAll(/<property name="(\w+)"[^>]*of-type="([\w.]+)" usage="(\w+)"/g)].map((m) => [
      m[1],
      [m[2], m[3]],
    ]),
  );

  it("is a virtual control on the platform's React 16.14.0 and Fluent 8.121.1, using WebAPI and Utility", () => {
    expect(manifest).toMatch(
      new RegExp(`<control namespace="Pcs" constructor="${control}"[^>]*control-type="virtual"`),
    );
    expect(manifest).toContain('<platform-library name="React" version="16.14.0" />');
    expect(manifest).toContain('<platform-library name="Fluent" version="8.121.1" />');
    expect(manifest).toContain('<uses-feature name="WebAPI" required="true" />');
    expect(manifest).toContain('<uses-feature name="Utility" required="true" />');
  });

  it("declares exactly the properties of ManifestTypes.ts, with matching types", () => {
    expect(properties).toEqual(expected);
    const types = read(control, "ManifestTypes.ts");
    for (const [name, [ofType]] of Object.entries(expected)) {
      expect(types).toMatch(new RegExp(`\\b${name}: ComponentFramework\\.PropertyTypes\\.${PCF_TYPES[ofType]};`));
    }
    const declared = [...(/interface IInputs \{([^}]*)\}/.exec(types)?.[1] ?? "").matchAll(/(\w+):/g)].map((m) => m[1]);
    expect(declared.sort()).toEqual(Object.keys(expected).sort());
  });

  it("agrees with the types pcf-scripts generated, when a build has run", () => {
    const generated = join(CONTROLS_DIR, control, "generated", "ManifestTypes.d.ts");
    if (!existsSync(generated)) return; // the build writes it; tsc and jest do not need it
    const text = readFileSync(generated, "utf8");
    for (const [name, [ofType]] of Object.entries(expected)) {
      expect(text).toMatch(new RegExp(`${name}: ComponentFramework\\.PropertyTypes\\.${PCF_TYPES[ofType]};`));
    }
  });
});
