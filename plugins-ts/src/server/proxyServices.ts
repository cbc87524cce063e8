import type { Caller, CallerAuthenticator } from "../auth/callerAuthentication";
import type { ReferralLister } from "../sync/reconciliation";
import type { SyncEnvironment } from "../sync/outboundSync";
import type { ReferralService, StateStore } from "../sync/syncPorts";
import type { DoctorReport } from "../setup/doctorCheck";

/**
 * What the HTTP shapes (fastify server, Azure Functions) need, wired once by the composition root for real
 * services or the emulators. Routes never construct clients themselves.
 */

export interface HealthCheck {
  ok: boolean;
  detail: string;
  latencyMs?: number;
}

export interface HealthReport {
  status: "ok" | "degraded";
  mode: "real" | "emulator";
  checks: Record<string, HealthCheck>;
}

export type ApplicationEnvironment = SyncEnvironment & {
  referrals: ReferralService & ReferralLister;
  state: StateStore;
};

export interface ProxyServices {
  authenticate: CallerAuthenticator;
  /** The engine acting on Dataverse as a signed-in user, so Dataverse applies that user's privileges. */
  forCaller(caller: Caller): SyncEnvironment;
  /** The engine acting as the proxy's application user: webhooks and background jobs. */
  application: ApplicationEnvironment;
  /** systemuserid of the application user: Dataverse events it initiated are echoes of the proxy's own writes. */
  applicationUserId: string | null;
  /** Throws WebhookRefused unless the delivery is signed by Partner Center. */
  verifyPartnerCenterWebhook(headers: Readonly<Record<string, string | undefined>>, body: Buffer): Promise<void>;
  /** Replay window of Partner Center deliveries (webhookFreshness.ts); 86,400 s when not set. */
  partnerCenterWebhookMaxAgeSeconds?: number;
  health(): Promise<HealthReport>;
  /** The doctor's checks (plugins-ts/src/setup/doctor.ts), cached; GET /api/health includes them when present. */
  doctor?(): Promise<DoctorReport>;
}
