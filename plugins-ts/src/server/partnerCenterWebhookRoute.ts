import type { FastifyInstance } from "fastify";
import { checkWebhookFreshness } from "../partnerCenter/webhookFreshness";
import { countPartnerCenterCalls } from "../sync/callCounting";
import { applyFromPartnerCenter } from "../sync/inboundSync";
import { BadRequest, WebhookRefused } from "./httpErrors";
import type { ProxyServices } from "./proxyServices";

/**
 * POST /api/webhooks/partner-center: referral events, signed by Partner Center (RSA-SHA256 over the raw body,
 * certificate from X-MS-Certificate-Url). The signature is checked on the exact bytes received, before parsing.
 */

const EVENTS = [
  "referral-created",
  "referral-updated",
  "related-referral-created",
  "related-referral-updated",
  "test-created",
];

interface WebhookPayload {
  EventName: string;
  ResourceUri: string;
  ResourceName?: string;
  AuditUri?: string | null;
  ResourceChangeUtcDate?: string;
}

export function registerPartnerCenterWebhookRoute(app: FastifyInstance, services: ProxyServices): void {
  app.post<{ Body: WebhookPayload }>(
    "/api/webhooks/partner-center",
    {
      preValidation: async (req) => {
        const raw = (req as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
        );
        await services.verifyPartnerCenterWebhook(headers, raw);
      },
      schema: {
        body: {
          type: "object",
          required: ["EventName", "ResourceUri"],
          properties: {
            EventName: { type: "string", enum: EVENTS },
            ResourceUri: { type: "string", maxLength: 2048 },
            ResourceName: { type: "string", maxLength: 100 },
            AuditUri: { type: ["string", "null"], maxLength: 2048 },
            ResourceChangeUtcDate: { type: "string", maxLength: 64 },
          },
        },
      },
    },
    async (req) => {
      const payload = req.body;
      if (payload.EventName === "test-created") return { outcome: "test-acknowledged" };
      const env = services.application;
      // Against the wall clock, not the engine's: the question is how long ago Partner Center signed it.
      const freshness = checkWebhookFreshness(
        payload.ResourceChangeUtcDate,
        new Date(),
        services.partnerCenterWebhookMaxAgeSeconds,
      );
      if (!freshness.ok) {
        if (freshness.reason === "missing" || freshness.reason === "invalid") {
          throw new BadRequest(freshness.message, "ResourceChangeUtcDate");
        }
        throw new WebhookRefused(freshness.message);
      }
      const match = /\/referrals\/([A-Za-z0-9-]{1,100})\/?$/.exec(payload.ResourceUri);
      if (!match) throw new BadRequest("ResourceUri does not name a referral (…/referrals/{id}).", "ResourceUri");
      const referralId = match[1]!;

      if (payload.EventName.startsWith("related-")) {
        // Microsoft's connected referral changed; what matters is our own referral in the same engagement.
        const ctx = { correlationId: env.newCorrelationId(), meter: { calls: 0 } };
        const related = await env.referrals.getReferral(referralId, ctx);
        const outcomes: string[] = [];
        if (related.engagementId) {
          const filter = `engagementId eq '${related.engagementId.replace(/'/g, "''")}'`;
          for await (const page of env.referrals.listAll({ filter }, ctx)) {
            for (const referral of page.value) {
              if (referral.id === related.id || !(await env.store.findForReferral(referral))) continue;
              outcomes.push(
                (await applyFromPartnerCenter(env, { referralId: referral.id, referral, trigger: "pc-webhook" }))
                  .outcome,
              );
            }
          }
        }
        await countPartnerCenterCalls(env.quota, env.clock(), ctx.meter.calls, `related referral ${referralId}`);
        return { outcome: outcomes.length > 0 ? outcomes.join(",") : "ignored" };
      }
      const result = await applyFromPartnerCenter(env, {
        referralId,
        trigger: "pc-webhook",
        changedAt: payload.ResourceChangeUtcDate,
      });
      return { outcome: result.outcome, opportunityId: result.opportunityId, correlationId: result.correlationId };
    },
  );
}
