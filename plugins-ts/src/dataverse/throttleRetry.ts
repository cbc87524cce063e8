import type { DynamicsWebApi } from "dynamics-web-api";
import { DataverseRequestError } from "./dataverseRequestError";

export { DataverseRequestError };

/**
 * Dataverse service protection answers 429 with Retry-After when a caller sends too much; the request
 * was not processed, so repeating it is always safe. dynamics-web-api does not retry, so the gateway does,
 * a bounded number of times, and turns every failure into a DataverseRequestError.
 */

export interface ThrottlePolicy {
  /** Retries after a 429 (default 2). */
  maxRetries?: number;
  /** Longest wait honoured; a longer Retry-After is reported instead of slept (default 30 s). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

function retryAfterOf(headers: unknown): number | null {
  const value = (headers as Record<string, string | undefined> | undefined)?.["retry-after"];
  if (value === undefined) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

export function toRequestError(error: unknown): DataverseRequestError {
  if (error instanceof DataverseRequestError) return error;
  const e = error as {
    status?: number;
    code?: string;
    message?: string;
    error?: { code?: string; message?: string };
    headers?: unknown;
  };
  const message = e.message || e.error?.message || String(error);
  return new DataverseRequestError(e.status ?? 0, e.code ?? e.error?.code ?? null, message, retryAfterOf(e.headers));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withThrottleRetry<T>(work: () => Promise<T>, policy: ThrottlePolicy = {}): Promise<T> {
  const maxRetries = policy.maxRetries ?? 2;
  const maxWait = policy.maxWaitMs ?? 30_000;
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (raw) {
      const error = toRequestError(raw);
      const wait = error.retryAfterMs ?? 1000 * 2 ** attempt;
      if (error.status !== 429 || attempt >= maxRetries || wait > maxWait) throw error;
      await sleep(wait);
    }
  }
}

/** The client with every (non-batch) call retried on 429 and failures typed. */
export function retryingClient(client: DynamicsWebApi, policy: ThrottlePolicy = {}): DynamicsWebApi {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || property === "startBatch" || property === "executeBatch") return value;
      return (...args: unknown[]) =>
        withThrottleRetry(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args), policy);
    },
  });
}
