/**
 * When a failed sync runs again. Stored on the opportunity (pcs_nextretryon, pcs_syncattempt), so a restart or
 * another instance picks it up; computed here without randomness so every instance agrees.
 */

export interface RetryScheduleOptions {
  /** First wait. */
  baseDelayMs: number;
  /** Longest wait between attempts. */
  maxDelayMs: number;
  /** After this many consecutive failures the sync stops retrying and shows Error. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetryScheduleOptions = {
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  maxAttempts: 8,
};

/** Exponential backoff from the attempt number; never sooner than the service's Retry-After. */
export function nextRetryAt(
  now: Date,
  attempt: number,
  retryAfterMs: number | undefined,
  o: RetryScheduleOptions,
): Date {
  const exponential = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return new Date(now.getTime() + Math.max(exponential, retryAfterMs ?? 0));
}

/** The next UTC midnight: when a spent daily quota is available again. */
export function nextUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}
