import { SignJWT } from "jose";
import type { DynamicsWebApi } from "dynamics-web-api";
import { SYNC_STATE_VALUES } from "../../domain";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { loadProxyConfig } from "../../plugins-ts/src/server/proxyConfig";
import { stepName } from "../../plugins-ts/src/setup/dataverseWebhookSetup";
import { runDoctor } from "../../plugins-ts/src/setup/doctor";
import type { DoctorCheck, DoctorReport } from "../../plugins-ts/src/setup/doctorCheck";
import { runSetup } from "../../plugins-ts/src/setup/setup";
import { connect } from "../../plugins-ts/src/setup/setupConnections";
import { clientFor, SEED } from "../dataverse/fixture";
import { EMULATOR_INTEGRATION_USER } from "../emulators/partner-center/accountRoles";
import { startSetupHarness, type SetupHarness } from "./setupHarness";

/**
 * With setup done, break one prerequisite at a time: doctor names the failing check and a concrete fix, and the
 * checks that do not depend on it keep passing. Each test puts things back (mostly by running setup again,
 * which is how an admin repairs drift).
 */

let h: SetupHarness;
let admin: DynamicsWebApi;
type Row = Record<string, unknown>;

const noPrompt = { confirm: async () => false };
const check = (report: DoctorReport, id: string): DoctorCheck => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`doctor has no check ${id}`);
  return found;
};
const failing = (report: DoctorReport) => report.checks.filter((c) => c.status !== "pass").map((c) => c.id);
const repair = async () => {
  const result = await runSetup({ connections: h.connect(), overwrite: "yes" }, noPrompt);
  expect(failing(result.doctor!)).toEqual([]);
};

beforeAll(async () => {
  h = await startSetupHarness();
  admin = clientFor(h.dv, { impersonateAAD: SEED.aad.admin });
  await repair();
}, 30_000);
afterAll(() => h.close());

