import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import Fastify, { type FastifyInstance } from "fastify";
import { FaultInjector, validateFaultRule, type FaultRule } from "./faults";
import { API_PATH, DataverseService, type ApiResponse } from "./service";
import { loadSeed, readSeedFile, type SeedData } from "./seed";
import { Store, type StoreData } from "./store";
import type { Language } from "./values";
import { WebhookDispatcher, type Delivery } from "./webhooks";

/**
 * The Dataverse Web API emulator: a fastify server at /api/data/v9.2/ in front of DataverseService.
 * Tests start it on port 0; the sandbox starts it with a snapshot file so data survives a restart.
 */

export interface DataverseEmulatorOptions {
  port?: number;
  host?: string;
  /** Seed data, or a path to a seed JSON file; defaults to seed/seed.json. */
  seed?: SeedData | string;
  /** Sandbox persistence: loaded at start when present, rewritten after every change. */
  snapshotFile?: string;
  /** Bearer token → systemuserid; any other token is the integration (application) user. */
  tokens?: Record<string, string>;
  organizationHost?: string;
  webhookTimeoutMs?: number;
  /** Webhook payload limit (default 256 KB, as the platform); lower it to exercise the size-exceeded path. */
  webhookMaxPayloadBytes?: number;
  /** Browser origins allowed by CORS (the sandbox's form page runs dynamics-web-api in a browser); default any. */
  corsOrigins?: readonly string[] | "*";
  logger?: boolean;
}

export interface DataverseEmulator {
  /** Server root, e.g. http://127.0.0.1:50123 (the serverUrl for dynamics-web-api). */
  url: string;
  /** Web API root, ending in /api/data/v9.2/. */
  apiUrl: string;
  store: Store;
  /** Back to the seed (tests); also available as POST /emulator/reset. */
  reset(): void;
  /** Waits for queued async webhook deliveries. */
  webhooksIdle(): Promise<void>;
  deliveries: readonly Delivery[];
  /** HTTP requests served under the Web API root so far (a $batch counts once), for request-count checks. */
  requestCount(): number;
  /** Scripted failures (also POST/DELETE /emulator/faults). */
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  close(): Promise<void>;
}

interface Snapshot {
  data: StoreData;
  languages: Record<string, Language>;
}

