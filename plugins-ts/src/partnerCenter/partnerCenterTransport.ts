import { randomUUID } from "node:crypto";
import type { CallCounter, CallMeter } from "./callCounter";
import { classifyStatus, PartnerCenterError, readErrorBody, RETRIED_STATUSES } from "./failureClassification";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs, type RetryPolicy } from "./retryPolicy";
import type { TokenProvider } from "./tokenProvider";

/**
 * One HTTP exchange with Partner Center, with the documented headers (bearer token, client-request-id,
 * MS-CorrelationId), a timeout per attempt, counting, and retries on 429/503/504 and network failures for the
 * calls that are safe to repeat.
 */

export interface CallContext {
  /** MS-CorrelationId: one per sync, shared by every call it makes. Generated per call when absent. */
  correlationId?: string;
  signal?: AbortSignal;
  /** Incremented once per HTTP call made on behalf of this context. */
  meter?: CallMeter;
}

export interface TransportOptions {
  baseUrl: string;
  tokenProvider: TokenProvider;
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout, body included. */
  timeoutMs?: number;
  counter?: CallCounter;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => Date;
}

export interface RequestSpec {
  operation: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** A path under baseUrl, or an absolute URL (an @odata.nextLink). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Whether repeating the request is harmless; non-repeatable requests get exactly one attempt. */
  repeatable: boolean;
  /** Statuses that count as success. */
  expect: readonly number[];
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: unknown;
  requestId?: string;
  clientRequestId: string;
  attempts: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function networkCode(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

/** What the client retries by itself: 429, 503, 504 and network failures/timeouts (not token failures). */
export function isRetried(e: PartnerCenterError): boolean {
  return e.status === undefined ? e.category === "transient" : RETRIED_STATUSES.has(e.status);
}

export class PartnerCenterTransport {
  readonly policy: RetryPolicy;
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sleepImpl: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => Date;
  private readonly timeoutMs: number;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.fetchImpl = options.fetch ?? fetch;
    this.sleepImpl = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  sleep(ms: number): Promise<void> {
    return this.sleepImpl(ms);
  }

  delayFor(attempt: number, retryAfterMs: number | undefined): number {
    return retryDelayMs(this.policy, attempt, retryAfterMs, this.random);
  }

  private url(spec: RequestSpec): string {
    const base = new URL(this.baseUrl);
    let url: URL;
    if (/^https?:\/\//i.test(spec.path)) {
      url = new URL(spec.path);
      // A link from an answer (nextLink) must not carry our bearer token to another host, nor over plain http
      // (the docs' own nextLink example says http://).
      if (url.host !== base.host) {
        throw new PartnerCenterError(`${spec.operation}: refusing to call ${url.host}, which is not ${base.host}`, {
          category: "permanent",
          operation: spec.operation,
          clientRequestId: "",
          attempts: 0,
          outcomeUnknown: false,
        });
      }
      url.protocol = base.protocol;
    } else {
      url = new URL(`${this.baseUrl}${spec.path}`);
    }
    // Our own options, encoded with %20 (not "+") for OData; a nextLink's query is sent exactly as received.
    const own = Object.entries(spec.query ?? {})
      .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
    if (own.length) url.search = url.search ? `${url.search}&${own.join("&")}` : `?${own.join("&")}`;
    return url.toString();
  }

  /** One attempt. Resolves with the answer (any status) or rejects with a network/timeout PartnerCenterError. */
  private async once(
    spec: RequestSpec,
    ctx: CallContext,
    clientRequestId: string,
    correlationId: string,
    attempt: number,
  ): Promise<HttpResult> {
    const url = this.url(spec);
    const token = await this.options.tokenProvider.getAccessToken();
    this.options.counter?.record({ operation: spec.operation, method: spec.method, at: this.now() });
    if (ctx.meter) ctx.meter.calls += 1;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: "application/json",
      "client-request-id": clientRequestId,
      "MS-CorrelationId": correlationId,
      ...spec.headers,
    };
    if (spec.body !== undefined) headers["Content-Type"] = "application/json";
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    try {
      const res = await this.fetchImpl(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
      });
      const text = await res.text();
      let body: unknown = undefined;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      return {
        status: res.status,
        headers: res.headers,
        body,
        requestId: res.headers.get("request-id") ?? undefined,
        clientRequestId,
        attempts: attempt,
      };
    } catch (e) {
      if (ctx.signal?.aborted) throw e;
      const timedOut = timeout.aborted;
      const code = networkCode(e);
      // A refused connection never reached the server; anything else may have been applied.
      const outcomeUnknown = spec.method !== "GET" && code !== "ECONNREFUSED";
      throw new PartnerCenterError(
        timedOut
          ? `${spec.operation}: no complete answer within ${this.timeoutMs} ms`
          : `${spec.operation}: network failure (${code ?? (e as Error).message})`,
        {
          category: "transient",
          operation: spec.operation,
          clientRequestId,
          attempts: attempt,
          outcomeUnknown,
          timedOut,
          cause: e,
        },
      );
    }
  }

  /** Sends, retrying what may be retried; returns an expected answer or throws a classified PartnerCenterError. */
  async send(spec: RequestSpec, ctx: CallContext = {}): Promise<HttpResult> {
    // One client-request-id per logical call, kept across its retries (headers.md: reuse on retry after timeout).
    const clientRequestId = randomUUID();
    const correlationId = ctx.correlationId ?? randomUUID();
    const maxAttempts = spec.repeatable ? this.policy.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      let failure: PartnerCenterError;
      try {
        const res = await this.once(spec, ctx, clientRequestId, correlationId, attempt);
        if (spec.expect.includes(res.status)) return res;
        failure = this.errorOf(spec, res, attempt);
      } catch (e) {
        if (!(e instanceof PartnerCenterError)) throw e;
        failure = e;
      }
      const retriable = isRetried(failure);
      const tooLong = (failure.retryAfterMs ?? 0) > this.policy.maxRetryAfterMs;
      if (!retriable || tooLong || attempt >= maxAttempts) throw failure;
      await this.sleepImpl(this.delayFor(attempt, failure.retryAfterMs));
    }
  }

  errorOf(spec: RequestSpec, res: HttpResult, attempt: number): PartnerCenterError {
    const { code, message, target } = readErrorBody(res.body);
    return new PartnerCenterError(`${spec.operation}: HTTP ${res.status}${message ? ` ${message}` : ""}`, {
      category: classifyStatus(res.status),
      operation: spec.operation,
      status: res.status,
      code,
      target,
      retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), this.now().getTime()),
      requestId: res.requestId,
      clientRequestId: res.clientRequestId,
      attempts: attempt,
      // A write answered 5xx may or may not have been applied.
      outcomeUnknown: spec.method !== "GET" && res.status >= 500,
    });
  }
}
