import type { SyncState } from "./choices";
import type { MessageKey, MessageParams } from "./messages";
import type { ReadinessFailure } from "./readinessRules";

/**
 * The contract between the Opportunity form (web resource, controls) and the referral proxy's
 * `POST /api/sync`. Types only, so the browser code shares it without importing server code.
 */

/** What started a sync attempt; recorded on every audit row. */
export const SYNC_TRIGGERS = [
  "toggle",
  "save",
  "sync-now",
  "dataverse-webhook",
  "pc-webhook",
  "reconcile",
  "retry",
  "backfill",
] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

/** The triggers a signed-in user may send from the form. */
export const FORM_TRIGGERS = ["toggle", "save", "sync-now", "retry"] as const satisfies readonly SyncTrigger[];
export type FormTrigger = (typeof FORM_TRIGGERS)[number];

export interface SyncRequest {
  /** The opportunity's GUID, without braces. */
  opportunityId: string;
  trigger: FormTrigger;
}

/** What the attempt did. */
export type SyncOutcome =
  | "created" // a referral was created (one POST)
  | "updated" // a minimal PATCH was sent
  | "unchanged" // nothing to send: no API call
  | "blocked" // readiness failed: no API call
  | "deferred" // daily quota reached: scheduled for the next UTC day
  | "retrying" // a transient failure: scheduled again with backoff
  | "failed" // a permanent failure: the seller must act
  | "disabled" // sync is off for this opportunity
  | "busy"; // another proxy instance holds the claim on this opportunity: no call

export interface SyncResponse {
  outcome: SyncOutcome;
  syncState: SyncState;
  referralId: string | null;
  referralLink: string | null;
  /** Partner Center calls this attempt spent. */
  apiCalls: number;
  correlationId: string;
  /** Readiness failures when blocked. */
  failures: ReadinessFailure[];
  /** What to tell the seller, when anything (a refusal, a failure with its fix, a notice). */
  message: { key: MessageKey | string; params: MessageParams } | null;
  /** When the attempt is scheduled again (ISO), for deferred and retrying. */
  nextRetryOn: string | null;
}

/** Error body of every non-2xx proxy answer. */
export interface ProxyErrorBody {
  error: {
    code:
      | "badRequest"
      | "unauthorized"
      | "forbidden"
      | "notFound"
      | "conflict"
      | "payloadTooLarge"
      | "throttled"
      | "unavailable"
      | "internal";
    message: string;
    /** The request member at fault, for badRequest. */
    target?: string;
  };
}
