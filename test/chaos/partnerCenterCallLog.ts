import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { PartnerCenterWrite } from "./invariantChecker";

/**
 * Every Referrals API request that reaches the Partner Center emulator, seen from its HTTP server (a second
 * 'request' listener: the emulator is not touched): method, MS-CorrelationId, when it started and when it was
 * answered or cut off. Gives the run's API call count and the writes the audit must account for.
 */

interface Call {
  method: string;
  path: string;
  correlationId: string;
  startedAt: number;
  endedAt: number | null;
  status: number | null;
}

export class PartnerCenterCallLog {
  private readonly calls: Call[] = [];
  private readonly listener = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (!path.startsWith("/v1.0/engagements/referrals")) return;
    const correlation = req.headers["ms-correlationid"];
    const call: Call = {
      method: req.method ?? "",
      path,
      correlationId: typeof correlation === "string" ? correlation : "",
      startedAt: Date.now(),
      endedAt: null,
      status: null,
    };
    this.calls.push(call);
    res.once("finish", () => {
      call.endedAt = Date.now();
      call.status = res.statusCode;
    });
    // A dropped connection or a lost answer: the socket closes without a finished answer.
    res.once("close", () => {
      call.endedAt ??= Date.now();
    });
  };

  constructor(private readonly server: Server) {
    server.on("request", this.listener);
  }

  stop(): void {
    this.server.off("request", this.listener);
  }

  get count(): number {
    return this.calls.length;
  }

  /** Answers by status ("no answer" when the connection was cut), for the summary. */
  byStatus(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const c of this.calls) {
      const key = c.status === null ? "no answer" : String(c.status);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  /** Creates and updates, with the correlation id the proxy audits them under. */
  writes(): PartnerCenterWrite[] {
    return this.calls
      .filter((c) => c.method === "POST" || c.method === "PATCH")
      .map((c) => ({
        method: c.method,
        correlationId: c.correlationId,
        startedAt: c.startedAt,
        endedAt: c.endedAt ?? Date.now(),
      }));
  }

  /** Calls made again with a correlation id already seen for the same method and path: the client's retries. */
  retries(): number {
    const seen = new Set<string>();
    let retries = 0;
    for (const c of this.calls) {
      const key = `${c.correlationId} ${c.method} ${c.path}`;
      if (seen.has(key)) retries++;
      seen.add(key);
    }
    return retries;
  }
}
