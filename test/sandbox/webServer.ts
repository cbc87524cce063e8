import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { modelByLogicalName } from "../emulators/dataverse/model";
import { assertCanModify, resolveCaller } from "../emulators/dataverse/security";
import type { DataverseEmulator } from "../emulators/dataverse/server";
import { bundleBrowserCode, type BundleName } from "./browserBundles";
import { ARTIFACTS, CONTROLS, controlFile, type ControlName } from "./builtArtifacts";
import { renderFormPage } from "./pages/formPage";
import { renderListPage } from "./pages/listPage";
import { renderMicrosoftPage } from "./pages/microsoftPage";
import { renderRecordPage } from "./pages/recordPage";
import { DataverseWebApi } from "./pcfHost/dataverseWebApi";
import { forward } from "./requestForwarding";
import { resolveSession, type SandboxSession } from "./sandboxUsers";

/**
 * The sandbox web server: the opportunity list, the Opportunity form page, the Microsoft side page, the built
 * product files they host, and same-origin forwarding to the Dataverse emulator (as the chosen user) and to the
 * Partner Center emulator's admin API.
 */

export interface SandboxWebServerOptions {
  port: number;
  dataverse: DataverseEmulator;
  partnerCenterUrl: string;
}

export interface SandboxWebServer {
  url: string;
  /** The origins the pages are served from (for the proxy's CORS list). */
  origins: string[];
  close(): Promise<void>;
}

/** The sandbox server's own bearer token: the emulator's integration user, which may act on behalf of users. */
const SERVER_TOKEN = "sandbox-web-server";
const API_PREFIX = "/api/data/v9.2/";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".resx": "application/xml; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

