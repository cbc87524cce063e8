import type { FastifyInstance } from "fastify";
import { FORM_TRIGGERS, type SyncRequest } from "../../../domain";
import type { OpportunitySyncQueue } from "../sync/opportunitySyncQueue";
import { syncToPartnerCenter } from "../sync/outboundSync";
import type { ProxyServices } from "./proxyServices";

/** POST /api/sync: the form asks for a sync of one opportunity, as the signed-in seller. */
export function registerSyncRoute(app: FastifyInstance, services: ProxyServices, queue: OpportunitySyncQueue): void {
  app.post<{ Body: SyncRequest }>(
    "/api/sync",
    {
      bodyLimit: 4096,
      schema: {
        body: {
          type: "object",
          required: ["opportunityId", "trigger"],
          additionalProperties: false,
          properties: {
            opportunityId: {
              type: "string",
              pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
            },
            trigger: { type: "string", enum: [...FORM_TRIGGERS] },
          },
        },
      },
    },
    async (req) => {
      const caller = await services.authenticate(req.headers.authorization);
      const environment = services.forCaller(caller);
      const request = { opportunityId: req.body.opportunityId.toLowerCase(), trigger: req.body.trigger };
      return queue.run(`caller:${caller.objectId}`, request, (r) => syncToPartnerCenter(environment, r));
    },
  );
}
