import { execFile } from "node:child_process";
import { join } from "node:path";
import { cachedDoctor } from "../../plugins-ts/src/setup/cachedDoctor";
import { runDoctor } from "../../plugins-ts/src/setup/doctor";
import { reportOf, type DoctorReport } from "../../plugins-ts/src/setup/doctorCheck";
import { runSetup } from "../../plugins-ts/src/setup/setup";
import { EMULATOR_INTEGRATION_USER } from "../emulators/partner-center/accountRoles";
import { SECRET, startSetupHarness, type SetupHarness } from "./setupHarness";

/** GET /api/health carries the doctor's report; the setup and doctor commands as child processes. */

const ROOT = join(__dirname, "..", "..");
let h: SetupHarness;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
/** Asynchronous on purpose: the emulators live in this process and must keep answering. */
function command(file: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(ROOT, "plugins-ts", "src", file), ...args],
      { cwd: ROOT, env: { ...process.env, ...h.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
const summary = (r: DoctorReport) => r.checks.map((c) => [c.id, c.status]);

beforeAll(async () => {
  h = await startSetupHarness();
}, 30_000);
afterAll(() => h.close());

describe("setup and doctor commands", () => {
  // Each runs one or two child processes that compile TypeScript with tsx on start.
  jest.setTimeout(60_000);

  it("setup --json sets everything up and exits 0; doctor --json then passes", async () => {
    const setup = await command("setupCommand.ts", ["--no-overwrite", "--json"]);
    expect(setup.stderr).not.toContain("Error");
    expect(setup.code).toBe(0);
    const result = JSON.parse(setup.stdout) as { ok: boolean; writes: number; doctor: DoctorReport };
    expect(result.ok).toBe(true);
    expect(result.writes).toBeGreaterThan(0);
    expect(result.doctor.status).toBe("pass");

    const doctor = await command("doctorCommand.ts", ["--json"]);
    expect(doctor.code).toBe(0);
    const report = JSON.parse(doctor.stdout) as DoctorReport;
    expect(report.checks.every((c) => c.status === "pass")).toBe(true);
    expect(report.checks.length).toBeGreaterThanOrEqual(14);
  });

  it("doctor exits 1 naming the failing check and its fix; text output has the ✗ line", async () => {
    h.pc.accounts.setRoles(EMULATOR_INTEGRATION_USER.userPrincipalName, []);
    try {
      const json = await command("doctorCommand.ts", ["--json"]);
      expect(json.code).toBe(1);
      const failed = (JSON.parse(json.stdout) as DoctorReport).checks.filter((c) => c.status === "fail");
      expect(failed.map((c) => c.id)).toEqual(["partnerCenter.roles"]);
      expect(failed[0]!.fix).toContain("Referrals admin");
      const text = await command("doctorCommand.ts", []);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain("✗ Integration user holds Referrals admin [partnerCenter.roles]");
      expect(text.stdout).toContain("fix: In Partner Center");
    } finally {
      h.pc.accounts.setRoles(EMULATOR_INTEGRATION_USER.userPrincipalName, ["Referrals admin"]);
    }
  });

  it("bad flags and bad configuration exit 2 with the reason", async () => {
    const flags = await command("setupCommand.ts", ["--yes", "--no-overwrite"]);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain("--yes and --no-overwrite exclude each other");
    const config = await command("doctorCommand.ts", [], { PCS_PUBLIC_URL: "not a url" });
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('PCS_PUBLIC_URL is not a URL (got "not a url")');
  });
});

describe("GET /api/health", () => {
  it("returns the doctor's checks, the same as the doctor command, without secrets", async () => {
    await runSetup({ connections: h.connect(), overwrite: "yes", doctor: false }, { confirm: async () => false });
    const res = await fetch(`${h.proxyUrl}/api/health`);
    const raw = await res.text();
    const body = JSON.parse(raw) as { status: string; doctor: DoctorReport };
    expect(res.status).toBe(200);
    expect(summary(body.doctor)).toEqual(summary(await runDoctor(h.connect())));
    expect(body.doctor.status).toBe("pass");
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain("pcs-emulator-integration-user");
  });

  it("reports a failing check without taking the instance out of rotation", async () => {
    h.pc.accounts.setRoles(EMULATOR_INTEGRATION_USER.userPrincipalName, []);
    try {
      const res = await fetch(`${h.proxyUrl}/api/health`);
      const body = (await res.json()) as { status: string; doctor: DoctorReport };
      expect(res.status).toBe(200);
      expect(body.status).toBe("ok");
      expect(body.doctor.status).toBe("fail");
      expect(body.doctor.checks.find((c) => c.status === "fail")?.id).toBe("partnerCenter.roles");
    } finally {
      h.pc.accounts.setRoles(EMULATOR_INTEGRATION_USER.userPrincipalName, ["Referrals admin"]);
    }
  });
});

describe("cachedDoctor", () => {
  const report = (n: number) =>
    reportOf("emulator", new Date(0), [{ id: `run${n}`, title: "", status: "pass", detail: "", fix: "", cost: "" }]);

  it("reuses one run for the time to live, shares a run in progress, then runs again", async () => {
    let now = 1_000;
    let runs = 0;
    let release: () => void = () => undefined;
    const doctor = cachedDoctor(
      () => {
        runs += 1;
        const n = runs;
        return new Promise<DoctorReport>((resolve) => {
          release = () => resolve(report(n));
        });
      },
      60_000,
      () => now,
    );
    const first = doctor();
    const concurrent = doctor();
    release();
    expect((await first).checks[0]!.id).toBe("run1");
    expect((await concurrent).checks[0]!.id).toBe("run1");
    expect(runs).toBe(1);
    now += 59_999;
    expect((await doctor()).cachedUntil).toBe(new Date(61_000).toISOString());
    expect(runs).toBe(1);
    now += 1;
    const later = doctor();
    release();
    expect((await later).checks[0]!.id).toBe("run2");
    expect(runs).toBe(2);
  });
});
