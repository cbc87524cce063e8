import type { DoctorReport } from "./doctorCheck";

/**
 * GET /api/health is public and may be polled every few seconds by a load balancer; a doctor run costs about 20
 * Dataverse requests, 4 Partner Center account/webhook calls and one HEAD (never Referrals quota). One run is reused for `ttlMs`, and callers
 * arriving while a run is under way share it, so the cost per minute stays bounded whatever the polling rate.
 */
export function cachedDoctor(
  run: () => Promise<DoctorReport>,
  ttlMs: number,
  now: () => number = Date.now,
): () => Promise<DoctorReport & { cachedUntil: string }> {
  let last: { report: DoctorReport; at: number } | null = null;
  let inFlight: Promise<DoctorReport> | null = null;
  return async () => {
    if (!last || now() - last.at >= ttlMs) {
      inFlight ??= run().finally(() => {
        inFlight = null;
      });
      const started = now();
      const report = await inFlight;
      if (!last || last.report !== report) last = { report, at: started };
    }
    return { ...last.report, cachedUntil: new Date(last.at + ttlMs).toISOString() };
  };
}
