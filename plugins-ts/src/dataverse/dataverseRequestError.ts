import type { FailureCategory } from "../../../domain";

/**
 * A Dataverse answer the caller must handle, classified the way the sync engine classifies every
 * failure (it has the ClassifiedFailure shape): status, Dataverse's hex code, message, Retry-After.
 */
export class DataverseRequestError extends Error {
  readonly category: FailureCategory;
  readonly code?: string;
  /** From Retry-After on 429/503, in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(
    readonly status: number,
    code: string | null,
    message: string,
    retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "DataverseRequestError";
    if (code) this.code = code;
    if (retryAfterMs !== null) this.retryAfterMs = retryAfterMs;
    this.category = categoryOf(status);
  }
}

/** 0 is a network failure or timeout (no answer): transient, like 5xx outages. */
export function categoryOf(status: number): FailureCategory {
  if (status === 400 || status === 405 || status === 413) return "validation";
  if (status === 401) return "auth";
  if (status === 403) return "forbidden";
  if (status === 404) return "notFound";
  if (status === 409 || status === 412) return "conflict";
  if (status === 429) return "throttled";
  if (status === 0 || status === 408 || status >= 500) return "transient";
  return "permanent";
}
