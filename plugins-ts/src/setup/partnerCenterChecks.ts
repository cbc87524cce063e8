import { decodeJwt } from "jose";
import { PartnerCenterError } from "../partnerCenter/failureClassification";
import { fail, pass, warn, type CheckOutcome } from "./doctorCheck";
import { REFERRALS_ADMIN } from "./partnerCenterRoles";
import { missingEvents, partnerCenterWebhookUrl, sameUrl } from "./partnerCenterWebhookSetup";
import type { Connections } from "./setupConnections";

/**
 * The doctor's Partner Center checks. None calls the Referrals API, so none spends the daily quota: reachability
 * is an unauthenticated HEAD, and the roles and webhook checks use the account and webhook registration API
 * (api.partnercenter.microsoft.com), which the Referrals budget does not count.
 */

const WARN_AHEAD_MS = 7 * 24 * 3600_000;
const SIGN_IN =
  "Sign the integration user in again: `npm run setup -- --sign-in` (device code, with the Referrals admin account), then run doctor.";

function authFailure(error: unknown): boolean {
  return error instanceof PartnerCenterError && (error.status === 401 || error.category === "auth");
}

export async function checkSignIn(c: Connections): Promise<CheckOutcome> {
  const status = await c.partnerCenterToken.status();
  if (!status.signedIn) return fail("no integration user is signed in to Partner Center", SIGN_IN);
  let token: string;
  try {
    token = await c.partnerCenterToken.getAccessToken();
  } catch (error) {
    return fail(
      `the integration user's token cannot be renewed: ${error instanceof Error ? error.message : String(error)}`,
      SIGN_IN,
    );
  }
  // A JWT says when it expires; an opaque (emulator) token only what the provider knows.
  let expiresOn = status.expiresOn ?? null;
  if (token.split(".").length === 3) {
    try {
      const exp = decodeJwt(token).exp;
      if (typeof exp === "number") expiresOn = new Date(exp * 1000);
    } catch {
      return fail("the integration user's access token is malformed", SIGN_IN);
    }
  }
  const who = status.account ? `${status.account} is signed in` : "signed in";
  if (!expiresOn) return pass(`${who}; the token does not expire`);
  const left = expiresOn.getTime() - c.clock().getTime();
  if (left <= 0) return fail(`${who}, but the access token expired at ${expiresOn.toISOString()}`, SIGN_IN);
  const renewable = c.config.mode === "real";
  if (renewable)
    return pass(
      `${who}; access token valid until ${expiresOn.toISOString()}, renewed silently from the refresh token (its lifetime is not exposed; it lapses after 90 days unused or on a password/MFA policy change)`,
    );
  if (left < WARN_AHEAD_MS)
    return warn(`${who}; the token expires at ${expiresOn.toISOString()} and cannot be renewed`, SIGN_IN);
  return pass(`${who}; token valid until ${expiresOn.toISOString()}`);
}

export async function checkReachable(c: Connections): Promise<CheckOutcome> {
  // Any HTTP answer proves the host is reachable; a referral request would spend quota.
  const res = await c.fetch(c.config.partnerCenter.apiUrl, { method: "HEAD", signal: AbortSignal.timeout(5000) });
  return pass(`${c.config.partnerCenter.apiUrl} answers (HTTP ${res.status})`);
}

export async function checkRoles(c: Connections): Promise<CheckOutcome> {
  const upn = c.config.setup.partnerCenterUsername ?? (await c.partnerCenterToken.status()).account ?? null;
  if (!upn || !upn.includes("@"))
    return warn(
      "the integration user's name is not known, so its Partner Center roles were not checked",
      "Set PCS_PARTNER_CENTER_USERNAME to the integration user's sign-in name (e.g. referrals@contoso.com).",
    );
  let held: string[];
  try {
    held = await c.roles.referralRolesOf(upn);
  } catch (error) {
    if (authFailure(error))
      return fail(`Partner Center refused the integration user's token (${errorText(error)})`, SIGN_IN);
    throw error;
  }
  if (held.some((r) => r.toLowerCase() === REFERRALS_ADMIN.toLowerCase()))
    return pass(`${upn} holds ${REFERRALS_ADMIN}`);
  return fail(
    `${upn} does not hold ${REFERRALS_ADMIN}${held.length ? ` (has ${held.join(", ")})` : ""}`,
    `In Partner Center → Settings → User management, give ${upn} the ${REFERRALS_ADMIN} role.`,
  );
}

export async function checkWebhookRegistration(c: Connections): Promise<CheckOutcome> {
  const publicUrl = c.config.setup.publicUrl;
  if (!publicUrl)
    return fail(
      "PCS_PUBLIC_URL is not set, so the webhook's owner cannot be told",
      "Set PCS_PUBLIC_URL to the proxy's public https URL and run `npm run setup`.",
    );
  const wanted = partnerCenterWebhookUrl(publicUrl);
  let current;
  try {
    current = await c.webhooks.get();
  } catch (error) {
    if (authFailure(error))
      return fail(`Partner Center refused the integration user's token (${errorText(error)})`, SIGN_IN);
    throw error;
  }
  if (!current)
    return fail(
      "Partner Center has no webhook registration: referral changes will not reach the proxy",
      "Run `npm run setup`.",
    );
  if (!sameUrl(current.WebhookUrl, wanted))
    return fail(
      `the referral events go to ${current.WebhookUrl}, not to this proxy (${wanted})`,
      "Run `npm run setup` and confirm taking the registration over (or `npm run setup -- --yes`), after making sure the other endpoint is retired.",
    );
  const missing = missingEvents(current);
  if (missing.length > 0) return fail(`the registration lacks ${missing.join(", ")}`, "Run `npm run setup`.");
  return pass(`all four referral events go to ${wanted}`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error);
}
