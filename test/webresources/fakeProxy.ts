import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { FORM_TRIGGERS, type ProxyErrorBody, type SyncRequest, type SyncResponse } from "../../domain/syncApi";

/**
 * A real HTTP server standing in for the referral proxy's `POST /api/sync` (domain/syncApi.ts) and the
 * sandbox's development issuer (`POST /dev/token`). It checks what the form sends against the contract and
 * answers with scripted behaviours, so the form script's fetch, timeouts and retries run for real.
 */

export type Behaviour =
  | { type: "json"; status: number; body: unknown; headers?: Record<string, string> }
  | { type: "hang" }
  | { type: "destroy" };

export interface RecordedSync {
  body: unknown;
  authorization: string | undefined;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function syncResponse(overrides: Partial<SyncResponse> = {}): SyncResponse {
  return {
    outcome: "created",
    syncState: "Synced",
    referralId: "7b0a4d2c-1111-4222-8333-944445555666",
    referralLink: "https://partner.microsoft.com/dashboard/referrals/v2/leads/7b0a4d2c-1111-4222-8333-944445555666",
    apiCalls: 1,
    correlationId: "corr-1",
    failures: [],
    message: null,
    nextRetryOn: null,
    ...overrides,
  };
}

export function errorBody(code: ProxyErrorBody["error"]["code"], message: string): ProxyErrorBody {
  return { error: { code, message } };
}

export class FakeProxy {
  readonly syncRequests: RecordedSync[] = [];
  readonly tokenRequests: unknown[] = [];
  /** Behaviours for the next sync requests, in order; afterwards `onSync` answers. */
  readonly syncQueue: Behaviour[] = [];
  tokenBehaviour: { status: number } | null = null;
  onSync: (request: SyncRequest) => Behaviour = () => ({ type: "json", status: 200, body: syncResponse() });
  /** Called when a sync request arrives (before answering). */
  onSyncArrived: (() => void) | null = null;
  private readonly issued = new Set<string>();
  private server: http.Server | null = null;
  private readonly hanging: http.ServerResponse[] = [];
  private tokenCount = 0;
  url = "";

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      req.on("end", () => this.handle(req, res, raw));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.length = 0;
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Answers the hanging requests (for "progress is shown while the call runs"). */
  release(behaviour: Behaviour = { type: "json", status: 200, body: syncResponse() }): void {
    for (const res of this.hanging.splice(0)) this.answer(res, behaviour);
  }

  private answer(res: http.ServerResponse, behaviour: Behaviour): void {
    if (behaviour.type === "hang") {
      this.hanging.push(res);
      return;
    }
    if (behaviour.type === "destroy") {
      res.destroy();
      return;
    }
    res.writeHead(behaviour.status, { "Content-Type": "application/json", ...(behaviour.headers ?? {}) });
    res.end(JSON.stringify(behaviour.body));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    let body: unknown = null;
    try {
      body = raw ? (JSON.parse(raw) as unknown) : null;
    } catch {
      body = raw;
    }
    if (req.method === "POST" && req.url === "/dev/token") {
      this.tokenRequests.push(body);
      if (this.tokenBehaviour)
        return this.answer(res, { type: "json", status: this.tokenBehaviour.status, body: { error: "server_error" } });
      const token = `dev-token-${++this.tokenCount}`;
      this.issued.add(token);
      return this.answer(res, {
        type: "json",
        status: 200,
        body: { access_token: token, token_type: "Bearer", expires_in: 3600 },
      });
    }
    if (req.method === "POST" && req.url === "/api/sync") {
      this.syncRequests.push({ body, authorization: req.headers.authorization });
      this.onSyncArrived?.();
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (!token || !this.issued.has(token)) {
        return this.answer(res, {
          type: "json",
          status: 401,
          body: errorBody("unauthorized", "The bearer token is missing or not valid."),
        });
      }
      const request = body as Partial<SyncRequest> | null;
      if (!request || typeof request.opportunityId !== "string" || !GUID.test(request.opportunityId)) {
        return this.answer(res, {
          type: "json",
          status: 400,
          body: errorBody("badRequest", "opportunityId must be a GUID"),
        });
      }
      if (!FORM_TRIGGERS.includes(request.trigger as never)) {
        return this.answer(res, {
          type: "json",
          status: 400,
          body: errorBody("badRequest", "trigger is not a form trigger"),
        });
      }
      const next = this.syncQueue.shift() ?? this.onSync(request as SyncRequest);
      return this.answer(res, next);
    }
    this.answer(res, { type: "json", status: 404, body: errorBody("notFound", `${req.method} ${req.url}`) });
  }

  /** A token minted elsewhere (MSAL in tests) that the proxy accepts. */
  accept(token: string): void {
    this.issued.add(token);
  }

  /** Forget every token issued so far (the proxy's keys rotated): the next call gets 401 once. */
  revokeTokens(): void {
    this.issued.clear();
  }
}
