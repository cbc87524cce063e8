import type { MessageKey } from "./messages";

/**
 * Every failed sync falls in one category that says what to do about it. The proxy classifies; the audit
 * row stores the fix hint key; the form and the status panel show the hint in the seller's language.
 */
export const FAILURE_CATEGORIES = [
  "validation",
  "auth",
  "forbidden",
  "notFound",
  "conflict",
  "throttled",
  "transient",
  "permanent",
] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

/** Throttled and transient failures heal by themselves: they are retried on a schedule, not shown as errors. */
export function isRetryableCategory(category: FailureCategory): boolean {
  return category === "throttled" || category === "transient" || category === "conflict";
}

export function fixHintKey(category: FailureCategory): MessageKey {
  return `fix.${category}`;
}
