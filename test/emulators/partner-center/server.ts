import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { AccountDirectory, accountAdminRoutes, accountRoleRoutes, type AccountUser } from "./accountRoles";
import { adminRoutes } from "./adminRoutes";
import { ApiError } from "./apiError";
import { authenticate, DEFAULT_AUTH, REFERRALS_AUDIENCE, WEBHOOKS_AUDIENCE, type AuthConfig } from "./authentication";
import type { EmulatorContext } from "./emulatorContext";
import { DEFAULT_FAULTS, FaultInjector, type ChosenFault, type FaultConfig } from "./faultInjection";
import { referralRoutes } from "./referralRoutes";
import { ReferralStore, type PartnerOrganization, type Referral } from "./referralStore";
import { generateSigningMaterial, type SigningMaterial } from "./signingCertificates";
import { loadState, saveState } from "./statePersistence";
import { DEFAULT_THROTTLE, Throttle, type ThrottleConfig } from "./throttling";
import { MonotonicClock } from "./timestamps";
import { DEFAULT_DELIVERY, WebhookDispatcher, type DeliveryConfig } from "./webhookDispatcher";
import { certificateRoute, webhookRoutes } from "./webhookRoutes";

/**
 * A Partner Center emulator on one port: the Referrals API, the webhook registration API, the signing
 * certificate URL and an /admin API. Start it on port 0 in tests: `const pc = await createPartnerCenterEmulator()`.
 */

export interface PartnerCenterEmulatorOptions {
  port?: number;
  host?: string;
  organization?: PartnerOrganization;
  newReferralStatus?: "asSent" | "accepted";
  throttle?: Partial<ThrottleConfig>;
  faults?: Partial<FaultConfig>;
  delivery?: Partial<DeliveryConfig>;
  auth?: Partial<AuthConfig>;
  /** Referrals per list page. Partner Center pages at 100; change it only to test paging itself. */
  pageSize?: number;
  /** JSON file to keep state in across restarts. */
  persistPath?: string;
  /** Reuse a signing chain (otherwise generated, or loaded from persistPath). */
  signing?: SigningMaterial;
  now?: () => Date;
  logger?: boolean;
  /** Users of the partner account and their roles (default: one Referrals admin integration user). */
  accountUsers?: AccountUser[];
}

export interface PartnerCenterEmulator {
  baseUrl: string;
  app: FastifyInstance;
  context: EmulatorContext;
  /** Users of the partner account and their roles (GET /v1/roles/{id}/usermembers). */
  accounts: AccountDirectory;
  /** The root certificate webhook verifiers must trust, and the certificate URL deliveries name. */
  trust: { rootCertificatePem: string; certificateUrl: string };
  close(): Promise<void>;
}

const faultsOf = new WeakMap<FastifyRequest, ChosenFault[]>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function dribble(payload: string | Buffer, overMs: number): Readable {
  const buf = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const chunks = 10;
  const size = Math.max(1, Math.ceil(buf.length / chunks));
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= buf.length) return void this.push(null);
      const chunk = buf.subarray(offset, offset + size);
      const firstChunk = offset === 0;
      offset += size;
      // The status line and the first bytes go out at once, as from a slow real server.
      if (firstChunk) return void this.push(chunk);
      // The client may have gone (a test kills it mid-answer): a destroyed stream must not be pushed to.
      setTimeout(() => {
        if (!this.destroyed) this.push(chunk);
      }, overMs / chunks);
    },
  });
}

function sendError(reply: FastifyReply, e: ApiError): FastifyReply {
  reply.code(e.statusCode).headers(e.headers);
  const throttleBody = (e as ApiError & { throttleBody?: unknown }).throttleBody;
  return reply.send(throttleBody ?? e.body());
}

