import type { FastifyError, FastifyReply } from "fastify";
import type { ProxyErrorBody } from "../../../domain";
import { AuthenticationError } from "../auth/callerAuthentication";
import { OpportunityNotFound } from "../sync/outboundSync";
import { isClassifiedFailure } from "../sync/syncPorts";

/** Maps anything a route can throw to one status and the documented error body; internals never leak. */

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly target?: string,
  ) {
    super(message);
    this.name = "BadRequest";
  }
}

export class WebhookRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookRefused";
  }
}

type Code = ProxyErrorBody["error"]["code"];

function send(reply: FastifyReply, status: number, code: Code, message: string, target?: string): FastifyReply {
  const body: ProxyErrorBody = { error: { code, message, ...(target ? { target } : {}) } };
  return reply.code(status).type("application/json").send(body);
}

export function replyWithError(reply: FastifyReply, error: unknown): FastifyReply {
  const fastifyError = error as Partial<FastifyError> & {
    validation?: { instancePath?: string; params?: { missingProperty?: string } }[];
  };
  if (fastifyError.validation) {
    const first = fastifyError.validation[0];
    const target = (first?.params?.missingProperty ?? first?.instancePath?.replace(/^\//, "")) || undefined;
    return send(reply, 400, "badRequest", fastifyError.message ?? "The request is not valid.", target);
  }
  if (fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return send(reply, 413, "payloadTooLarge", "The request body is too large.");
  if (fastifyError.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
    return send(reply, 415 as number, "badRequest", "Send the body as application/json.");
  if (error instanceof BadRequest) return send(reply, 400, "badRequest", error.message, error.target);
  if (error instanceof AuthenticationError)
    return send(reply, error.status, error.status === 401 ? "unauthorized" : "forbidden", error.message);
  if (error instanceof WebhookRefused) return send(reply, 401, "unauthorized", error.message);
  if (error instanceof OpportunityNotFound) return send(reply, 404, "notFound", error.message);
  if (typeof fastifyError.statusCode === "number" && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return send(reply, fastifyError.statusCode, "badRequest", fastifyError.message ?? "The request is not valid.");
  }
  if (isClassifiedFailure(error)) {
    switch (error.category) {
      case "forbidden":
        return send(reply, 403, "forbidden", "You may not change this opportunity (Dataverse refused the write).");
      case "notFound":
        return send(reply, 404, "notFound", error.message);
      case "throttled": {
        const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 30_000) / 1000));
        reply.header("Retry-After", String(seconds));
        return send(
          reply,
          429,
          "throttled",
          `Dataverse or Partner Center is throttling requests; try again in ${seconds} s.`,
        );
      }
      case "transient":
      case "auth":
      case "conflict":
        return send(reply, 503, "unavailable", `A service the proxy depends on is unavailable: ${error.message}`);
      default:
        break;
    }
  }
  reply.log.error({ err: error }, "unexpected error");
  return send(reply, 500, "internal", "The proxy failed unexpectedly; the attempt was not lost and can be retried.");
}
