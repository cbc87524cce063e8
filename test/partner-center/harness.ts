import type { ReferralCreateBody } from "../../domain";
import { PartnerCenterError } from "../../plugins-ts/src/partnerCenter/failureClassification";
import { InMemoryCallCounter } from "../../plugins-ts/src/partnerCenter/callCounter";
import { PartnerCenterClient } from "../../plugins-ts/src/partnerCenter/partnerCenterClient";
import type { RetryPolicy } from "../../plugins-ts/src/partnerCenter/retryPolicy";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import {
  errorResponseErrors,
  referralCreateErrors,
  referralListResponseErrors,
  referralPatchErrors,
  referralResponseErrors,
  type ContractError,
} from "../contracts/partner-center/referralContract";
import { generateSigningMaterial, type SigningMaterial } from "../emulators/partner-center/signingCertificates";
import {
  createPartnerCenterEmulator,
  type PartnerCenterEmulator,
  type PartnerCenterEmulatorOptions,
} from "../emulators/partner-center/server";

/** Shared set-up for the Partner Center tests: an emulator on port 0 and a client whose traffic is contract-checked. */

let counter = 0;

export function validReferral(overrides: Partial<ReferralCreateBody> = {}): ReferralCreateBody {
  counter += 1;
  return {
    name: `Contoso supply chain ${counter}`,
    externalReferenceId: `opp-${process.pid}-${counter}`,
    type: "Independent",
    status: "New",
    substatus: "Pending",
    customerProfile: {
      name: "Contoso Ltd",
      address: { addressLine1: "1 Main St", city: "Seoul", postalCode: "04524", country: "KR" },
      team: [{ firstName: "Sue", lastName: "Kim", email: "sue.kim@contoso.example" }],
    },
    consent: { consentToShareReferralWithMicrosoftSellers: true, consentToContact: true },
    details: {
      notes: "Wants Dynamics 365",
      dealValue: 50000,
      currency: "KRW",
      closingDateTime: "2027-03-31T00:00:00Z",
      requirements: { solutions: [{ id: "SOL-12345", type: "Name" }] },
    },
    team: [{ firstName: "Joe", lastName: "Seller", email: "joe@partner.example" }],
    ...overrides,
  };
}

export interface ContractViolation {
  direction: "request" | "response";
  method: string;
  url: string;
  status?: number;
  errors: ContractError[];
}

/**
 * A fetch that checks every Referrals request body and every answer body against the contract
 * (Microsoft's swagger + documented rules) and records what does not conform.
 */
export function contractCheckingFetch(): {
  fetch: typeof fetch;
  violations: ContractViolation[];
  requests: { method: string; url: string; headers: Headers }[];
} {
  const violations: ContractViolation[] = [];
  const requests: { method: string; url: string; headers: Headers }[] = [];
  const checked: typeof fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? "GET").toUpperCase();
    requests.push({ method, url, headers: new Headers(init?.headers) });
    const path = new URL(url).pathname;
    const isReferrals = path.startsWith("/v1.0/engagements/referrals");
    const isItem = /^\/v1\.0\/engagements\/referrals\/[^/]+$/.test(path);
    if (isReferrals && typeof init?.body === "string") {
      let body: unknown;
      try {
        body = JSON.parse(init.body);
      } catch {
        body = Symbol("not JSON");
      }
      const errors =
        typeof body === "symbol"
          ? [{ path: "/", message: "is not JSON" }]
          : method === "POST"
            ? referralCreateErrors(body)
            : method === "PATCH"
              ? referralPatchErrors(body)
              : referralCreateErrors(body);
      if (errors.length) violations.push({ direction: "request", method, url, errors });
    }
    const res = await fetch(input, init);
    if (!isReferrals) return res;
    const text = await res.clone().text();
    if (text) {
      const body: unknown = JSON.parse(text);
      const errors =
        res.status >= 400
          ? errorResponseErrors(res.status, body)
          : isItem || method === "POST"
            ? referralResponseErrors(body)
            : referralListResponseErrors(body, { partial: new URL(url).searchParams.has("$select") });
      if (errors.length) violations.push({ direction: "response", method, url, status: res.status, errors });
    } else if (res.status >= 400) {
      violations.push({
        direction: "response",
        method,
        url,
        status: res.status,
        errors: [{ path: "/", message: "error answer without a body" }],
      });
    }
    return res;
  };
  return { fetch: checked, violations, requests };
}

export const FAST_RETRIES: Partial<RetryPolicy> = {
  maxAttempts: 4,
  baseDelayMs: 5,
  maxDelayMs: 20,
  maxRetryAfterMs: 5_000,
};

export interface Harness {
  pc: PartnerCenterEmulator;
  client: PartnerCenterClient;
  counter: InMemoryCallCounter;
  violations: ContractViolation[];
  requests: { method: string; url: string; headers: Headers }[];
  /** Answers to admin calls (the "Microsoft side"). */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** A raw call with a bearer token, for what the client would never send. */
  raw(
    method: string,
    path: string,
    init?: { body?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: unknown }>;
}

/** One signing chain per test process: RSA key generation is the slowest part of starting an emulator. */
let sharedSigning: SigningMaterial | undefined;

export async function startHarness(
  options: PartnerCenterEmulatorOptions = {},
  client: { retry?: Partial<RetryPolicy>; timeoutMs?: number; token?: string; createSettleMs?: number } = {},
): Promise<Harness> {
  sharedSigning ??= generateSigningMaterial();
  const pc = await createPartnerCenterEmulator({ signing: sharedSigning, ...options });
  const checking = contractCheckingFetch();
  const callCounter = new InMemoryCallCounter();
  const pcClient = new PartnerCenterClient({
    baseUrl: pc.baseUrl,
    tokenProvider: new StaticTokenProvider(client.token ?? "emulator-token"),
    retry: client.retry ?? FAST_RETRIES,
    timeoutMs: client.timeoutMs ?? 5_000,
    createSettleMs: client.createSettleMs ?? 20,
    counter: callCounter,
    fetch: checking.fetch,
  });
  const call = async (method: string, url: string, body: string | undefined, headers: Record<string, string>) => {
    const res = await checking.fetch(url, { method, body, headers });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return {
    pc,
    client: pcClient,
    counter: callCounter,
    violations: checking.violations,
    requests: checking.requests,
    admin: async (method, path, body) => {
      const res = await fetch(`${pc.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    raw: (method, path, init = {}) =>
      call(method, `${pc.baseUrl}${path}`, init.body, {
        Authorization: "Bearer emulator-token",
        ...(init.body !== undefined && { "Content-Type": "application/json" }),
        ...init.headers,
      }),
  };
}

/** The PartnerCenterError a call fails with (fails the test if it succeeds or fails otherwise). */
export async function failureOf(p: Promise<unknown>): Promise<PartnerCenterError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PartnerCenterError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}
