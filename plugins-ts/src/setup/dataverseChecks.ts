import { SYNC_STATE_VALUES, validateCurrency } from "../../../domain";
import { currentUserWithRoles, holdsAny, INTEGRATION_ROLES, SETUP_ROLES } from "./dataverseRoles";
import {
  dataverseWebhookUrl,
  ENDPOINT_NAME,
  OPPORTUNITY_FILTERING_ATTRIBUTES,
  POST_IMAGE_ALIAS,
  quoted,
  stepName,
  WEBHOOK_STEPS,
} from "./dataverseWebhookSetup";
import { fail, messageOf, pass, warn, type CheckOutcome } from "./doctorCheck";
import { readEnvironmentVariables, requiredVariables, wantedEnvironmentValues } from "./environmentVariableSetup";
import type { Connections } from "./setupConnections";

/**
 * The doctor's Dataverse checks. Each reads only (a few requests, stated in its `cost`) as the proxy's
 * application user, so what it reports is what the proxy itself sees.
 */

type Row = Record<string, unknown>;
const SETUP = "Run `npm run setup` (it registers and fixes this without duplicating anything).";

export async function checkReachable(c: Connections): Promise<CheckOutcome> {
  const me = (await c.dataverse.callFunction({ name: "WhoAmI" })) as { UserId?: string; OrganizationId?: string };
  return pass(`${c.config.dataverse.url} answers; the proxy signs in as user ${String(me.UserId)}`);
}

export async function checkIntegrationUser(c: Connections): Promise<CheckOutcome> {
  const user = await currentUserWithRoles(c.dataverse);
  if (user.disabled)
    return fail(
      `the proxy's application user ${user.fullName} is disabled`,
      "Enable it in the Power Platform admin center → Environments → Settings → Users + permissions → Application users.",
    );
  const role = holdsAny(user, INTEGRATION_ROLES);
  if (!role)
    return fail(
      `the proxy's application user ${user.fullName} has none of: ${INTEGRATION_ROLES.join(", ")} (it has: ${user.roles.join(", ") || "no role"})`,
      `Assign the "${INTEGRATION_ROLES[0]}" security role to ${user.fullName} (Power Platform admin center → Application users → Edit security roles).`,
    );
  return pass(`${user.fullName} is enabled and holds ${role}`);
}

/** The person setup acts for (PCS_SETUP_ADMIN_AAD_OBJECT_ID), or the application user. */
export async function checkSetupRole(c: Connections): Promise<CheckOutcome> {
  const aad = c.config.setup.adminAadObjectId;
  let user;
  try {
    user = await currentUserWithRoles(c.dataverseAdmin);
  } catch (error) {
    if (!aad) throw error;
    return warn(
      `setup cannot act for PCS_SETUP_ADMIN_AAD_OBJECT_ID ${aad}: ${messageOf(error)}`,
      "Set PCS_SETUP_ADMIN_AAD_OBJECT_ID to the Entra object id of an enabled user of this org who holds System Customizer, and give the application user the act-on-behalf privilege (the integration role has it).",
    );
  }
  const role = holdsAny(user, SETUP_ROLES);
  if (role) return pass(`${user.fullName}, who runs setup, holds ${role}`);
  return warn(
    `${user.fullName}, who runs setup, is neither ${SETUP_ROLES.join(" nor ")} (has: ${user.roles.join(", ") || "no role"}); setup cannot register webhooks or set environment variables`,
    `Give ${user.fullName} the System Customizer role (Settings → Security → Users → Manage security roles), or set PCS_SETUP_ADMIN_AAD_OBJECT_ID to the object id of an administrator who has it.`,
  );
}