export async function createPartnerCenterEmulator(
  options: PartnerCenterEmulatorOptions = {},
): Promise<PartnerCenterEmulator> {
  const now = options.now ?? (() => new Date());
  const persisted = options.persistPath ? loadState(options.persistPath) : null;
  const signing = options.signing ?? persisted?.signing ?? generateSigningMaterial(now());
  let baseUrl = "";
  const organization = options.organization ?? {
    organizationId: "0b1b0c2d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    organizationName: "Contoso Partner (emulated)",
  };
  const accounts = new AccountDirectory(options.accountUsers);
  const store = new ReferralStore(new MonotonicClock(now), () => baseUrl, organization);
  const webhooks = new WebhookDispatcher(
    signing,
    () => `${baseUrl}/webhooks/certificates/pcnotifications.emulator.cer`,
    { ...DEFAULT_DELIVERY, ...options.delivery },
    now,
  );
  if (persisted) {
    store.load(persisted.referrals);
    webhooks.registration = persisted.registration;
    webhooks.restoreUndelivered(persisted.undelivered);
  }

  let saveScheduled = false;
  const persistNow = () => {
    if (!options.persistPath) return;
    saveState(options.persistPath, {
      version: 1,
      referrals: store.snapshot(),
      registration: webhooks.registration,
      undelivered: webhooks.undelivered(),
      signing,
    });
  };

  const ctx: EmulatorContext = {
    store,
    throttle: new Throttle({ ...DEFAULT_THROTTLE, ...options.throttle }, now),
    faults: new FaultInjector({ ...DEFAULT_FAULTS, ...options.faults }),
    webhooks,
    auth: { ...DEFAULT_AUTH, ...options.auth },
    newReferralStatus: options.newReferralStatus ?? "asSent",
    pageSize: options.pageSize ?? 100,
    validationEvents: new Map(),
    baseUrl: () => baseUrl,
    now,
    persist() {
      if (!options.persistPath || saveScheduled) return;
      saveScheduled = true;
      setImmediate(() => {
        saveScheduled = false;
        persistNow();
      });
    },
    announce(kind: "created" | "updated", referral: Referral) {
      // ResourceUri has the documented shape {baseURL}/engagements/v1/referrals/{id}, not the API path.
      const uri = `${baseUrl}/engagements/v1/referrals/${String(referral.id)}`;
      const at = String(referral.updatedDateTime);
      webhooks.emit(`referral-${kind}`, uri, at);
      const related = [...store.all()].some((r) => r.id !== referral.id && r.engagementId === referral.engagementId);
      if (related) webhooks.emit(`related-referral-${kind}`, uri, at);
      ctx.persist();
    },
  };

  // forceCloseConnections: a close must not wait for connections the fault injector left half-open.
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024, forceCloseConnections: true });
  // Only JSON bodies: anything else is 415, as the API "consumes application/json".
  app.removeContentTypeParser("text/plain");
  // JSON Patch bodies may come as application/json-patch+json.
  app.addContentTypeParser(
    "application/json-patch+json",
    { parseAs: "string" },
    app.getDefaultJsonParser("error", "error"),
  );

  app.setErrorHandler((error: FastifyError | ApiError, _req, reply) => {
    if (error instanceof ApiError) return sendError(reply, error);
    const fe = error as FastifyError;
    if (fe.validation) {
      const v = fe.validation[0];
      const target =
        (v?.params as { missingProperty?: string } | undefined)?.missingProperty ??
        (v?.instancePath ? v.instancePath : (fe.validationContext ?? "request"));
      return sendError(reply, new ApiError(400, "invalidRequest", fe.message, String(target)));
    }
    const status = fe.statusCode ?? 500;
    if (status === 415)
      return sendError(
        reply,
        new ApiError(415, "invalidRequest", "Content-Type must be application/json", "Content-Type"),
      );
    if (status < 500) return sendError(reply, new ApiError(status, "invalidRequest", fe.message, "request"));
    app.log.error(error);
    return sendError(reply, new ApiError(500, "generalException", "internal error in the emulator", "request"));
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, new ApiError(404, "itemNotFound", `no resource at ${req.method} ${req.url.split("?")[0]}`, "url")),
  );

  /** Hooks of the Partner Center routes: request ids, faults, bearer token, throttling; lost and slow answers. */
  const partnerCenterScope = (audience: string, metered: boolean) => async (api: FastifyInstance) => {
    api.addHook("onRequest", async (req, reply) => {
      reply.header("request-id", randomUUID());
      const clientRequestId = req.headers["client-request-id"];
      if (typeof clientRequestId === "string") reply.header("client-request-id", clientRequestId);
      const correlation = req.headers["ms-correlationid"];
      reply.header("MS-CorrelationId", typeof correlation === "string" ? correlation : randomUUID());

      const chosen = ctx.faults.choose(req.method, req.url.split("?")[0] ?? "");
      faultsOf.set(req, chosen);
      for (const f of chosen) {
        if (f.kind === "drop") {
          reply.hijack();
          req.raw.socket.destroy();
          return;
        }
        if (f.kind === "status" && f.status) {
          const retryAfter = f.retryAfterSeconds ?? null;
          const headers: Record<string, string> = retryAfter === null ? {} : { "Retry-After": String(retryAfter) };
          const e =
            f.status === 429
              ? Object.assign(new ApiError(429, "serviceNotAvailable", "Rate limit is exceeded.", "", headers), {
                  throttleBody: {
                    statusCode: 429,
                    message: `Rate limit is exceeded. Try again in ${retryAfter ?? 1} seconds.`,
                  },
                })
              : new ApiError(
                  f.status,
                  f.status >= 500 ? "serviceNotAvailable" : "invalidRequest",
                  `injected ${f.status}`,
                  "",
                  headers,
                );
          return sendError(reply, e);
        }
      }
      authenticate(req.headers.authorization, ctx.auth, audience, now());
      if (metered) ctx.throttle.admit();
    });
    // Latency after the body is in: a client that gives up meanwhile leaves the work to be done, as in reality.
    api.addHook("preHandler", async (req) => {
      for (const f of faultsOf.get(req) ?? []) if (f.kind === "latency" && f.latencyMs) await sleep(f.latencyMs);
    });
    api.addHook("onSend", async (req, reply, payload) => {
      const chosen = faultsOf.get(req) ?? [];
      if (chosen.some((f) => f.kind === "lostAnswer")) {
        // The work is done (a write is stored); only the answer is lost.
        req.raw.socket.destroy();
        return payload;
      }
      const slow = chosen.find((f) => f.kind === "slowBody");
      if (slow && (typeof payload === "string" || Buffer.isBuffer(payload))) {
        reply.removeHeader("content-length");
        return dribble(payload, slow.slowBodyMs ?? 0);
      }
      return payload;
    });
    if (audience === REFERRALS_AUDIENCE) referralRoutes(api, ctx);
    else {
      webhookRoutes(api, ctx);
      accountRoleRoutes(api, accounts);
    }
  };

  await app.register(partnerCenterScope(REFERRALS_AUDIENCE, true));
  await app.register(partnerCenterScope(WEBHOOKS_AUDIENCE, false));
  await app.register(async (open) => {
    certificateRoute(open, ctx);
    adminRoutes(open, ctx);
    accountAdminRoutes(open, accounts);
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("emulator did not bind a TCP port");
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";
  baseUrl = `http://${host}:${address.port}`;
  if (persisted) {
    // Links were written with the previous base URL.
    for (const r of store.snapshot()) {
      const id = String(r.id);
      const base = `${baseUrl}/v1.0/engagements/referrals`;
      r.links = {
        self: { uri: `${base}/${id}`, method: "GET" },
        relatedReferrals: { uri: `${base}?$filter=engagementId eq '${String(r.engagementId)}'`, method: "GET" },
      };
    }
  }
  persistNow();

  return {
    baseUrl,
    app,
    context: ctx,
    accounts,
    trust: {
      rootCertificatePem: signing.rootCertificatePem,
      certificateUrl: `${baseUrl}/webhooks/certificates/pcnotifications.emulator.cer`,
    },
    async close() {
      webhooks.close();
      persistNow();
      await app.close();
    },
  };
}
