import { ApiError } from "./apiError";

/**
 * Throttling as Partner Center documents it (api-throttling-guidance): HTTP 429 with Retry-After in seconds.
 * Two limits: a request rate per second (the Referrals-specific limit is not published, so it is configurable
 * and off by default) and a daily call quota per UTC day (default 10,000, the co-sell connector's documented
 * allowance).
 */

export interface ThrottleConfig {
  /** Requests allowed per rolling second; null: no rate limit. */
  requestsPerSecond: number | null;
  /** Retry-After (seconds) sent when the rate limit trips. */
  rateLimitRetryAfterSeconds: number;
  /** Calls allowed per UTC day; null: unlimited. */
  dailyQuota: number | null;
}

export const DEFAULT_THROTTLE: ThrottleConfig = {
  requestsPerSecond: null,
  rateLimitRetryAfterSeconds: 1,
  dailyQuota: 10_000,
};

/** The generic Partner Center 429 body (api-throttling-guidance), not the {"error":…} shape. */
export function throttledError(retryAfterSeconds: number): ApiError {
  const e = new ApiError(
    429,
    "serviceNotAvailable",
    `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.`,
    "",
    { "Retry-After": String(retryAfterSeconds) },
  );
  return Object.assign(e, { throttleBody: { statusCode: 429, message: e.message } });
}

export class Throttle {
  private recent: number[] = [];
  private day = "";
  private used = 0;

  constructor(
    public config: ThrottleConfig,
    private readonly now: () => Date,
  ) {}

  /** Counts one call, or throws the 429 to answer instead. Throttled calls do not use quota. */
  admit(): void {
    const now = this.now();
    const day = now.toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
    const { requestsPerSecond, dailyQuota } = this.config;
    if (dailyQuota !== null && this.used >= dailyQuota) {
      const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      throw throttledError(Math.max(1, Math.ceil((midnight - now.getTime()) / 1000)));
    }
    if (requestsPerSecond !== null) {
      const t = now.getTime();
      this.recent = this.recent.filter((x) => t - x < 1000);
      if (this.recent.length >= requestsPerSecond) throw throttledError(this.config.rateLimitRetryAfterSeconds);
      this.recent.push(t);
    }
    this.used += 1;
  }

  usage(): { day: string; used: number; dailyQuota: number | null } {
    return { day: this.day, used: this.used, dailyQuota: this.config.dailyQuota };
  }

  resetUsage(): void {
    this.used = 0;
    this.recent = [];
  }
}
