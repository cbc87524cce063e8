import { runDoctor } from "../../plugins-ts/src/setup/doctor";
import { runSetup, type SetupIO } from "../../plugins-ts/src/setup/setup";
import { setupText } from "../../plugins-ts/src/setup/reportText";
import { startSetupHarness, type SetupHarness } from "./setupHarness";

/** setup then doctor against both emulators; a second run makes no write on either side. */

let h: SetupHarness;
const io = (answers: boolean[] = []): SetupIO & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    confirm: async (q) => {
      asked.push(q);
      return answers.shift() ?? false;
    },
  };
};

beforeAll(async () => {
  h = await startSetupHarness();
}, 30_000);
afterAll(() => h.close());

describe("setup", () => {
  it("registers everything, then doctor passes every check", async () => {
    const result = await runSetup({ connections: h.connect(), overwrite: "ask" }, io());
    const text = setupText(result);
    expect(result.steps.map((s) => [s.id, s.ok])).toEqual([
      ["config", true],
      ["roles", true],
      ["environmentVariables", true],
      ["dataverseWebhook", true],
      ["partnerCenterWebhook", true],
    ]);
    expect(result.writes).toBeGreaterThan(0);
    expect(text).toContain("✓ Dataverse webhook");
    const notPassing = result.doctor!.checks.filter((c) => c.status !== "pass");
    expect(notPassing).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("a second run changes nothing on either side", async () => {
    const pcBefore = h.pcWrites();
    const dvBefore = h.dvVersion();
    const result = await runSetup({ connections: h.connect(), overwrite: "ask", doctor: false }, io());
    expect(result.steps.every((s) => s.ok)).toBe(true);
    expect(result.writes).toBe(0);
    expect(h.pcWrites() - pcBefore).toBe(0);
    expect(h.dvVersion() - dvBefore).toBe(0);
    expect(setupText(result)).toContain("nothing changed");
  });

  it("doctor names every check once, each with a cost", async () => {
    const report = await runDoctor(h.connect());
    const ids = report.checks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        "config.valid",
        "dataverse.reachable",
        "partnerCenter.signIn",
        "partnerCenter.roles",
        "dataverse.setupRole",
        "dataverse.currencies",
        "dataverse.salesTeamUsers",
        "partnerCenter.webhook",
        "dataverse.webhook",
        "dataverse.environmentVariables",
        "quota.today",
        "sync.failures",
      ]),
    );
    expect(report.checks.every((c) => c.cost.length > 0)).toBe(true);
  });
});
