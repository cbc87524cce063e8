import type { AuthConfig } from "./authentication";
import type { FaultInjector } from "./faultInjection";
import type { ReferralStore, Referral } from "./referralStore";
import type { Throttle } from "./throttling";
import type { WebhookDispatcher } from "./webhookDispatcher";

/** What the route modules share. */
export interface EmulatorContext {
  store: ReferralStore;
  throttle: Throttle;
  faults: FaultInjector;
  webhooks: WebhookDispatcher;
  auth: AuthConfig;
  /** "accepted": a new New/Pending referral comes back Active/Accepted, as in the 2019 create example. */
  newReferralStatus: "asSent" | "accepted";
  pageSize: number;
  baseUrl(): string;
  now(): Date;
  /** Validation events: correlation id → delivery id. */
  validationEvents: Map<string, string>;
  /** Saves state if persistence is on. */
  persist(): void;
  /** Fires the webhooks a write causes. */
  announce(kind: "created" | "updated", referral: Referral): void;
}
