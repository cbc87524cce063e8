import * as dataverse from "./dataverseChecks";
import {
  fail,
  messageOf,
  pass,
  reportOf,
  warn,
  type CheckOutcome,
  type DoctorCheck,
  type DoctorReport,
} from "./doctorCheck";
import * as partnerCenter from "./partnerCenterChecks";
import type { Connections } from "./setupConnections";

/**
 * `doctor`: one check per item of the seed FAQ (product-spec §7) and per configuration need. Checks that need a
 * reachable Dataverse org are not attempted when it is not (one clear failure instead of ten echoes of it).
 * Nothing here spends Partner Center Referrals quota; each check states its cost.
 */

interface CheckSpec {
  id: string;
  title: string;
  cost: string;
  /** Another check that must pass (or warn) first. */
  after?: string;
  run(c: Connections): Promise<CheckOutcome>;
}

function checkConfiguration(c: Connections): Promise<CheckOutcome> {
  const s = c.config.setup;
  const missing: string[] = [];
  if (!s.publicUrl) missing.push("PCS_PUBLIC_URL (where Dataverse, Partner Center and browsers reach the proxy)");
  if (c.config.mode === "real") {
    if (!s.signInTenantId) missing.push("PCS_SIGN_IN_TENANT_ID");
    if (!s.signInClientId) missing.push("PCS_SIGN_IN_CLIENT_ID");
    if (!s.signInScope) missing.push("PCS_SIGN_IN_SCOPE");
  }
  if (missing.length > 0)
    return Promise.resolve(
      fail(
        `the configuration loads, but setup needs ${missing.join(", ")}`,
        "Set these environment variables for the proxy (plugins-ts/README.md, Configuration and Setup and doctor).",
      ),
    );
  if (!c.config.webhooks.partnerCenterTrustedRootsPem)
    return Promise.resolve(
      warn(
        "PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM is not set: Partner Center webhooks will be refused",
        "Set PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM to the PEM of Microsoft's root certificate (the emulator's for the sandbox).",
      ),
    );
  return Promise.resolve(pass(`${c.config.mode} mode; every setting setup and the proxy need is present and valid`));
}

export const CHECKS: readonly CheckSpec[] = [
  { id: "config.valid", title: "Configuration is valid and complete", cost: "none", run: checkConfiguration },
  {
    id: "dataverse.reachable",
    title: "Dataverse org reachable",
    cost: "1 Dataverse request",
    run: dataverse.checkReachable,
  },
  {
    id: "dataverse.integrationUser",
    title: "Proxy's application user can work in the org",
    cost: "2 Dataverse requests",
    after: "dataverse.reachable",
    run: dataverse.checkIntegrationUser,
  },
  {
    id: "dataverse.setupRole",
    title: "Setup runs as System Administrator or System Customizer",
    cost: "2 Dataverse requests",
    after: "dataverse.reachable",
    run: dataverse.checkSetupRole,
  },
  {
    id: "partnerCenter.signIn",
    title: "Integration user signed in to Partner Center (token valid, expiry)",
    cost: "no Partner Center call (token cache / sign-in service only)",
    run: partnerCenter.checkSignIn,
  },
  {
    id: "partnerCenter.reachable",
    title: "Partner Center reachable",
    cost: "1 unauthenticated HEAD, no quota",
    run: partnerCenter.checkReachable,
  },
  {
    id: "partnerCenter.roles",
    title: "Integration user holds Referrals admin",
    cost: "2–3 account API calls, no Referrals quota",
    run: partnerCenter.checkRoles,
  },
  {
    id: "partnerCenter.webhook",
    title: "Partner Center webhook: all four referral events go to this proxy",
    cost: "1 webhook registration API call, no Referrals quota",
    run: partnerCenter.checkWebhookRegistration,
  },
  {
    id: "dataverse.webhook",
    title: "Dataverse webhook: endpoint ours, steps enabled, filtering attributes and post-images right",
    cost: "3 Dataverse requests",
    after: "dataverse.reachable",
    run: dataverse.checkWebhookRegistration,
  },
  {
    id: "dataverse.environmentVariables",
    title: "Environment variable values set (proxy URL, portal links, sign-in)",
    cost: "1 Dataverse request",
    after: "dataverse.reachable",
    run: dataverse.checkEnvironmentVariables,
  },
  {
    id: "dataverse.currencies",
    title: "Currencies: base and those synced deals use exist, are active, are ISO 4217",
    cost: "3 Dataverse requests",
    after: "dataverse.reachable",
    run: dataverse.checkCurrencies,
  },
  {
    id: "dataverse.salesTeamUsers",
    title: "Owners and Sales Team members are CRM users",
    cost: "3 Dataverse requests",
    after: "dataverse.reachable",
    run: dataverse.checkSalesTeamUsers,
  },
  {
    id: "quota.today",
    title: "Partner Center calls today against the daily budget",
    cost: "1 Dataverse request",
    after: "dataverse.reachable",
    run: dataverse.checkQuota,
  },
  {
    id: "sync.failures",
    title: "No failed syncs waiting",
    cost: "4 Dataverse requests",
    after: "dataverse.reachable",
    run: dataverse.checkFailedSyncs,
  },
];

/** Fixes for a check that threw: where the exception came from says what to look at. */
function unexpected(spec: CheckSpec, error: unknown): CheckOutcome {
  const where = spec.id.startsWith("partnerCenter")
    ? "Check PCS_PARTNER_CENTER_URL / PCS_PARTNER_CENTER_WEBHOOKS_URL and the network path to Partner Center."
    : spec.id === "dataverse.reachable"
      ? "Check PCS_DATAVERSE_URL (https://<org>.crm.dynamics.com), the network path to it, and that the app registration PCS_DATAVERSE_CLIENT_ID is an application user of this org (Power Platform admin center → Environments → Settings → Application users)."
      : "Check the Dataverse error above; the application user may lack read access to this table.";
  return fail(messageOf(error), where);
}

export async function runDoctor(c: Connections, only?: (id: string) => boolean): Promise<DoctorReport> {
  const results = new Map<string, DoctorCheck>();
  // One after another: a health poll must not add a burst of concurrent requests to the org's service
  // protection budget (and a dependent check needs its prerequisite's result anyway).
  for (const spec of CHECKS.filter((s) => !only || only(s.id))) {
    const prerequisite = spec.after ? results.get(spec.after) : undefined;
    let outcome: CheckOutcome;
    if (prerequisite?.status === "fail") {
      outcome = fail(`not checked: ${prerequisite.title.toLowerCase()} failed`, `Fix "${prerequisite.title}" first.`);
    } else {
      try {
        outcome = await spec.run(c);
      } catch (error) {
        outcome = unexpected(spec, error);
      }
    }
    results.set(spec.id, { id: spec.id, title: spec.title, ...outcome, cost: spec.cost });
  }
  return reportOf(c.config.mode, c.clock(), [...results.values()]);
}
