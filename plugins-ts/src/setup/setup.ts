import { PartnerCenterError } from "../partnerCenter/failureClassification";
import { REFERRAL_WEBHOOK_EVENTS } from "../partnerCenter/webhookSignature";
import { currentUserWithRoles, holdsAny, SETUP_ROLES } from "./dataverseRoles";
import { registerDataverseWebhook } from "./dataverseWebhookSetup";
import { runDoctor } from "./doctor";
import { messageOf, type DoctorReport } from "./doctorCheck";
import { setEnvironmentVariables, wantedEnvironmentValues } from "./environmentVariableSetup";
import { REFERRALS_ADMIN } from "./partnerCenterRoles";
import {
  partnerCenterWebhookUrl,
  registerPartnerCenterWebhook,
  type OwnershipConflict,
} from "./partnerCenterWebhookSetup";
import type { Connections } from "./setupConnections";

/**
 * `setup`: everything the Power Automate connector made an admin do by hand, in one idempotent run. It verifies
 * the roles first (and writes nothing when one is missing), sets the environment variable values, registers the
 * Dataverse webhook and Partner Center's, and ends with a doctor run. A second run finds everything in place and
 * makes no write.
 */

export interface SetupOptions {
  connections: Connections;
  /** When Partner Center's referral events go to another URL: ask (io.confirm), take them ("yes"), or leave them ("no"). */
  overwrite: "ask" | "yes" | "no";
  /** Run doctor at the end (default true). */
  doctor?: boolean;
}

export interface SetupIO {
  /** Asked only when overwrite is "ask"; resolves true to go ahead. */
  confirm(question: string): Promise<boolean>;
  /** Progress, one line per finished step. */
  progress?(line: string): void;
}

export interface SetupStep {
  id: "config" | "roles" | "environmentVariables" | "dataverseWebhook" | "partnerCenterWebhook";
  title: string;
  ok: boolean;
  summary: string;
  /** One line per thing created or changed. */
  changes: string[];
  writes: number;
}

export interface SetupResult {
  /** Every step succeeded and doctor found no failure. */
  ok: boolean;
  steps: SetupStep[];
  /** Writes made on Dataverse and Partner Center together. */
  writes: number;
  doctor: DoctorReport | null;
}

type StepBody = Omit<SetupStep, "id" | "title">;

export function overwriteQuestion(conflict: OwnershipConflict): string {
  return (
    `Partner Center sends ${conflict.currentEvents.join(", ") || "no events"} to ${conflict.currentUrl}, ` +
    `which is not this proxy. Only one URL can receive referral events: send ${REFERRAL_WEBHOOK_EVENTS.join(", ")} ` +
    `to ${conflict.wantedUrl} instead?`
  );
}

async function verifyRoles(c: Connections): Promise<StepBody> {
  const missing: string[] = [];
  const found: string[] = [];
  const admin = await currentUserWithRoles(c.dataverseAdmin);
  const role = holdsAny(admin, SETUP_ROLES);
  if (role) found.push(`Dataverse: ${admin.fullName} holds ${role}`);
  else missing.push(`Dataverse: ${admin.fullName} needs System Administrator or System Customizer`);
  const upn = c.config.setup.partnerCenterUsername ?? (await c.partnerCenterToken.status()).account ?? "";
  if (!upn.includes("@")) {
    missing.push("Partner Center: set PCS_PARTNER_CENTER_USERNAME so the integration user's roles can be checked");
  } else {
    let held: string[] | null = null;
    try {
      held = await c.roles.referralRolesOf(upn);
    } catch (error) {
      if (!(error instanceof PartnerCenterError && (error.status === 401 || error.category === "auth"))) throw error;
      missing.push(`Partner Center: ${messageOf(error)}; run \`npm run setup -- --sign-in\` as ${upn}`);
    }
    if (held?.some((r) => r.toLowerCase() === REFERRALS_ADMIN.toLowerCase()))
      found.push(`Partner Center: ${upn} holds ${REFERRALS_ADMIN}`);
    else if (held)
      missing.push(`Partner Center: ${upn} needs ${REFERRALS_ADMIN}${held.length ? ` (has ${held.join(", ")})` : ""}`);
  }
  return missing.length
    ? { ok: false, summary: `missing: ${missing.join("; ")}`, changes: found, writes: 0 }
    : { ok: true, summary: found.join("; "), changes: [], writes: 0 };
}

