import type { ReadinessFailure } from "../../domain/readinessRules";
import type { ProxyErrorBody, SyncRequest, SyncResponse } from "../../domain/syncApi";
import { TokenError, type TokenSource } from "./tokenSource";

/**
 * The referral proxy's `POST /api/sync` (domain/syncApi.ts is the contract). One attempt has a timeout; a
 * transient failure (network error, timeout, 502/503/504) is retried once; a 401 is retried once with a
 * fresh token. Every other outcome becomes one failure class with what the seller needs to be told.
 */

export type ProxyFailure =
  /** The deal is not ready: the proxy checked the readiness rules and sent nothing to Partner Center. */
  | { kind: "notReady"; failures: ReadinessFailure[]; response: SyncResponse }
  /** The user may not write this opportunity (Dataverse refused it for the user). */
  | { kind: "forbidden"; message: string }
  /** 429: wait this many seconds (null when the proxy did not say). */
  | { kind: "throttled"; retryAfterSeconds: number | null }
  | { kind: "unreachable"; reason: "network" | "timeout" | "status"; status?: number; timeoutSeconds?: number }
  | { kind: "token"; detail: string; interactionRequired: boolean }
  /** Any other refusal (400, 404, 409, 413, 500, or an answer that is not the contract's). */
  | { kind: "rejected"; status: number; code: string; message: string };

export type ProxyResult =
  { ok: true; response: SyncResponse; attempts: number } | { ok: false; failure: ProxyFailure; attempts: number };

export interface ProxyClientOptions {
  /** Base URL of the proxy (environment variable pcs_ProxyUrl); absolute, or relative to the page. */
  baseUrl: string;
  tokens: TokenSource;
  timeoutMs?: number;
  /** Pause before the one retry of a transient failure. */
  retryDelayMs?: number;
  fetchImpl?: typeof fetch;
}

export interface SyncCallOptions {
  /** A user gesture started this call (Sync now): sign-in may be interactive. */
  interactive?: boolean;
}

export interface ProxyClient {
  sync(request: SyncRequest, callOptions?: SyncCallOptions): Promise<ProxyResult>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY_DELAY_MS = 1_000;
const TRANSIENT_STATUSES = [502, 503, 504];
const SYNC_OUTCOMES = ["created", "updated", "unchanged", "blocked", "deferred", "retrying", "failed", "disabled"];

export function syncUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/api/sync`;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function isSyncResponse(body: unknown): body is SyncResponse {
  if (!body || typeof body !== "object") return false;
  const b = body as Partial<SyncResponse>;
  return typeof b.outcome === "string" && SYNC_OUTCOMES.includes(b.outcome) && typeof b.syncState === "string";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function errorOf(body: unknown): { code: string; message: string } {
  const error = (body as Partial<ProxyErrorBody> | null)?.error;
  return {
    code: typeof error?.code === "string" ? error.code : "unknown",
    message: typeof error?.message === "string" ? error.message : "",
  };
}

interface Answer {
  status: number;
  ok: boolean;
  headers: Headers;
  text: string;
}

type Attempt =
  | { type: "response"; response: Answer }
  | { type: "network" }
  | { type: "timeout" }
  | { type: "token"; error: TokenError };

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createProxyClient(options: ProxyClientOptions): ProxyClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const doFetch = options.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const url = syncUrl(options.baseUrl);

  async function attempt(request: SyncRequest, forceRefresh: boolean, interactive: boolean): Promise<Attempt> {
    let token: string;
    try {
      token = await options.tokens.getToken(interactive ? { forceRefresh, interactive } : { forceRefresh });
    } catch (error) {
      return { type: "token", error: error instanceof TokenError ? error : new TokenError(String(error)) };
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await doFetch(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          Authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ opportunityId: request.opportunityId, trigger: request.trigger }),
        signal: controller.signal,
      });
      // The body is read under the same timeout.
      const text = await response.text();
      return {
        type: "response",
        response: { status: response.status, ok: response.ok, headers: response.headers, text },
      };
    } catch {
      return timedOut ? { type: "timeout" } : { type: "network" };
    } finally {
      clearTimeout(timer);
    }
  }

  function isTransient(result: Attempt): boolean {
    return (
      result.type === "network" ||
      result.type === "timeout" ||
      (result.type === "response" && TRANSIENT_STATUSES.includes(result.response.status))
    );
  }

  function classify(result: Attempt): { ok: true; response: SyncResponse } | { ok: false; failure: ProxyFailure } {
    switch (result.type) {
      case "token":
        return {
          ok: false,
          failure: {
            kind: "token",
            detail: result.error.detail,
            interactionRequired: result.error.interactionRequired,
          },
        };
      case "network":
        return { ok: false, failure: { kind: "unreachable", reason: "network" } };
      case "timeout":
        return {
          ok: false,
          failure: { kind: "unreachable", reason: "timeout", timeoutSeconds: Math.ceil(timeoutMs / 1000) },
        };
      case "response":
        break;
    }
    const { response } = result;
    const body = parseJson(response.text);
    if (response.ok) {
      if (!isSyncResponse(body)) {
        return {
          ok: false,
          failure: {
            kind: "rejected",
            status: response.status,
            code: "invalidResponse",
            message: "not a sync response",
          },
        };
      }
      if (body.outcome === "blocked") {
        return { ok: false, failure: { kind: "notReady", failures: body.failures ?? [], response: body } };
      }
      return { ok: true, response: body };
    }
    // A proxy that reports "blocked" with a 4xx status still means: not ready, with the fixes.
    if (isSyncResponse(body) && body.outcome === "blocked") {
      return { ok: false, failure: { kind: "notReady", failures: body.failures ?? [], response: body } };
    }
    const { code, message } = errorOf(body);
    if (response.status === 401)
      return {
        ok: false,
        failure: { kind: "token", detail: message || "the proxy refused the token", interactionRequired: false },
      };
    if (response.status === 403) return { ok: false, failure: { kind: "forbidden", message } };
    if (response.status === 429) {
      return {
        ok: false,
        failure: { kind: "throttled", retryAfterSeconds: parseRetryAfter(response.headers.get("Retry-After")) },
      };
    }
    if (TRANSIENT_STATUSES.includes(response.status)) {
      return { ok: false, failure: { kind: "unreachable", reason: "status", status: response.status } };
    }
    return { ok: false, failure: { kind: "rejected", status: response.status, code, message } };
  }

  return {
    async sync(request: SyncRequest, callOptions: SyncCallOptions = {}): Promise<ProxyResult> {
      const interactive = callOptions.interactive === true;
      let attempts = 1;
      let result = await attempt(request, false, interactive);
      let transientRetried = false;
      let tokenRetried = false;
      for (;;) {
        const unauthorized = result.type === "response" && result.response.status === 401;
        if (!transientRetried && isTransient(result)) {
          transientRetried = true;
          await delay(retryDelayMs);
        } else if (!tokenRetried && unauthorized) {
          tokenRetried = true;
        } else {
          break;
        }
        attempts += 1;
        result = await attempt(request, unauthorized, interactive);
      }
      return { ...classify(result), attempts };
    },
  };
}
