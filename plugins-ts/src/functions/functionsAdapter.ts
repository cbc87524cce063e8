import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { FastifyInstance } from "fastify";

/**
 * The Azure Functions shape of the proxy (v4 Node programming model). Each invocation is handed to the same
 * fastify app the Node server runs, in-process (no socket), so routes, schemas, authentication and error
 * bodies are identical in both shapes. The app is built once per worker and reused across invocations.
 */

const METHODS = ["GET", "POST", "OPTIONS"] as const;

export function createFunctionsHandler(buildApp: () => Promise<FastifyInstance>) {
  let ready: Promise<FastifyInstance> | null = null;
  const appOnce = () => {
    ready ??= buildApp().then(async (app) => {
      await app.ready();
      return app;
    });
    return ready;
  };

  return async function handle(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const app = await appOnce();
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const body =
      request.method === "GET" || request.method === "OPTIONS" ? undefined : Buffer.from(await request.arrayBuffer());
    const res = await app.inject({
      method: request.method as (typeof METHODS)[number],
      url: `${url.pathname}${url.search}`,
      headers,
      ...(body ? { payload: body } : {}),
    });
    if (res.statusCode >= 500) context.error(`proxy answered ${res.statusCode} for ${request.method} ${url.pathname}`);
    const outHeaders: Record<string, string> = {};
    for (const [key, value] of Object.entries(res.headers)) {
      if (value !== undefined && key !== "content-length" && key !== "transfer-encoding" && key !== "connection") {
        outHeaders[key] = Array.isArray(value) ? value.join(", ") : String(value);
      }
    }
    return { status: res.statusCode, headers: outHeaders, body: res.rawPayload };
  };
}

/** Registers the proxy with the Functions host: every /api/* route goes to the shared handler. */
export function registerProxyFunction(
  functionsApp: { http(name: string, options: object): void },
  buildApp: () => Promise<FastifyInstance>,
): void {
  functionsApp.http("referralProxy", {
    route: "{*path}",
    methods: [...METHODS],
    // Authentication is the proxy's own (bearer tokens, webhook secrets and signatures), not function keys.
    authLevel: "anonymous",
    handler: createFunctionsHandler(buildApp),
  });
}
