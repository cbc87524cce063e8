import { randomUUID, sign } from "node:crypto";
import type { SigningMaterial } from "./signingCertificates";

/**
 * Webhook registration state and signed deliveries, as partner-center-webhooks.md describes them:
 * POST to the registered URL with the event envelope, `Authorization: Signature <base64 RSA-SHA256 of the body>`
 * (or `x-ms-signature` when SignatureTokenToMsSignatureHeader is set), `X-MS-Certificate-Url` and
 * `X-MS-Signature-Algorithm: rsa-sha256`; 10 attempts, then the event goes to an offline queue and is not retried.
 */

export const REFERRAL_EVENTS = [
  "referral-created",
  "referral-updated",
  "related-referral-created",
  "related-referral-updated",
] as const;
export type ReferralEventName = (typeof REFERRAL_EVENTS)[number];
/** What GET /webhooks/v1/registration/events lists: the referral events plus the documented test event. */
export const SUPPORTED_EVENTS: readonly string[] = [...REFERRAL_EVENTS, "test-created"];

export interface WebhookRegistration {
  SubscriberId: string;
  WebhookUrl: string;
  WebhookEvents: string[];
  SignatureTokenToMsSignatureHeader: boolean;
}

/** The documented event envelope. */
export interface WebhookEvent {
  EventName: string;
  ResourceUri: string;
  ResourceName: string;
  AuditUri: string | null;
  ResourceChangeUtcDate: string;
}

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
}

export interface Delivery {
  id: string;
  url: string;
  event: WebhookEvent;
  body: string;
  attempts: DeliveryAttempt[];
  state: "pending" | "delivered" | "undelivered";
}

export interface DeliveryConfig {
  maxAttempts: number;
  /** Wait before attempt n+1 is min(backoffBaseMs * 2^(n-1), backoffMaxMs). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryConfig = {
  maxAttempts: 10,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  timeoutMs: 10_000,
};

export class WebhookDispatcher {
  registration: WebhookRegistration | null = null;
  private readonly log: Delivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    public signing: SigningMaterial,
    private readonly certificateUrl: () => string,
    public config: DeliveryConfig,
    private readonly now: () => Date,
  ) {}

  /** Fires an event if the registration asks for it. `resourceUri` is the URI the event names. */
  emit(eventName: string, resourceUri: string, changedAt: string): Delivery | null {
    const reg = this.registration;
    if (!reg || !reg.WebhookEvents.includes(eventName) || this.closed) return null;
    const event: WebhookEvent = {
      EventName: eventName,
      ResourceUri: resourceUri,
      ResourceName: eventName === "test-created" ? "test" : "referral",
      AuditUri: null,
      ResourceChangeUtcDate: changedAt,
    };
    const delivery: Delivery = {
      id: randomUUID(),
      url: reg.WebhookUrl,
      event,
      body: JSON.stringify(event),
      attempts: [],
      state: "pending",
    };
    this.log.push(delivery);
    this.inFlight += 1;
    void this.attempt(delivery, reg.SignatureTokenToMsSignatureHeader);
    return delivery;
  }

  private async attempt(d: Delivery, msSignatureHeader: boolean): Promise<void> {
    const signature = sign("sha256", Buffer.from(d.body, "utf8"), this.signing.leafPrivateKeyPem).toString("base64");
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "X-MS-Certificate-Url": this.certificateUrl(),
      "X-MS-Signature-Algorithm": "rsa-sha256",
    };
    if (msSignatureHeader) headers["x-ms-signature"] = signature;
    else headers.Authorization = `Signature ${signature}`;
    const record: DeliveryAttempt = { at: this.now().toISOString() };
    try {
      const res = await fetch(d.url, {
        method: "POST",
        headers,
        body: d.body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      record.status = res.status;
    } catch (e) {
      record.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    d.attempts.push(record);
    if (record.status !== undefined && record.status >= 200 && record.status < 300) {
      d.state = "delivered";
      this.settle();
      return;
    }
    if (d.attempts.length >= this.config.maxAttempts || this.closed) {
      d.state = "undelivered"; // Partner Center's "offline queue": no further attempts.
      this.settle();
      return;
    }
    const wait = Math.min(this.config.backoffBaseMs * 2 ** (d.attempts.length - 1), this.config.backoffMaxMs);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(d, msSignatureHeader);
    }, wait);
    this.timers.add(timer);
  }

  private settle(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  /** Resolves once every delivery so far is delivered or undelivered. */
  whenIdle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  deliveries(): Delivery[] {
    return this.log.map((d) => ({ ...d, attempts: [...d.attempts] }));
  }

  undelivered(): Delivery[] {
    return this.deliveries().filter((d) => d.state === "undelivered");
  }

  restoreUndelivered(list: Delivery[]): void {
    this.log.push(...list.filter((d) => d.state === "undelivered"));
  }

  clear(): void {
    this.log.length = 0;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.inFlight = 0;
    this.idleWaiters.forEach((w) => w());
    this.idleWaiters = [];
  }
}
