import type { FastifyInstance } from "fastify";
import { utcDateOf } from "../../../domain";
import type { ProxyServices } from "./proxyServices";

/**
 * GET /api/health (public, no secrets) and GET /api/quota (signed-in users).
 *
 * Health answers the proxy's own reachability checks and, when the composition provides one, the doctor's
 * report (`doctor`: the same checks `npm run doctor -- --json` prints, cached for PCS_HEALTH_CACHE_SECONDS). The
 * HTTP status follows only whether this instance can serve (503 when Dataverse or Partner Center is out of
 * reach), so a load balancer does not take instances out for a deployment problem such as a missing environment
 * variable value; monitoring alerts on `doctor.status`.
 */
export function registerStatusRoutes(app: FastifyInstance, services: ProxyServices, dailyBudget: number): void {
  app.get("/api/health", async (_req, reply) => {
    const report = await services.health();
    const doctor = services.doctor ? await services.doctor() : null;
    return reply
      .code(report.status === "ok" ? 200 : 503)
      .header("Cache-Control", "no-store")
      .send(doctor ? { ...report, doctor } : report);
  });

  app.get("/api/quota", async (req) => {
    await services.authenticate(req.headers.authorization);
    const day = utcDateOf(services.application.clock());
    const used = await services.application.quota.usedOn(day);
    return {
      day,
      used,
      budget: dailyBudget,
      remaining: Math.max(0, dailyBudget - used),
      // The seller sees a warning from 80 %; at 100 % non-urgent work is deferred to the next UTC day.
      warning: used >= dailyBudget * 0.8,
      exhausted: used >= dailyBudget,
    };
  });
}
