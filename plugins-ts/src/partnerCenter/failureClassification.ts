/**
 * Every Partner Center failure falls in one category that says what to do about it: fix the data (validation),
 * sign in again (auth), get the role (forbidden), drop or relink (notFound), re-read and merge (conflict), wait
 * (throttled), retry later (transient), or stop and tell someone (permanent).
 */

export type FailureCategory =
  "validation" | "auth" | "forbidden" | "notFound" | "conflict" | "throttled" | "transient" | "permanent";

export function classifyStatus(status: number): FailureCategory {
  if (status === 400 || status === 422) return "validation";
  if (status === 401) return "auth";
  if (status === 403) return "forbidden";
  if (status === 404 || status === 410) return "notFound";
  if (status === 409 || status === 412) return "conflict";
  if (status === 429) return "throttled";
  // 500/502 are usually passing faults of the service; 501, 505+ (other than 503/504/507/509) will not heal.
  if ([408, 500, 502, 503, 504, 507, 509].includes(status)) return "transient";
  return "permanent";
}

/** Statuses the client retries on its own (besides network failures and timeouts). */
export const RETRIED_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export interface PartnerCenterErrorDetails {
  category: FailureCategory;
  operation: string;
  status?: number;
  /** error.code of the documented error body, when there was one. */
  code?: string;
  target?: string;
  retryAfterMs?: number;
  /** Partner Center's request-id of the last attempt. */
  requestId?: string;
  clientRequestId: string;
  attempts: number;
  /** True when the request may have been applied although no answer came back (network failure, timeout). */
  outcomeUnknown: boolean;
  /** True when no complete answer came within the per-call timeout (the service may still be working on it). */
  timedOut?: boolean;
  cause?: unknown;
}

export class PartnerCenterError extends Error implements PartnerCenterErrorDetails {
  readonly category: FailureCategory;
  readonly operation: string;
  readonly status?: number;
  readonly code?: string;
  readonly target?: string;
  readonly retryAfterMs?: number;
  readonly requestId?: string;
  readonly clientRequestId: string;
  attempts: number;
  readonly outcomeUnknown: boolean;
  readonly timedOut: boolean;

  constructor(message: string, details: PartnerCenterErrorDetails) {
    super(message);
    this.name = "PartnerCenterError";
    if (details.cause !== undefined) (this as { cause?: unknown }).cause = details.cause;
    this.category = details.category;
    this.operation = details.operation;
    this.status = details.status;
    this.code = details.code;
    this.target = details.target;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
    this.attempts = details.attempts;
    this.outcomeUnknown = details.outcomeUnknown;
    this.timedOut = details.timedOut ?? false;
  }

  /** Worth retrying at all (now or later): throttled and transient failures. */
  get retryable(): boolean {
    return this.category === "throttled" || this.category === "transient";
  }
}

/** Reads either documented error body: {"error":{code,message,target}} or the throttling {statusCode,message}. */
export function readErrorBody(body: unknown): { code?: string; message?: string; target?: string } {
  if (typeof body !== "object" || body === null) return {};
  const b = body as Record<string, unknown>;
  const e = b.error;
  if (typeof e === "object" && e !== null) {
    const err = e as Record<string, unknown>;
    return {
      code: typeof err.code === "string" ? err.code : undefined,
      message: typeof err.message === "string" ? err.message : undefined,
      target: typeof err.target === "string" ? err.target : undefined,
    };
  }
  return { message: typeof b.message === "string" ? b.message : undefined };
}
