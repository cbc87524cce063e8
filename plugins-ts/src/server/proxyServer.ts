import cors from "@fastify/cors";
import Fastify, { type FastifyInstance } from "fastify";
import { registerDataverseWebhookRoute } from "./dataverseWebhookRoute";
import { replyWithError } from "./httpErrors";
import type { ProxyConfig } from "./proxyConfig";
import type { ProxyServices } from "./proxyServices";
import { registerPartnerCenterWebhookRoute } from "./partnerCenterWebhookRoute";
import { registerStatusRoutes } from "./statusRoutes";
import { registerSyncRoute } from "./syncRoute";
import { OpportunitySyncQueue } from "../sync/opportunitySyncQueue";

/** The referral proxy as a fastify app. `listen` is the caller's business (the CLI, tests, the sandbox). */
export async function buildProxyServer(
  config: Pick<ProxyConfig, "allowedOrigins" | "maxBodyBytes" | "dailyBudget" | "webhooks">,
  services: ProxyServices,
  options: { logger?: boolean } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.maxBodyBytes,
    trustProxy: true,
    // Fastify's defaults strip unknown members and coerce types; an API that refuses bad input must not.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });

  // Keep the exact bytes: Partner Center's signature covers the raw body, not a re-serialisation.
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body: Buffer, done) => {
    (req as unknown as { rawBody: Buffer }).rawBody = body;
    if (body.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body.toString("utf8")));
    } catch {
      const error = Object.assign(new Error("The body is not valid JSON."), { statusCode: 400 });
      done(error, undefined);
    }
  });

  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin === undefined || config.allowedOrigins.includes(origin)),
    methods: ["GET", "POST"],
    allowedHeaders: ["Authorization", "Content-Type"],
    maxAge: 600,
  });

  app.setErrorHandler((error, _req, reply) => replyWithError(reply, error));
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: "notFound", message: `No route ${req.method} ${req.url.split("?")[0]}.` } }),
  );

  // Form calls and Dataverse webhooks of one opportunity run one at a time, bursts folded (opportunitySyncQueue.ts).
  const syncQueue = new OpportunitySyncQueue();
  registerSyncRoute(app, services, syncQueue);
  registerDataverseWebhookRoute(app, services, config.webhooks.dataverseSecret, syncQueue);
  registerPartnerCenterWebhookRoute(app, services);
  registerStatusRoutes(app, services, config.dailyBudget);
  return app;
}