export async function createDataverseEmulator(options: DataverseEmulatorOptions = {}): Promise<DataverseEmulator> {
  const seed = typeof options.seed === "object" ? options.seed : readSeedFile(options.seed);
  const seeded = (): Snapshot => loadSeed(seed);
  let initial: Snapshot = seeded();
  if (options.snapshotFile && existsSync(options.snapshotFile)) {
    initial = JSON.parse(readFileSync(options.snapshotFile, "utf8")) as Snapshot;
  }
  const store = new Store(initial.data);
  const languages = initial.languages;
  let apiUrl = "";
  let pendingWrite: NodeJS.Timeout | null = null;
  const persist = (): void => {
    if (!options.snapshotFile) return;
    const tmp = `${options.snapshotFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ data: store.data, languages } satisfies Snapshot));
    renameSync(tmp, options.snapshotFile);
  };
  const onChange = (): void => {
    if (!options.snapshotFile || pendingWrite) return;
    pendingWrite = setTimeout(() => {
      pendingWrite = null;
      persist();
    }, 50);
  };
  const webhooks = new WebhookDispatcher(() => store, {
    organizationName: "pcsemulator",
    organizationHost: options.organizationHost ?? "pcsemulator.crm.dynamics.com",
    timeoutMs: options.webhookTimeoutMs ?? 60_000,
    ...(options.webhookMaxPayloadBytes ? { maxPayloadBytes: options.webhookMaxPayloadBytes } : {}),
  });
  const service = new DataverseService(
    store,
    { tokens: options.tokens, baseUrl: () => apiUrl, languages, onChange },
    webhooks,
  );

  const app: FastifyInstance = Fastify({ logger: options.logger ?? false, bodyLimit: 32 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  const faults = new FaultInjector();
  const reset = (): void => {
    webhooks.detachPending();
    faults.clear();
    const fresh = seeded();
    store.restore(fresh.data);
    for (const key of Object.keys(languages)) delete languages[key];
    Object.assign(languages, fresh.languages);
    persist();
  };

  app.post("/emulator/reset", async (_req, reply) => {
    await webhooks.idle();
    reset();
    return reply.code(204).send();
  });
  app.get("/emulator/health", async () => ({ ok: true }));
  // CORS as Dataverse answers single-page apps: preflight, and the headers clients must be able to read.
  const cors = options.corsOrigins ?? "*";
  app.addHook("onRequest", async (req, reply) => {
    const origin = req.headers.origin;
    if (!origin || (cors !== "*" && !cors.includes(origin))) return;
    void reply.header("access-control-allow-origin", origin).header("vary", "Origin");
    void reply.header(
      "access-control-expose-headers",
      "Preference-Applied,OData-EntityId,Location,ETag,OData-Version,Content-Encoding,Transfer-Encoding,Content-Length,Retry-After",
    );
    if (req.method === "OPTIONS") {
      void reply
        .header("access-control-allow-methods", "GET,POST,PATCH,PUT,DELETE,OPTIONS")
        .header(
          "access-control-allow-headers",
          req.headers["access-control-request-headers"] ??
            "Authorization,Content-Type,Accept,OData-MaxVersion,OData-Version,Prefer,If-Match,If-None-Match,CallerObjectId,MSCRMCallerID",
        )
        .header("access-control-max-age", "600");
      return reply.code(204).send();
    }
  });

  app.post("/emulator/faults", async (req, reply) => {
    try {
      faults.add(validateFaultRule(JSON.parse(typeof req.body === "string" ? req.body : "null")));
      return reply.code(204).send();
    } catch (error) {
      return reply
        .code(400)
        .header("content-type", "application/json")
        .send(JSON.stringify({ error: { code: "0x80060888", message: (error as Error).message } }));
    }
  });
  app.delete("/emulator/faults", async (_req, reply) => {
    faults.clear();
    return reply.code(204).send();
  });

  // Writes run one at a time: a sync webhook or a change set may roll the store back to a snapshot,
  // which must not undo another request's write made meanwhile.
  let writeChain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = writeChain.then(work, work);
    writeChain = run.catch(() => undefined);
    return run;
  };

  let requests = 0;
  app.all(`${API_PATH}*`, async (req, reply) => {
    requests += 1;
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
    const path = req.url.slice(req.url.indexOf(API_PATH) + API_PATH.length);
    const fault = await faults.take(req.method, path);
    const request = { method: req.method, url: req.url, headers, body: typeof req.body === "string" ? req.body : "" };
    const response: ApiResponse =
      fault ?? (req.method === "GET" ? await service.handle(request) : await exclusive(() => service.handle(request)));
    void reply.code(response.status).headers(response.headers);
    return reply.send(response.body === "" ? undefined : response.body);
  });
  app.setNotFoundHandler((req, reply) => {
    return reply
      .code(404)
      .header("content-type", "application/json")
      .send(
        JSON.stringify({
          error: {
            code: "0x8006088a",
            message: `Resource not found: '${req.url}'. The Web API lives under ${API_PATH}.`,
          },
        }),
      );
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply
      .code(status)
      .header("content-type", "application/json")
      .send(JSON.stringify({ error: { code: "0x80060888", message: error.message } }));
  });

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  const url = address.replace("[::1]", "localhost");
  apiUrl = `${url}${API_PATH}`;
  return {
    url,
    apiUrl,
    store,
    reset,
    webhooksIdle: () => webhooks.idle(),
    requestCount: () => requests,
    injectFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    deliveries: webhooks.deliveries,
    close: async () => {
      await webhooks.idle();
      if (pendingWrite) {
        clearTimeout(pendingWrite);
        pendingWrite = null;
        persist();
      }
      await app.close();
    },
  };
}
