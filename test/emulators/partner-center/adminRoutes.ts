import type { FastifyInstance } from "fastify";
import { ApiError, badRequest, notFound } from "./apiError";
import type { EmulatorContext } from "./emulatorContext";
import type { FaultConfig, OneShotFault } from "./faultInjection";
import { checkReferral, stampStatusDates } from "./referralRoutes";
import { transitionProblem } from "./referralRules";
import { deepClone, type Referral } from "./referralStore";
import { CERTIFICATE_PATH } from "./webhookRoutes";

/**
 * The "Microsoft side" and test controls, under /admin. Not part of Partner Center: no token, no quota, no faults.
 * Each Microsoft action goes through the same transition table and fires the same webhooks as the API.
 */

const MICROSOFT = { organizationId: "msft", organizationName: "Microsoft" };

function found(ctx: EmulatorContext, id: string): Referral {
  const r = ctx.store.get(id);
  if (!r) throw notFound(`referral ${id} does not exist`, "id");
  return r;
}

/** Applies a Microsoft-side change through the transition table; 409 when Partner Center would not allow it. */
function microsoftUpdate(ctx: EmulatorContext, id: string, change: (r: Referral) => void): Referral {
  const current = found(ctx, id);
  if (current.status === "Closed") {
    throw new ApiError(
      409,
      "invalidRequest",
      `referral is Closed/${String(current.substatus)}; it cannot change`,
      "status",
    );
  }
  const next = deepClone(current);
  change(next);
  const problem = transitionProblem(
    { status: String(current.status ?? "None"), substatus: String(current.substatus ?? "None") },
    { status: String(next.status ?? "None"), substatus: String(next.substatus ?? "None") },
  );
  if (problem) throw new ApiError(409, "invalidRequest", problem, "status");
  checkReferral(next, null);
  stampStatusDates(current, next, ctx.store.clock.next());
  const updated = ctx.store.replace(id, next);
  ctx.announce("updated", updated);
  return updated;
}

const idParams = { type: "object", required: ["id"], properties: { id: { type: "string", minLength: 1 } } } as const;

const faultSchema = {
  type: "object",
  required: ["kind"],
  additionalProperties: false,
  properties: {
    kind: { enum: ["status", "drop", "lostAnswer", "latency", "slowBody"] },
    method: { type: "string", enum: ["GET", "POST", "PATCH", "PUT", "DELETE"] },
    pathPrefix: { type: "string", pattern: "^/" },
    status: { type: "integer", minimum: 400, maximum: 599 },
    retryAfterSeconds: { type: "integer", minimum: 0 },
    latencyMs: { type: "integer", minimum: 0, maximum: 600000 },
    slowBodyMs: { type: "integer", minimum: 0, maximum: 600000 },
    times: { type: "integer", minimum: 1 },
  },
} as const;

const configSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    newReferralStatus: { enum: ["asSent", "accepted"] },
    throttle: {
      type: "object",
      additionalProperties: false,
      properties: {
        requestsPerSecond: { type: ["integer", "null"], minimum: 1 },
        rateLimitRetryAfterSeconds: { type: "integer", minimum: 0 },
        dailyQuota: { type: ["integer", "null"], minimum: 0 },
      },
    },
    faults: {
      type: "object",
      additionalProperties: false,
      properties: {
        latencyMs: {
          type: ["object", "null"],
          required: ["min", "max"],
          properties: {
            min: { type: "number", minimum: 0 },
            max: { type: "number", minimum: 0 },
            distribution: { enum: ["uniform", "exponential"] },
          },
        },
        errorRates: {
          type: "object",
          propertyNames: { pattern: "^[45][0-9][0-9]$" },
          additionalProperties: { type: "number", minimum: 0, maximum: 1 },
        },
        errorRetryAfterSeconds: { type: ["integer", "null"], minimum: 0 },
        dropRate: { type: "number", minimum: 0, maximum: 1 },
        lostAnswerRate: { type: "number", minimum: 0, maximum: 1 },
        slowBodyMs: { type: "integer", minimum: 0 },
        seed: { type: "integer" },
      },
    },
    delivery: {
      type: "object",
      additionalProperties: false,
      properties: {
        maxAttempts: { type: "integer", minimum: 1, maximum: 100 },
        backoffBaseMs: { type: "integer", minimum: 0 },
        backoffMaxMs: { type: "integer", minimum: 0 },
        timeoutMs: { type: "integer", minimum: 1 },
      },
    },
  },
} as const;