export async function checkWebhookRegistration(c: Connections): Promise<CheckOutcome> {
  const publicUrl = c.config.setup.publicUrl;
  const endpoints = (
    await c.dataverse.retrieveMultiple({
      collection: "serviceendpoints",
      select: ["serviceendpointid", "url", "authtype"],
      filter: `name eq ${quoted(ENDPOINT_NAME)}`,
    })
  ).value as Row[];
  const endpoint = endpoints[0];
  if (!endpoint) return fail(`no service endpoint named "${ENDPOINT_NAME}"`, SETUP);
  const problems: string[] = [];
  if (publicUrl && endpoint.url !== dataverseWebhookUrl(publicUrl))
    problems.push(`the endpoint points to ${String(endpoint.url)}, not ${dataverseWebhookUrl(publicUrl)}`);
  const endpointId = String(endpoint.serviceendpointid);
  const steps = (
    await c.dataverse.retrieveMultiple({
      collection: "sdkmessageprocessingsteps",
      select: ["sdkmessageprocessingstepid", "name", "statecode", "filteringattributes", "mode", "stage"],
      filter: `_eventhandler_value eq ${endpointId}`,
    })
  ).value as Row[];
  const images = (
    await c.dataverse.retrieveMultiple({
      collection: "sdkmessageprocessingstepimages",
      select: ["_sdkmessageprocessingstepid_value", "imagetype", "attributes"],
      filter: `entityalias eq ${quoted(POST_IMAGE_ALIAS)}`,
    })
  ).value as Row[];
  for (const wanted of WEBHOOK_STEPS) {
    const step = steps.find((s) => s.name === stepName(wanted.message));
    if (!step) {
      problems.push(`the ${wanted.message} step is missing`);
      continue;
    }
    if (step.statecode !== 0) problems.push(`the ${wanted.message} step is disabled`);
    if (step.mode !== 1 || step.stage !== 40)
      problems.push(`the ${wanted.message} step is not asynchronous post-operation (saves would wait for the proxy)`);
    if (wanted.filtering) {
      const have = new Set(
        String(step.filteringattributes ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      );
      const missing = OPPORTUNITY_FILTERING_ATTRIBUTES.filter((a) => !have.has(a));
      if (have.size === 0)
        problems.push(`the ${wanted.message} step has no filtering attributes (every save would fire it)`);
      else if (missing.length > 0)
        problems.push(`the ${wanted.message} step's filtering attributes lack ${missing.join(", ")}`);
    }
    if (wanted.image) {
      const stepId = String(step.sdkmessageprocessingstepid).toLowerCase();
      const image = images.find((i) => String(i._sdkmessageprocessingstepid_value).toLowerCase() === stepId);
      if (!image || (image.imagetype !== 1 && image.imagetype !== 2))
        problems.push(`the ${wanted.message} step has no post-image`);
    }
  }
  if (problems.length > 0) return fail(problems.join("; "), SETUP);
  return pass(
    `endpoint ${String(endpoint.url)} with ${WEBHOOK_STEPS.length} enabled steps (${WEBHOOK_STEPS.map((s) => s.message).join(", ")}) and post-images`,
  );
}

export async function checkEnvironmentVariables(c: Connections): Promise<CheckOutcome> {
  const wanted = wantedEnvironmentValues(c.config);
  const required = requiredVariables(c.config.mode, c.config.setup.developmentIssuerUrl !== null);
  const state = await readEnvironmentVariables(c.dataverse, Object.keys(wanted));
  const undefinedNames = [...state.values()].filter((s) => !s.defined).map((s) => s.schemaName);
  if (undefinedNames.length > 0)
    return fail(
      `the org has no definition of ${undefinedNames.join(", ")}`,
      "Import the Co-sell Referral Sync solution (npm run package builds it), then run `npm run setup`.",
    );
  const missing = required.filter((n) => {
    const s = state.get(n);
    return !(s?.value ?? s?.defaultValue);
  });
  if (missing.length > 0)
    return fail(
      `no value for ${missing.join(", ")}`,
      `Set the matching PCS_* settings (plugins-ts/README.md, "Setup and doctor") and run \`npm run setup\`, or set the values in the solution's environment variables.`,
    );
  const proxyUrl = state.get("pcs_ProxyUrl")?.value;
  const publicUrl = c.config.setup.publicUrl;
  if (publicUrl && proxyUrl && proxyUrl.replace(/\/+$/, "") !== publicUrl)
    return warn(`pcs_ProxyUrl is ${proxyUrl} but this proxy is ${publicUrl}`, SETUP);
  return pass(`${required.join(", ")} are set`);
}

export async function checkCurrencies(c: Connections): Promise<CheckOutcome> {
  const org = (
    await c.dataverse.retrieveMultiple({ collection: "organizations", select: ["_basecurrencyid_value"], top: 1 })
  ).value[0] as Row | undefined;
  const currencies = (
    await c.dataverse.retrieveMultiple({
      collection: "transactioncurrencies",
      select: ["transactioncurrencyid", "isocurrencycode", "currencyname", "statecode"],
    })
  ).value as Row[];
  const used = (
    await c.dataverse.retrieveMultiple({
      collection: "opportunities",
      select: ["_transactioncurrencyid_value"],
      filter: "pcs_syncwithpartnercenter eq true and statecode eq 0",
      top: 5000,
    })
  ).value as Row[];
  const byId = new Map(currencies.map((r) => [String(r.transactioncurrencyid).toLowerCase(), r]));
  const problems: string[] = [];
  const describe = (r: Row) => `${String(r.currencyname)} (${String(r.isocurrencycode)})`;
  const judge = (id: string, role: string) => {
    const row = byId.get(id.toLowerCase());
    if (!row) return problems.push(`${role} currency ${id} does not exist`);
    if (row.statecode !== undefined && row.statecode !== 0)
      problems.push(`${role} currency ${describe(row)} is inactive`);
    if (!validateCurrency(String(row.isocurrencycode ?? "")).ok)
      problems.push(`${role} currency ${describe(row)} is not an ISO 4217 code`);
    return 0;
  };
  const base = org?._basecurrencyid_value;
  if (typeof base !== "string") problems.push("the organization has no base currency");
  else judge(base, "the base");
  const usedIds = [
    ...new Set(used.map((o) => o._transactioncurrencyid_value).filter((v): v is string => typeof v === "string")),
  ];
  for (const id of usedIds) judge(id, "a synced opportunity's");
  const withoutCurrency = used.filter((o) => typeof o._transactioncurrencyid_value !== "string").length;
  if (withoutCurrency > 0)
    problems.push(`${withoutCurrency} synced opportunit${withoutCurrency === 1 ? "y has" : "ies have"} no currency`);
  if (problems.length > 0)
    return fail(
      problems.join("; "),
      "In Settings → Business Management → Currencies, activate the currency (or correct its Currency Code to the ISO 4217 code, e.g. KRW) and set a currency on each synced opportunity.",
    );
  return pass(
    `base currency and the ${usedIds.length} currenc${usedIds.length === 1 ? "y" : "ies"} used by synced opportunities are active ISO 4217 codes`,
  );
}

/** Owners and Sales Team members of synced open opportunities must be enabled CRM users with an email address. */
export async function checkSalesTeamUsers(c: Connections): Promise<CheckOutcome> {
  const opportunities = (
    await c.dataverse.retrieveMultiple({
      collection: "opportunities",
      select: ["opportunityid", "name", "_ownerid_value"],
      filter: "pcs_syncwithpartnercenter eq true and statecode eq 0",
      top: 500,
    })
  ).value as Row[];
  if (opportunities.length === 0) return pass("no open opportunity has sync on yet");
  const ids = new Set(opportunities.map((o) => String(o.opportunityid).toLowerCase()));
  const teams = (
    await c.dataverse.retrieveMultiple({
      collection: "teams",
      select: ["teamid", "_regardingobjectid_value"],
      filter: "teamtype eq 1",
      expand: [{ property: "teammembership_association", select: ["fullname", "isdisabled", "internalemailaddress"] }],
    })
  ).value as Row[];
  const owners = (
    await c.dataverse.retrieveMultiple({
      collection: "systemusers",
      select: ["systemuserid", "fullname", "isdisabled", "internalemailaddress"],
      filter: [...new Set(opportunities.map((o) => String(o._ownerid_value)))]
        .map((id) => `systemuserid eq ${id}`)
        .join(" or "),
    })
  ).value as Row[];
  const bad = new Set<string>();
  const judge = (u: Row) => {
    const name = String(u.fullname ?? u.systemuserid);
    if (u.isdisabled === true) bad.add(`${name} (disabled)`);
    else if (!u.internalemailaddress) bad.add(`${name} (no email)`);
  };
  owners.forEach(judge);
  for (const team of teams) {
    if (!ids.has(String(team._regardingobjectid_value).toLowerCase())) continue;
    ((team.teammembership_association as Row[] | undefined) ?? []).forEach(judge);
  }
  if (bad.size > 0)
    return warn(
      `${bad.size} owner or Sales Team member${bad.size === 1 ? " is" : "s are"} not usable CRM users: ${[...bad].join(", ")}; their deals stay Blocked (readiness rule 7)`,
      "Enable each user and give them a primary email (Settings → Security → Users), or remove them from the opportunity's Sales Team.",
    );
  return pass(
    `owners and Sales Team members of ${opportunities.length} synced opportunities are enabled users with email`,
  );
}

export async function checkQuota(c: Connections): Promise<CheckOutcome> {
  const day = c.clock().toISOString().slice(0, 10);
  const used = await c.quota.usedOn(day);
  const budget = c.config.dailyBudget;
  const share = `${used} of ${budget} Partner Center calls used today (${day} UTC, ${Math.round((used / budget) * 100)} %)`;
  if (used >= budget)
    return fail(
      `${share}: non-urgent syncs are deferred until midnight UTC`,
      "Wait for midnight UTC (deferred syncs resume by themselves), or raise PCS_DAILY_BUDGET if your Partner Center allowance is higher.",
    );
  if (used >= budget * 0.8)
    return warn(
      share,
      "Look for a backfill or a loop spending calls (the audit table's API calls column); raise PCS_DAILY_BUDGET only if your allowance is higher.",
    );
  return pass(share);
}

/** Opportunities in Error or waiting for a retry, and Dataverse system jobs of our steps that failed in the last day. */
export async function checkFailedSyncs(c: Connections): Promise<CheckOutcome> {
  const inError = (
    await c.dataverse.retrieveMultiple({
      collection: "opportunities",
      select: ["name", "pcs_lastsyncerror"],
      filter: `pcs_syncstate eq ${SYNC_STATE_VALUES.Error}`,
      top: 50,
    })
  ).value as Row[];
  const retrying = (
    await c.dataverse.retrieveMultiple({
      collection: "opportunities",
      select: ["opportunityid"],
      filter: `pcs_nextretryon ne null and pcs_syncstate ne ${SYNC_STATE_VALUES.Error}`,
      top: 500,
    })
  ).value.length;
  const since = new Date(c.clock().getTime() - 24 * 3600_000).toISOString();
  const steps = (
    await c.dataverse.retrieveMultiple({
      collection: "sdkmessageprocessingsteps",
      select: ["sdkmessageprocessingstepid"],
      filter: `startswith(name, ${quoted(ENDPOINT_NAME)})`,
    })
  ).value as Row[];
  const failedJobs =
    steps.length === 0
      ? []
      : ((
          await c.dataverse.retrieveMultiple({
            collection: "asyncoperations",
            select: ["asyncoperationid", "message", "createdon"],
            filter: `statuscode eq 31 and createdon ge ${since} and (${steps
              .map((s) => `_owningextensionid_value eq ${String(s.sdkmessageprocessingstepid)}`)
              .join(" or ")})`,
            top: 50,
          })
        ).value as Row[]);
  if (failedJobs.length > 0)
    return fail(
      `${failedJobs.length} Dataverse webhook deliver${failedJobs.length === 1 ? "y" : "ies"} to the proxy failed in the last 24 hours (e.g. "${String(failedJobs[0]?.message ?? "").slice(0, 120)}")`,
      "Make sure the proxy is reachable at pcs_ProxyUrl and PCS_DATAVERSE_WEBHOOK_SECRET matches the endpoint (run `npm run setup`), then run `npm run backfill` to sync what was missed.",
    );
  if (inError.length > 0)
    return warn(
      `${inError.length}${inError.length === 50 ? "+" : ""} opportunit${inError.length === 1 ? "y is" : "ies are"} in sync state Error (e.g. ${String(inError[0]?.name)}: ${String(inError[0]?.pcs_lastsyncerror ?? "").slice(0, 120)})${retrying ? `; ${retrying} waiting for a retry` : ""}`,
      "Open each opportunity, fix what its Partner Center panel says, then choose Sync now (or run `npm run backfill`).",
    );
  if (retrying > 0)
    return warn(
      `${retrying} opportunit${retrying === 1 ? "y is" : "ies are"} waiting for a scheduled retry`,
      "Nothing to do if the number falls; if it grows, check Partner Center reachability and the proxy's log.",
    );
  return pass("no opportunity in Error, no retry waiting, no failed webhook delivery in the last 24 hours");
}
