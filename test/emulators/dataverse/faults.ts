import { badRequest } from "./errors";
import { json, type ApiResponse } from "./service";

/**
 * Scripted failures for tests of the caller's resilience: service-protection 429 with Retry-After,
 * 503/504 outages, slow answers. A rule matches top-level requests (a $batch counts as one) by
 * method and a substring of the path after /api/data/v9.2/, and fires `times` times.
 */
export interface FaultRule {
  method?: string;
  path?: string;
  status: number;
  times?: number;
  retryAfterSeconds?: number;
  code?: string;
  message?: string;
  /** Answer after this delay (with the fault status), e.g. to trigger a client timeout. */
  delayMs?: number;
  /** In-process only: called when the rule fires, so a chaos run can count the faults that really happened. */
  onFire?: () => void;
}

const DEFAULTS: Record<number, { code: string; message: string }> = {
  429: {
    code: "0x80072322",
    message: "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
  },
  503: { code: "0x80040216", message: "The service is temporarily unavailable." },
  504: { code: "0x80040216", message: "The request timed out." },
};

export function validateFaultRule(value: unknown): FaultRule {
  if (typeof value !== "object" || value === null) throw badRequest("A fault rule must be a JSON object.");
  const rule = value as Record<string, unknown>;
  if (typeof rule.status !== "number" || !Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599) {
    throw badRequest("A fault rule needs 'status', an HTTP error status from 400 to 599.");
  }
  for (const name of ["times", "retryAfterSeconds", "delayMs"]) {
    const n = rule[name];
    if (n !== undefined && (typeof n !== "number" || !Number.isInteger(n) || n < 0))
      throw badRequest(`Fault rule '${name}' must be a non-negative integer.`);
  }
  if (rule.onFire !== undefined && typeof rule.onFire !== "function")
    throw badRequest("Fault rule 'onFire' can only be given in-process, as a function.");
  for (const name of ["method", "path", "code", "message"]) {
    if (rule[name] !== undefined && typeof rule[name] !== "string")
      throw badRequest(`Fault rule '${name}' must be a string.`);
  }
  return rule as unknown as FaultRule;
}

export class FaultInjector {
  private rules: (FaultRule & { left: number })[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...validateFaultRule(rule), left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The scripted answer for this request, or null to serve it normally. */
  async take(method: string, path: string): Promise<ApiResponse | null> {
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
        (!r.path || path.includes(r.path)),
    );
    if (!rule) return null;
    rule.left -= 1;
    rule.onFire?.();
    if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
    const defaults = DEFAULTS[rule.status] ?? { code: "0x80040216", message: `Injected fault ${rule.status}.` };
    const headers: Record<string, string> = {};
    if (rule.retryAfterSeconds !== undefined) headers["retry-after"] = String(rule.retryAfterSeconds);
    return json(
      rule.status,
      { error: { code: rule.code ?? defaults.code, message: rule.message ?? defaults.message } },
      headers,
    );
  }
}