describe("doctor names what is broken and how to fix it", () => {
  it("the integration user lost Referrals admin in Partner Center", async () => {
    h.pc.accounts.setRoles(EMULATOR_INTEGRATION_USER.userPrincipalName, ["Referrals user"]);
    try {
      const report = await runDoctor(h.connect());
      const roles = check(report, "partnerCenter.roles");
      expect(roles.status).toBe("fail");
      expect(roles.detail).toContain("does not hold Referrals admin (has Referrals user)");
      expect(roles.fix).toContain(`give ${EMULATOR_INTEGRATION_USER.userPrincipalName} the Referrals admin role`);
      expect(failing(report)).toEqual(["partnerCenter.roles"]);
      expect(report.status).toBe("fail");

      // Setup stops before writing anything and says which role is missing.
      const before = h.dvVersion();
      const setup = await runSetup({ connections: h.connect(), overwrite: "yes", doctor: false }, noPrompt);
      expect(setup.steps.map((s) => s.id)).toEqual(["config", "roles"]);
      expect(setup.steps[1]!.summary).toContain("needs Referrals admin");
      expect(h.dvVersion()).toBe(before);
      expect(setup.ok).toBe(false);
    } finally {
      h.pc.accounts.setRoles(EMULATOR_INTEGRATION_USER.userPrincipalName, ["Referrals admin"]);
    }
  });

  it("the person running setup is neither System Administrator nor System Customizer", async () => {
    const config = loadProxyConfig({ ...h.env, PCS_SETUP_ADMIN_AAD_OBJECT_ID: SEED.aad.jiwoo });
    const connections = connect(config);
    const report = await runDoctor(connections, (id) => id === "dataverse.setupRole");
    const role = check(report, "dataverse.setupRole");
    expect(role.status).toBe("warn");
    expect(role.detail).toMatch(/김지우|지우/);
    expect(role.fix).toContain("System Customizer");
    const setup = await runSetup({ connections, overwrite: "yes", doctor: false }, noPrompt);
    expect(setup.steps.find((s) => s.id === "roles")?.summary).toContain(
      "needs System Administrator or System Customizer",
    );
  });

  it("setup's administrator is not a user of the org, or the public URL is not configured: nothing is written", async () => {
    const stranger = connect(
      loadProxyConfig({ ...h.env, PCS_SETUP_ADMIN_AAD_OBJECT_ID: "0badc0de-0000-4000-8000-000000000000" }),
    );
    const role = check(await runDoctor(stranger, (id) => id === "dataverse.setupRole"), "dataverse.setupRole");
    expect(role.status).toBe("warn");
    expect(role.detail).toContain(
      "setup cannot act for PCS_SETUP_ADMIN_AAD_OBJECT_ID 0badc0de-0000-4000-8000-000000000000",
    );

    const before = h.dvVersion();
    const unplaced = connect(loadProxyConfig({ ...h.env, PCS_PUBLIC_URL: "" }));
    const setup = await runSetup({ connections: unplaced, overwrite: "yes", doctor: false }, noPrompt);
    expect(setup.steps.map((s) => [s.id, s.ok])).toEqual([
      ["config", false],
      ["roles", true],
    ]);
    expect(setup.steps[0]!.summary).toContain("PCS_PUBLIC_URL is not set");
    expect(h.dvVersion()).toBe(before);
  });

  it("the Dataverse Update step was disabled, the Create step made synchronous, and the Partner Center registration deleted", async () => {
    const step = (
      await admin.retrieveMultiple({
        collection: "sdkmessageprocessingsteps",
        select: ["sdkmessageprocessingstepid"],
        filter: `name eq '${stepName("Update")}'`,
      })
    ).value[0] as Row;
    await admin.update({
      collection: "sdkmessageprocessingsteps",
      key: String(step.sdkmessageprocessingstepid),
      data: { statecode: 1, statuscode: 2 },
    });
    const create = (
      await admin.retrieveMultiple({
        collection: "sdkmessageprocessingsteps",
        select: ["sdkmessageprocessingstepid"],
        filter: `name eq '${stepName("Create")}'`,
      })
    ).value[0] as Row;
    await admin.update({
      collection: "sdkmessageprocessingsteps",
      key: String(create.sdkmessageprocessingstepid),
      data: { mode: 0 },
    });
    await h.pc.context.webhooks.whenIdle();
    h.pc.context.webhooks.registration = null;

    const report = await runDoctor(h.connect());
    expect(failing(report)).toEqual(["partnerCenter.webhook", "dataverse.webhook"]);
    expect(check(report, "dataverse.webhook").detail).toContain("the Update step is disabled");
    expect(check(report, "dataverse.webhook").detail).toContain(
      "the Create step is not asynchronous post-operation (saves would wait for the proxy)",
    );
    expect(check(report, "dataverse.webhook").fix).toContain("npm run setup");
    expect(check(report, "partnerCenter.webhook").detail).toContain("no webhook registration");

    await repair();
  });

  it("an environment variable value is missing", async () => {
    const definition = (
      await admin.retrieveMultiple({
        collection: "environmentvariabledefinitions",
        select: ["environmentvariabledefinitionid"],
        filter: "schemaname eq 'pcs_ProxyUrl'",
        expand: [
          {
            property: "environmentvariabledefinition_environmentvariablevalue",
            select: ["environmentvariablevalueid"],
          },
        ],
      })
    ).value[0] as Row;
    const value = (definition.environmentvariabledefinition_environmentvariablevalue as Row[])[0]!;
    await admin.deleteRecord({
      collection: "environmentvariablevalues",
      key: String(value.environmentvariablevalueid),
    });

    const report = await runDoctor(h.connect());
    expect(failing(report)).toEqual(["dataverse.environmentVariables"]);
    expect(check(report, "dataverse.environmentVariables").detail).toBe("no value for pcs_ProxyUrl");
    await repair();
  });

  it("the Partner Center token has expired", async () => {
    const expired = await new SignJWT({ scp: "user_impersonation", upn: EMULATOR_INTEGRATION_USER.userPrincipalName })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience("https://api.partnercenter.microsoft.com")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode("not-a-real-key-only-the-shape-matters"));
    const report = await runDoctor(h.connect({ partnerCenterToken: new StaticTokenProvider(expired) }));
    const signIn = check(report, "partnerCenter.signIn");
    expect(signIn.status).toBe("fail");
    expect(signIn.detail).toContain("expired at");
    expect(signIn.fix).toContain("Sign the integration user in again");
    // The account and webhook APIs refuse it too; each says to sign in again rather than blaming the role.
    expect(check(report, "partnerCenter.roles").fix).toContain("Sign the integration user in again");
    expect(check(report, "partnerCenter.webhook").fix).toContain("Sign the integration user in again");

    const before = h.dvVersion();
    const setup = await runSetup(
      {
        connections: h.connect({ partnerCenterToken: new StaticTokenProvider(expired) }),
        overwrite: "yes",
        doctor: false,
      },
      noPrompt,
    );
    expect(setup.steps.find((s) => s.id === "roles")?.summary).toContain("run `npm run setup -- --sign-in`");
    expect(h.dvVersion()).toBe(before);
  });

  it("a token that cannot be renewed is reported a week before it expires", async () => {
    const soon = new Date(Date.now() + 2 * 24 * 3600_000);
    const report = await runDoctor(h.connect({ partnerCenterToken: new StaticTokenProvider("t", soon) }), (id) =>
      id.startsWith("partnerCenter.signIn"),
    );
    const signIn = check(report, "partnerCenter.signIn");
    expect(signIn.status).toBe("warn");
    expect(signIn.detail).toContain(`expires at ${soon.toISOString()} and cannot be renewed`);
    const later = new Date(Date.now() + 30 * 24 * 3600_000);
    const fine = await runDoctor(h.connect({ partnerCenterToken: new StaticTokenProvider("t", later) }), (id) =>
      id.startsWith("partnerCenter.signIn"),
    );
    expect(check(fine, "partnerCenter.signIn").status).toBe("pass");
  });

  it("the org is unreachable: one failure with the fix, the checks that need it are not attempted", async () => {
    const config = loadProxyConfig({ ...h.env, PCS_DATAVERSE_URL: "http://127.0.0.1:9" });
    const report = await runDoctor(connect(config, { retry: { maxAttempts: 1 } }));
    const reachable = check(report, "dataverse.reachable");
    expect(reachable.status).toBe("fail");
    expect(reachable.fix).toContain("PCS_DATAVERSE_URL");
    const dependents = report.checks.filter((c) => c.detail.startsWith("not checked: dataverse org reachable failed"));
    expect(dependents.map((c) => c.id)).toEqual(
      expect.arrayContaining(["dataverse.webhook", "dataverse.currencies", "quota.today", "sync.failures"]),
    );
    expect(dependents.every((c) => c.fix === 'Fix "Dataverse org reachable" first.')).toBe(true);
    // Partner Center checks do not depend on the org.
    expect(check(report, "partnerCenter.webhook").status).toBe("pass");
  });

  it("the base currency is inactive", async () => {
    await admin.update({
      collection: "transactioncurrencies",
      key: SEED.currencies.usd,
      data: { statecode: 1, statuscode: 2 },
    });
    try {
      const report = await runDoctor(h.connect());
      expect(failing(report)).toEqual(["dataverse.currencies"]);
      expect(check(report, "dataverse.currencies").detail).toContain("the base currency US Dollar (USD) is inactive");
      expect(check(report, "dataverse.currencies").fix).toContain("activate the currency");
    } finally {
      await admin.update({
        collection: "transactioncurrencies",
        key: SEED.currencies.usd,
        data: { statecode: 0, statuscode: 1 },
      });
    }
  });

  it("a synced deal's Sales Team has a disabled user and one without email, and the deal has no currency", async () => {
    const northwind = SEED.opportunities.northwindNotReady;
    await admin.update({ collection: "opportunities", key: northwind, data: { pcs_syncwithpartnercenter: true } });
    try {
      const report = await runDoctor(h.connect());
      expect(failing(report)).toEqual(["dataverse.currencies", "dataverse.salesTeamUsers"]);
      const team = check(report, "dataverse.salesTeamUsers");
      expect(team.status).toBe("warn");
      expect(team.detail).toContain("(disabled)");
      expect(team.detail).toContain("(no email)");
      expect(team.fix).toContain("primary email");
      expect(check(report, "dataverse.currencies").detail).toContain("1 synced opportunity has no currency");
    } finally {
      await admin.update({ collection: "opportunities", key: northwind, data: { pcs_syncwithpartnercenter: false } });
      await h.dv.webhooksIdle();
    }
  });

  it("failed syncs are waiting: an opportunity in Error, then webhook deliveries that failed", async () => {
    await admin.update({
      collection: "opportunities",
      key: SEED.opportunities.fabrikamNotReady,
      data: { pcs_syncstate: SYNC_STATE_VALUES.Error, pcs_lastsyncerror: "Partner Center refused the country." },
    });
    let report = await runDoctor(h.connect());
    expect(failing(report)).toEqual(["sync.failures"]);
    expect(check(report, "sync.failures").status).toBe("warn");
    expect(check(report, "sync.failures").detail).toContain("Partner Center refused the country.");

    // The proxy moved without telling Dataverse: the next save's delivery fails and becomes a failed system job.
    const moved = loadProxyConfig({ ...h.env, PCS_PUBLIC_URL: "http://127.0.0.1:9" });
    await runSetup({ connections: connect(moved), overwrite: "yes", doctor: false }, noPrompt);
    await admin.update({
      collection: "opportunities",
      key: SEED.opportunities.fabrikamNotReady,
      data: { description: "changed while the proxy was away" },
    });
    await h.dv.webhooksIdle();
    report = await runDoctor(h.connect());
    const failures = check(report, "sync.failures");
    expect(failures.status).toBe("fail");
    expect(failures.detail).toMatch(/1 Dataverse webhook delivery to the proxy failed/);
    expect(failures.fix).toContain("npm run backfill");
    expect(check(report, "dataverse.webhook").detail).toContain("the endpoint points to http://127.0.0.1:9/");

    await admin.update({
      collection: "opportunities",
      key: SEED.opportunities.fabrikamNotReady,
      data: { pcs_syncstate: null, pcs_lastsyncerror: null },
    });
    const fixed = await runSetup({ connections: h.connect(), overwrite: "yes" }, noPrompt);
    expect(check(fixed.doctor!, "dataverse.webhook").status).toBe("pass");
  });
});