export function adminRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get("/admin/referrals", async () => ({ value: ctx.store.snapshot() }));

  app.get("/admin/referrals/:id", { schema: { params: idParams } }, async (req) =>
    found(ctx, (req.params as { id: string }).id),
  );

  /** A referral Microsoft shares with the partner (inbound), New/Pending until the partner acts. */
  app.post("/admin/referrals", async (req, reply) => {
    const body = req.body;
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw badRequest("the body must be a Referral", "referral");
    const fields: Referral = deepClone(body as Referral);
    for (const k of [
      "id",
      "eTag",
      "createdDateTime",
      "updatedDateTime",
      "links",
      "organizationId",
      "organizationName",
    ]) {
      delete fields[k];
    }
    fields.type ??= "Shared";
    fields.qualification ??= "SalesQualified";
    fields.status ??= "New";
    fields.substatus ??= "Pending";
    fields.inviteContext = { ...((fields.inviteContext as Referral | undefined) ?? {}), invitedBy: MICROSOFT };
    fields.direction = "Incoming";
    checkReferral(fields, null);
    const created = ctx.store.create(fields);
    ctx.announce("created", created);
    return reply.code(201).send(created);
  });

  app.post("/admin/referrals/:id/accept", { schema: { params: idParams } }, async (req) => {
    const body = (req.body ?? {}) as { microsoftMsxId?: unknown };
    if (body.microsoftMsxId !== undefined && typeof body.microsoftMsxId !== "string") {
      throw badRequest("microsoftMsxId must be a string", "microsoftMsxId");
    }
    return microsoftUpdate(ctx, (req.params as { id: string }).id, (r) => {
      r.status = "Active";
      r.substatus = "Accepted";
      if (typeof body.microsoftMsxId === "string")
        r.trackingInfo = { ...(r.trackingInfo as object), microsoftMsxId: body.microsoftMsxId };
    });
  });

  app.post("/admin/referrals/:id/decline", { schema: { params: idParams } }, async (req) => {
    const reason = (req.body as { reason?: unknown } | undefined)?.reason;
    return microsoftUpdate(ctx, (req.params as { id: string }).id, (r) => {
      r.status = "Closed";
      r.substatus = "Declined";
      if (typeof reason === "string") r.statusReason = reason;
    });
  });

  app.post("/admin/referrals/:id/expire", { schema: { params: idParams } }, async (req) =>
    microsoftUpdate(ctx, (req.params as { id: string }).id, (r) => {
      r.status = "Closed";
      r.substatus = "Expired";
    }),
  );

  app.post(
    "/admin/referrals/:id/close",
    {
      schema: {
        params: idParams,
        body: {
          type: "object",
          required: ["outcome"],
          additionalProperties: false,
          properties: { outcome: { enum: ["Won", "Lost"] }, reason: { type: "string" } },
        },
      },
    },
    async (req) => {
      const { outcome, reason } = req.body as { outcome: "Won" | "Lost"; reason?: string };
      return microsoftUpdate(ctx, (req.params as { id: string }).id, (r) => {
        r.status = "Closed";
        r.substatus = outcome;
        if (reason !== undefined) r.statusReason = reason;
      });
    },
  );

  app.patch(
    "/admin/referrals/:id/details",
    {
      schema: {
        params: idParams,
        body: {
          type: "object",
          additionalProperties: false,
          minProperties: 1,
          properties: {
            dealValue: { type: "number", minimum: 0 },
            currency: { type: "string" },
            notes: { type: "string" },
            closingDateTime: { type: "string" },
          },
        },
      },
    },
    async (req) => {
      const change = req.body as Record<string, unknown>;
      return microsoftUpdate(ctx, (req.params as { id: string }).id, (r) => {
        r.details = { ...((r.details as Referral | undefined) ?? {}), ...change };
      });
    },
  );

  app.put(
    "/admin/referrals/:id/tracking",
    {
      schema: {
        params: idParams,
        body: {
          type: "object",
          required: ["microsoftMsxId"],
          additionalProperties: false,
          properties: { microsoftMsxId: { type: "string", minLength: 1 } },
        },
      },
    },
    async (req) => {
      const { microsoftMsxId } = req.body as { microsoftMsxId: string };
      return microsoftUpdate(ctx, (req.params as { id: string }).id, (r) => {
        r.trackingInfo = { ...((r.trackingInfo as Referral | undefined) ?? {}), microsoftMsxId };
      });
    },
  );

  app.post("/admin/reset", async (_req, reply) => {
    ctx.store.clear();
    ctx.webhooks.registration = null;
    ctx.webhooks.clear();
    ctx.throttle.resetUsage();
    ctx.faults.clear();
    ctx.validationEvents.clear();
    ctx.persist();
    return reply.code(204).send();
  });

  app.get("/admin/config", async () => ({
    newReferralStatus: ctx.newReferralStatus,
    throttle: ctx.throttle.config,
    faults: ctx.faults.config,
    delivery: ctx.webhooks.config,
  }));

  app.patch("/admin/config", { schema: { body: configSchema } }, async (req) => {
    const b = req.body as {
      newReferralStatus?: "asSent" | "accepted";
      throttle?: Partial<typeof ctx.throttle.config>;
      faults?: Partial<FaultConfig>;
      delivery?: Partial<typeof ctx.webhooks.config>;
    };
    if (b.faults?.latencyMs && b.faults.latencyMs.min > b.faults.latencyMs.max) {
      throw badRequest("latencyMs.min must not exceed latencyMs.max", "/faults/latencyMs");
    }
    if (b.newReferralStatus) ctx.newReferralStatus = b.newReferralStatus;
    if (b.throttle) ctx.throttle.config = { ...ctx.throttle.config, ...b.throttle };
    if (b.faults) ctx.faults.config = { ...ctx.faults.config, ...b.faults };
    if (b.delivery) ctx.webhooks.config = { ...ctx.webhooks.config, ...b.delivery };
    return {
      newReferralStatus: ctx.newReferralStatus,
      throttle: ctx.throttle.config,
      faults: ctx.faults.config,
      delivery: ctx.webhooks.config,
    };
  });

  app.post("/admin/faults", { schema: { body: faultSchema } }, async (req, reply) => {
    const f = req.body as OneShotFault;
    if (f.kind === "status" && f.status === undefined) throw badRequest("a status fault needs status", "status");
    ctx.faults.enqueue(f);
    return reply.code(201).send({ pending: ctx.faults.pending() });
  });

  app.get("/admin/faults", async () => ({ pending: ctx.faults.pending() }));

  app.delete("/admin/faults", async (_req, reply) => {
    ctx.faults.clear();
    return reply.code(204).send();
  });

  app.get("/admin/quota", async () => ctx.throttle.usage());

  app.get("/admin/webhooks/deliveries", async () => ({ value: ctx.webhooks.deliveries() }));
  app.get("/admin/webhooks/undelivered", async () => ({ value: ctx.webhooks.undelivered() }));
  app.post("/admin/webhooks/idle", async () => {
    await ctx.webhooks.whenIdle();
    return { value: ctx.webhooks.deliveries().length };
  });

  app.get("/admin/webhooks/trust", async () => ({
    rootCertificatePem: ctx.webhooks.signing.rootCertificatePem,
    certificateUrl: `${ctx.baseUrl()}${CERTIFICATE_PATH}`,
    issuerOrganization: "Microsoft Corporation",
  }));
}
