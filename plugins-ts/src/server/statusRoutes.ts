import type { FastifyInstance } from "fastify";
import { utcDateOf } from "../../../domain";
import type { ProxyServices } from "./proxyServices";

/** GET /api/health (public, no secrets) and GET /api/quota (signed-in users). */
export function registerStatusRoutes(app: FastifyInstance, services: ProxyServices, dailyBudget: number): void {
  app.get("/api/health", async (_req, reply) => {
    const report = await services.health();
    return reply.code(report.status === "ok" ? 200 : 503).send(report);
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
