import { REFERRAL_WEBHOOK_EVENTS } from "../partnerCenter/webhookSignature";
import type { WebhookRegistration, WebhookRegistrationClient } from "../partnerCenter/webhookRegistrationClient";

/**
 * Partner Center keeps one webhook URL per partner for each event, so registering ours for the four referral
 * events takes them from whoever had them. Setup therefore shows the current owner and asks before it
 * overwrites a URL that is not ours; the answer comes from the caller (an interactive prompt, --yes or
 * --no-overwrite).
 */

export interface OwnershipConflict {
  currentUrl: string;
  currentEvents: string[];
  wantedUrl: string;
}

/** Resolves true to take the events over. */
export type ConfirmOverwrite = (conflict: OwnershipConflict) => Promise<boolean>;

export type PartnerCenterWebhookOutcome =
  | { action: "created" | "updated" | "unchanged"; registration: WebhookRegistration; previousUrl?: string }
  | { action: "refused"; registration: WebhookRegistration };

export function partnerCenterWebhookUrl(proxyUrl: string): string {
  return `${proxyUrl.replace(/\/+$/, "")}/api/webhooks/partner-center`;
}

/** URLs compared without case in scheme/host and without a trailing slash. */
export function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const p = new URL(u);
      return `${p.protocol}//${p.host}${p.pathname.replace(/\/+$/, "")}${p.search}`;
    } catch {
      return u.trim();
    }
  };
  return norm(a) === norm(b);
}

export function missingEvents(registration: WebhookRegistration | null): string[] {
  return REFERRAL_WEBHOOK_EVENTS.filter((e) => !(registration?.WebhookEvents ?? []).includes(e));
}

export async function registerPartnerCenterWebhook(
  client: WebhookRegistrationClient,
  wantedUrl: string,
  confirmOverwrite: ConfirmOverwrite,
): Promise<PartnerCenterWebhookOutcome> {
  const current = await client.get();
  if (!current) return { action: "created", registration: await client.register(wantedUrl, REFERRAL_WEBHOOK_EVENTS) };
  if (sameUrl(current.WebhookUrl, wantedUrl)) {
    if (missingEvents(current).length === 0) return { action: "unchanged", registration: current };
    const events = [...new Set([...current.WebhookEvents, ...REFERRAL_WEBHOOK_EVENTS])];
    return { action: "updated", registration: await client.update(wantedUrl, events) };
  }
  const take = await confirmOverwrite({
    currentUrl: current.WebhookUrl,
    currentEvents: current.WebhookEvents,
    wantedUrl,
  });
  if (!take) return { action: "refused", registration: current };
  // Only the referral events: other events the previous owner listed would reach a proxy that does not handle them.
  return {
    action: "updated",
    registration: await client.update(wantedUrl, REFERRAL_WEBHOOK_EVENTS),
    previousUrl: current.WebhookUrl,
  };
}
