import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { ApiError, badRequest, notFound } from "./apiError";
import type { EmulatorContext } from "./emulatorContext";
import { pemToDer } from "./signingCertificates";
import { SUPPORTED_EVENTS, type WebhookRegistration } from "./webhookDispatcher";

/**
 * The webhook registration API (partner-center-webhooks.md): /webhooks/v1/registration GET/POST/PUT,
 * /registration/events, /registration/validationEvents; and the certificate URL deliveries point to.
 * Request members are read case-insensitively (the docs send PascalCase; the registration model is camelCase);
 * answers use the PascalCase of the doc examples.
 */

export const CERTIFICATE_PATH = "/webhooks/certificates/pcnotifications.emulator.cer";

const registrationBody = {
  type: "object",
  additionalProperties: true,
} as const;

function member(body: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : body[key];
}

function readRegistration(body: unknown, subscriberId: string): WebhookRegistration {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("the body must be an object with WebhookUrl and WebhookEvents", "registration");
  }
  const b = body as Record<string, unknown>;
  const url = member(b, "WebhookUrl");
  const events = member(b, "WebhookEvents");
  const toHeader = member(b, "SignatureTokenToMsSignatureHeader");
  if (typeof url !== "string" || !/^https?:\/\/[^\s/]+/i.test(url)) {
    throw badRequest("WebhookUrl must be an absolute http(s) URL", "WebhookUrl");
  }
  if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === "string")) {
    throw badRequest("WebhookEvents must be a non-empty array of event names", "WebhookEvents");
  }
  const unknownEvent = events.find((e) => !SUPPORTED_EVENTS.includes(e as string));
  if (unknownEvent !== undefined) {
    throw badRequest(
      `${String(unknownEvent)} is not a supported event; see /webhooks/v1/registration/events`,
      "WebhookEvents",
    );
  }
  if (toHeader !== undefined && typeof toHeader !== "boolean") {
    throw badRequest("SignatureTokenToMsSignatureHeader must be a boolean", "SignatureTokenToMsSignatureHeader");
  }
  return {
    SubscriberId: subscriberId,
    WebhookUrl: url,
    WebhookEvents: [...new Set(events as string[])],
    SignatureTokenToMsSignatureHeader: toHeader === true,
  };
}

function answer(r: WebhookRegistration): Record<string, unknown> {
  return { SubscriberId: r.SubscriberId, WebhookUrl: r.WebhookUrl, WebhookEvents: r.WebhookEvents };
}

export function webhookRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const base = "/webhooks/v1/registration";

  app.get(`${base}/events`, async () => [...SUPPORTED_EVENTS]);

  app.get(base, async () => {
    const r = ctx.webhooks.registration;
    if (!r) throw notFound("no webhook registration exists", "registration");
    // The doc's "view a registration" example answers WebhookUrl and WebhookEvents only.
    return { WebhookUrl: r.WebhookUrl, WebhookEvents: r.WebhookEvents };
  });

  app.post(base, { schema: { body: registrationBody } }, async (req) => {
    if (ctx.webhooks.registration) {
      throw new ApiError(409, "invalidRequest", "a registration already exists; update it with PUT", "registration");
    }
    ctx.webhooks.registration = readRegistration(req.body, ctx.store.organization.organizationId);
    ctx.persist();
    return answer(ctx.webhooks.registration);
  });

  app.put(base, { schema: { body: registrationBody } }, async (req) => {
    const current = ctx.webhooks.registration;
    if (!current) throw notFound("no webhook registration exists; create it with POST", "registration");
    ctx.webhooks.registration = readRegistration(req.body, current.SubscriberId);
    ctx.persist();
    return answer(ctx.webhooks.registration);
  });

  app.delete(base, async (_req, reply) => {
    if (!ctx.webhooks.registration) throw notFound("no webhook registration exists", "registration");
    ctx.webhooks.registration = null;
    ctx.persist();
    return reply.code(204).send();
  });

  app.post(`${base}/validationEvents`, async () => {
    const r = ctx.webhooks.registration;
    if (!r?.WebhookEvents.includes("test-created")) {
      throw badRequest("register for the test-created event before requesting a validation event", "WebhookEvents");
    }
    const correlationId = randomUUID();
    const delivery = ctx.webhooks.emit(
      "test-created",
      `${ctx.baseUrl()}${base}/validationEvents/${correlationId}`,
      ctx.now().toISOString(),
    );
    ctx.validationEvents.set(correlationId, delivery?.id ?? "");
    return { correlationId };
  });

  app.get(`${base}/validationEvents/:correlationId`, async (req) => {
    const { correlationId } = req.params as { correlationId: string };
    const deliveryId = ctx.validationEvents.get(correlationId);
    if (deliveryId === undefined) throw notFound(`no validation event ${correlationId}`, "correlationId");
    const d = ctx.webhooks.deliveries().find((x) => x.id === deliveryId);
    return {
      correlationId,
      partnerId: ctx.store.organization.organizationId,
      status: d?.state === "pending" ? "inProgress" : "completed",
      callbackUrl: d?.url ?? ctx.webhooks.registration?.WebhookUrl ?? "",
      results: (d?.attempts ?? []).map((a) => ({
        responseCode: a.status === undefined ? "" : String(a.status),
        responseMessage: a.error ?? "",
        systemError: a.error !== undefined,
        dateTimeUtc: a.at,
      })),
    };
  });
}

/** The certificate URL: the signing certificate as DER, like Partner Center's `.cer`. Public, no token. */
export function certificateRoute(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get(CERTIFICATE_PATH, async (_req, reply) =>
    reply.header("Content-Type", "application/pkix-cert").send(pemToDer(ctx.webhooks.signing.leafCertificatePem)),
  );
}
