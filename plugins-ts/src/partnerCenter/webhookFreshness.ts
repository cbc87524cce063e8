import { normalizeUtcInstant } from "../../../domain";

/**
 * Partner Center's webhook payload carries no delivery id or nonce, so a captured, validly signed delivery could
 * be replayed for ever, each replay costing a Partner Center GET. The signature covers ResourceChangeUtcDate, so
 * a delivery is accepted only while that instant is recent. A genuine delivery that arrives later (Partner
 * Center retries 10 times) is not lost: reconciliation lists every referral changed since its watermark.
 */

export const DEFAULT_WEBHOOK_MAX_AGE_SECONDS = 86_400;
/** Clocks differ; a change stamped a little in the future is still believable. */
const ALLOWED_CLOCK_SKEW_MS = 5 * 60_000;

export type WebhookFreshness =
  { ok: true } | { ok: false; reason: "missing" | "invalid" | "tooOld" | "inFuture"; message: string };

export function checkWebhookFreshness(
  resourceChangeUtcDate: string | undefined,
  now: Date,
  maxAgeSeconds: number = DEFAULT_WEBHOOK_MAX_AGE_SECONDS,
): WebhookFreshness {
  if (!resourceChangeUtcDate) {
    return { ok: false, reason: "missing", message: "ResourceChangeUtcDate is required on referral events." };
  }
  const instant = normalizeUtcInstant(resourceChangeUtcDate);
  const at = instant === null ? NaN : Date.parse(instant);
  if (Number.isNaN(at)) {
    return {
      ok: false,
      reason: "invalid",
      message: `ResourceChangeUtcDate '${resourceChangeUtcDate.slice(0, 40)}' is not a UTC date-time (yyyy-mm-ddThh:mm:ss[.fffffff]Z).`,
    };
  }
  const age = now.getTime() - at;
  if (age > maxAgeSeconds * 1000) {
    return {
      ok: false,
      reason: "tooOld",
      message: `The event is older than the replay window (${maxAgeSeconds} s); reconciliation applies changes that were not delivered in time.`,
    };
  }
  if (age < -ALLOWED_CLOCK_SKEW_MS) {
    return { ok: false, reason: "inFuture", message: "The event is dated in the future; check the clocks." };
  }
  return { ok: true };
}