function contentTypeOf(file: string): string {
  const ext = /\.[a-z]+$/i.exec(file)?.[0] ?? "";
  return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

async function sendFile(reply: FastifyReply, file: string): Promise<FastifyReply> {
  try {
    const body = await readFile(file);
    return reply.type(contentTypeOf(file)).header("Cache-Control", "no-cache").send(body);
  } catch {
    return reply
      .code(404)
      .type("text/plain; charset=utf-8")
      .send(`Not built: ${file}. Run npm start (it builds what is missing).`);
  }
}

function identityHeaders(session: SandboxSession): Record<string, string> {
  return { Authorization: `Bearer ${SERVER_TOKEN}`, CallerObjectId: session.user.aadObjectId };
}

export async function createSandboxWebServer(options: SandboxWebServerOptions): Promise<SandboxWebServer> {
  const bundles = await bundleBrowserCode();
  const css = await readFile(join(__dirname, "pages", "sandbox.css"), "utf8");
  const app = Fastify({ logger: false, bodyLimit: 20 * 1024 * 1024 });
  // Forwarded requests keep their bodies byte for byte.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  let origin = "";
  const session = (req: FastifyRequest, reply: FastifyReply): SandboxSession | null => {
    try {
      const s = resolveSession(req.query as Record<string, unknown>, req.headers.cookie);
      if (s.setCookies.length > 0) reply.header("Set-Cookie", s.setCookies);
      return s;
    } catch (error) {
      void reply
        .code(400)
        .type("text/plain; charset=utf-8")
        .send(error instanceof Error ? error.message : String(error));
      return null;
    }
  };
  const serverWebApi = (s: SandboxSession) =>
    new DataverseWebApi({ apiRoot: options.dataverse.apiUrl, headers: identityHeaders(s) });

  app.get("/", async (req, reply) => {
    const s = session(req, reply);
    if (!s) return reply;
    return reply.type("text/html; charset=utf-8").send(await renderListPage(s, serverWebApi(s)));
  });

  app.get("/opportunity/:id", async (req, reply) => {
    const s = session(req, reply);
    if (!s) return reply;
    const id = (req.params as { id: string }).id;
    if (!GUID.test(id)) {
      return reply.code(400).type("text/plain; charset=utf-8").send(`'${id}' is not an opportunity id (a GUID).`);
    }
    return reply.type("text/html; charset=utf-8").send(renderFormPage(s, id.toLowerCase()));
  });

  app.get("/sandbox/record/:table/:id", async (req, reply) => {
    const s = session(req, reply);
    if (!s) return reply;
    const { table, id } = req.params as { table: string; id: string };
    if (!/^[a-z_]+$/.test(table) || !GUID.test(id))
      return reply.code(400).send("Expected /sandbox/record/<table>/<GUID>.");
    return reply.type("text/html; charset=utf-8").send(await renderRecordPage(s, serverWebApi(s), table, id));
  });

  app.get("/microsoft", async (req, reply) => {
    const s = session(req, reply);
    if (!s) return reply;
    return reply.type("text/html; charset=utf-8").send(renderMicrosoftPage(s, null));
  });
  // The referral link the proxy writes on the opportunity (the "Partner Center portal" of the sandbox).
  app.get("/microsoft/referrals/:id", async (req, reply) => {
    const s = session(req, reply);
    if (!s) return reply;
    return reply
      .type("text/html; charset=utf-8")
      .send(renderMicrosoftPage(s, decodeURIComponent((req.params as { id: string }).id)));
  });

  // An empty page with the PCF host loaded (window.PcsPcfHost), for benchmarks that mount a control themselves.
  app.get("/pcf-host", async (_req, reply) =>
    reply
      .type("text/html; charset=utf-8")
      .send(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PCF host</title></head><body><main><div id="pcf-container" class="pcf-slot" style="width:1000px"></div></main><script src="/assets/pcfHost.js"></script></body></html>',
      ),
  );
  app.get("/favicon.ico", async (_req, reply) => reply.code(204).send());
  app.get("/assets/sandbox.css", async (_req, reply) => reply.type("text/css; charset=utf-8").send(css));
  app.get("/assets/:name", async (req, reply) => {
    const body = bundles.get((req.params as { name: string }).name as BundleName);
    if (!body) return reply.code(404).send("No such asset.");
    return reply.type("text/javascript; charset=utf-8").header("Cache-Control", "no-cache").send(body);
  });
  app.get("/vendor/react.js", async (_req, reply) => sendFile(reply, ARTIFACTS.react));
  app.get("/vendor/react-dom.js", async (_req, reply) => sendFile(reply, ARTIFACTS.reactDom));
  app.get("/vendor/fluent.js", async (_req, reply) => sendFile(reply, ARTIFACTS.fluent));

  app.get("/controls/:control/*", async (req, reply) => {
    const { control, "*": rest } = req.params as { control: string; "*": string };
    if (
      !CONTROLS.includes(control as ControlName) ||
      !/^(bundle\.js|ControlManifest\.xml|strings\/[\w.]+\.resx)$/.test(rest)
    ) {
      return reply.code(404).send("No such control file.");
    }
    return sendFile(reply, controlFile(control as ControlName, rest));
  });
  // Web resources at the path a model-driven app serves them from (the controls' default URLs point there).
  app.get("/WebResources/*", async (req, reply) => {
    const rest = (req.params as { "*": string })["*"];
    if (!/^[\w-]+(\/[\w.-]+)+$/.test(rest) || rest.includes("..")) return reply.code(404).send("No such web resource.");
    for (const base of [ARTIFACTS.webResources, ARTIFACTS.controlWebResources]) {
      const file = join(base, ...rest.split("/"));
      if (existsSync(file)) return sendFile(reply, file);
    }
    return reply.code(404).type("text/plain; charset=utf-8").send(`No built web resource ${rest}.`);
  });

  /**
   * Whether the current user may write a row: what a real form learns from RetrievePrincipalAccess, answered
   * by the emulator's own security rules (the same check its Web API applies to a PATCH).
   */
  app.get("/sandbox/access/:table/:id", async (req, reply) => {
    const s = session(req, reply);
    if (!s) return reply;
    const { table, id } = req.params as { table: string; id: string };
    const store = options.dataverse.store;
    const row = GUID.test(id) ? store.get(table, id.toLowerCase()) : undefined;
    if (!row) return reply.code(404).send({ error: { message: `No ${table} with id ${id}.` } });
    try {
      const caller = resolveCaller(
        store,
        { authorization: `Bearer ${SERVER_TOKEN}`, callerobjectid: s.user.aadObjectId },
        {},
        {},
      );
      assertCanModify(caller, modelByLogicalName(table).table, row, "Write");
      return { canWrite: true, reason: null };
    } catch (error) {
      return { canWrite: false, reason: error instanceof Error ? error.message : String(error) };
    }
  });

  app.all(`${API_PREFIX}*`, async (req, reply) => {
    const s = session(req, reply);
    if (!s) return reply;
    const target = `${options.dataverse.url}${req.url}`;
    const answer = await forward(
      { method: req.method, url: req.url, headers: req.headers, body: req.body as Buffer | undefined },
      target,
      identityHeaders(s),
      { from: options.dataverse.url, to: `http://${req.headers.host ?? new URL(origin).host}` },
    );
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });

  app.all("/pc-admin/*", async (req, reply) => {
    const rest = req.url.slice("/pc-admin/".length);
    const answer = await forward(
      { method: req.method, url: req.url, headers: req.headers, body: req.body as Buffer | undefined },
      `${options.partnerCenterUrl}/admin/${rest}`,
      {},
      null,
    );
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });

  const address = await app.listen({ port: options.port, host: "127.0.0.1" });
  origin = address;
  const port = new URL(address).port;
  return {
    url: address,
    origins: [address, `http://localhost:${port}`],
    close: () => app.close(),
  };
}
