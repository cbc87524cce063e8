import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DATAVERSE_WEBHOOK_SECRET } from "../chaos/productUnderTest";
import { scanForSecrets, secretConstantsIn, type SecretRules } from "./secretScanner";

/**
 * No secret reaches the browser: the built control bundles (out/controls/**\/bundle.js) and the web resource
 * (out/webresources/**\/*.js) are scanned for the secrets the sandbox and the proxy's configuration use. Builds
 * what is missing first (a fresh clone has no out/).
 */

jest.setTimeout(180_000);

const ROOT = join(__dirname, "../..");
const OUT = join(ROOT, "out");

function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path, accept) : accept(entry.name) ? [path] : [];
  });
}

const controlBundles = () => filesUnder(join(OUT, "controls"), (name) => name === "bundle.js");
const webResources = () => filesUnder(join(OUT, "webresources"), (name) => name.endsWith(".js"));

function build(script: string): void {
  execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "--silent", script], {
    cwd: ROOT,
    stdio: "pipe",
    timeout: 150_000,
  });
}

/** The secrets in play: the sandbox's (read from its source), this suite's, and the emulator-mode bearer tokens. */
function knownSecrets(): string[] {
  const sources = [
    ...filesUnder(join(ROOT, "test/sandbox"), (name) => name.endsWith(".ts")),
    join(ROOT, "plugins-ts/src/server/proxyComposition.ts"),
  ];
  const fromSources = sources.flatMap((file) => secretConstantsIn(readFileSync(file, "utf8")));
  return [...new Set([...fromSources, DATAVERSE_WEBHOOK_SECRET, "pcs-emulator-application-user"])];
}

let rules: SecretRules;

beforeAll(() => {
  if (webResources().length === 0) build("build:webresources");
  if (controlBundles().length < 2) build("build:controls:prod");
  rules = { knownSecrets: knownSecrets() };
});

describe("browser bundles carry no secret", () => {
  it("knows the secrets it looks for (the sandbox's webhook secret among them)", () => {
    expect(rules.knownSecrets).toEqual(expect.arrayContaining([DATAVERSE_WEBHOOK_SECRET]));
    expect(rules.knownSecrets.some((s) => s.startsWith("sandbox-"))).toBe(true);
  });

  it("finds both control bundles and the form script", () => {
    expect(
      controlBundles()
        .map((f) => relative(OUT, f))
        .sort(),
    ).toEqual(
      expect.arrayContaining([
        join("controls", "SyncStatusPanel", "bundle.js"),
        join("controls", "SyncToggle", "bundle.js"),
      ]),
    );
    expect(webResources().length).toBeGreaterThanOrEqual(1);
  });

  it("none of them contains a known secret, a PEM block, a secret setting's name or a token", () => {
    const findings = [...controlBundles(), ...webResources()].flatMap((file) =>
      scanForSecrets(relative(ROOT, file), readFileSync(file, "utf8"), rules),
    );
    expect(findings).toEqual([]);
  });

  it("would catch each kind of secret planted in a real bundle", () => {
    const bundle = readFileSync(webResources()[0]!, "utf8");
    const middle = Math.floor(bundle.length / 2);
    const plant = (secret: string) =>
      `${bundle.slice(0, middle)}var leaked=${JSON.stringify(secret)};${bundle.slice(middle)}`;
    const sandboxSecret = rules.knownSecrets.find((s) => s.startsWith("sandbox-"))!;
    const cases: [string, string][] = [
      [sandboxSecret, "known-secret"],
      ["-----BEGIN RSA PRIVATE KEY-----\nMIIEow…", "pem-block"],
      ["-----BEGIN PRIVATE KEY-----", "pem-block"],
      ["PCS_DATAVERSE_CLIENT_SECRET", "secret-setting-name"],
      ["PCS_PARTNER_CENTER_TOKEN_CACHE_SECRET", "secret-setting-name"],
      ["eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJhYmNkZWZnaGlqIn0.c2lnbmF0dXJlc2lnbmF0dXJl", "jwt"],
    ];
    for (const [secret, kind] of cases) {
      const findings = scanForSecrets("planted.js", plant(secret), rules);
      expect(findings.map((f) => f.kind)).toContain(kind);
      // The report names the place without repeating the secret.
      for (const f of findings) expect(f.excerpt.length).toBeLessThanOrEqual(12);
    }
  });
});