async function environmentVariables(c: Connections): Promise<StepBody> {
  const changes = await setEnvironmentVariables(c.dataverseAdmin, wantedEnvironmentValues(c.config));
  const written = changes.filter((ch) => ch.action === "created" || ch.action === "updated");
  return {
    ok: true,
    summary: written.length ? `${written.length} value(s) set` : "all values already set",
    changes: [
      ...written.map((ch) => `${ch.schemaName}: value ${ch.action}`),
      ...changes.filter((ch) => ch.action === "skipped").map((ch) => `${ch.schemaName}: not set (${ch.reason ?? ""})`),
    ],
    writes: written.length,
  };
}

async function dataverseWebhook(c: Connections, publicUrl: string): Promise<StepBody> {
  const r = await registerDataverseWebhook(c.dataverseAdmin, {
    proxyUrl: publicUrl,
    secret: c.config.webhooks.dataverseSecret,
  });
  const changes = [
    ...(r.endpoint === "unchanged" ? [] : [`service endpoint ${r.endpoint}`]),
    ...r.steps
      .filter((s) => s.action !== "unchanged")
      .map((s) => `${s.message} step ${s.action}${s.changed.length ? ` (${s.changed.join(", ")})` : ""}`),
    ...r.images.filter((i) => i.action !== "unchanged").map((i) => `${i.message} post-image ${i.action}`),
  ];
  return {
    ok: true,
    summary: `service endpoint, ${r.steps.length} steps (Create, Update with filtering attributes, Win, Lose), post-images on Create and Update`,
    changes,
    writes: changes.length,
  };
}

async function partnerCenterWebhook(
  c: Connections,
  publicUrl: string,
  options: SetupOptions,
  io: SetupIO,
): Promise<StepBody> {
  const url = partnerCenterWebhookUrl(publicUrl);
  const outcome = await registerPartnerCenterWebhook(c.webhooks, url, async (conflict) => {
    if (options.overwrite === "yes") return true;
    if (options.overwrite === "no") return false;
    return io.confirm(overwriteQuestion(conflict));
  });
  if (outcome.action === "refused")
    return {
      ok: false,
      summary: `left as it is: the referral events go to ${outcome.registration.WebhookUrl}, not to ${url}`,
      changes: ["Run setup again and answer yes (or pass --yes) once that endpoint is retired."],
      writes: 0,
    };
  return {
    ok: true,
    summary: `${REFERRAL_WEBHOOK_EVENTS.length} referral events → ${url}`,
    changes:
      outcome.action === "unchanged"
        ? []
        : [`registration ${outcome.action}${outcome.previousUrl ? ` (taken over from ${outcome.previousUrl})` : ""}`],
    writes: outcome.action === "unchanged" ? 0 : 1,
  };
}

export async function runSetup(options: SetupOptions, io: SetupIO): Promise<SetupResult> {
  const c = options.connections;
  const steps: SetupStep[] = [];
  const step = async (id: SetupStep["id"], title: string, body: () => Promise<StepBody>): Promise<SetupStep> => {
    let result: StepBody;
    try {
      result = await body();
    } catch (error) {
      result = { ok: false, summary: messageOf(error), changes: [], writes: 0 };
    }
    const done = { id, title, ...result };
    steps.push(done);
    io.progress?.(`${done.ok ? "✓" : "✗"} ${title}: ${done.summary}`);
    return done;
  };

  const publicUrl = c.config.setup.publicUrl;
  await step("config", "Configuration", async () =>
    publicUrl
      ? { ok: true, summary: `${c.config.mode} mode, proxy at ${publicUrl}`, changes: [], writes: 0 }
      : {
          ok: false,
          summary: "PCS_PUBLIC_URL is not set: setup cannot tell Dataverse and Partner Center where the proxy is",
          changes: [],
          writes: 0,
        },
  );
  const roles = await step("roles", "Roles (System Administrator/Customizer, Referrals admin)", () => verifyRoles(c));
  // Nothing is written without the roles: a half-done registration is worse than none.
  if (publicUrl && roles.ok) {
    await step("environmentVariables", "Environment variable values", () => environmentVariables(c));
    await step("dataverseWebhook", "Dataverse webhook (service endpoint and steps)", () =>
      dataverseWebhook(c, publicUrl),
    );
    await step("partnerCenterWebhook", "Partner Center webhook (four referral events)", () =>
      partnerCenterWebhook(c, publicUrl, options, io),
    );
  }
  const doctor = options.doctor === false ? null : await runDoctor(c);
  const writes = steps.reduce((n, s) => n + s.writes, 0);
  return {
    ok: steps.every((s) => s.ok) && (doctor === null || doctor.status !== "fail"),
    steps,
    writes,
    doctor,
  };
}
