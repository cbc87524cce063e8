import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";
import https from "node:https";
import { HANDLED_HEADER, MAX_RSS_MARKER, OUTBOUND_HEADER } from "./benchMarkers";
import { BusyClock } from "./busyClock";

/**
 * Loaded with `node --import` into a benchmarked proxy or backfill process (never into production). It times,
 * for each incoming HTTP request, how long the process held it (request event → response head) and how much of
 * that time at least one outbound call (Dataverse through node:http, Partner Center through fetch) was in flight;
 * it answers both in response headers so the bench can take "proxy time minus time waiting on its ports" without
 * touching the proxy's code. On exit it prints the process's peak RSS (process.resourceUsage().maxRSS).
 */

const requests = new AsyncLocalStorage<BusyClock>();
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

const originalEmit = http.Server.prototype.emit as (
  this: http.Server,
  event: string | symbol,
  ...args: unknown[]
) => boolean;
http.Server.prototype.emit = function emit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
  if (event !== "request") return originalEmit.call(this, event, ...args);
  const clock = new BusyClock(nowUs());
  const res = args[1] as http.ServerResponse;
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, ...headArgs: unknown[]) {
    const at = nowUs();
    this.setHeader(HANDLED_HEADER, String(at - clock.startedAt));
    this.setHeader(OUTBOUND_HEADER, String(clock.busyUntil(at)));
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, headArgs);
  } as typeof res.writeHead;
  return requests.run(clock, () => originalEmit.call(this, event, ...args));
} as typeof http.Server.prototype.emit;

/** node:http(s).request: in flight from the call until the answer's body has ended (or the request failed). */
function wrapRequest(module: typeof http | typeof https): void {
  const original = module.request;
  module.request = function request(...args: unknown[]) {
    const clock = requests.getStore();
    const req = (original as (...a: unknown[]) => http.ClientRequest).apply(module, args);
    if (!clock) return req;
    clock.begin(nowUs());
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clock.end(nowUs());
    };
    req.once("response", (answer: http.IncomingMessage) => {
      answer.once("end", end);
      answer.once("close", end);
    });
    req.once("error", end);
    req.once("close", () => setImmediate(end));
    return req;
  } as typeof module.request;
}
wrapRequest(http);
wrapRequest(https);

/** fetch: in flight until the body has been read (the callers read it at once) or the call failed. */
const originalFetch = globalThis.fetch;
globalThis.fetch = async function fetch(input: Parameters<typeof originalFetch>[0], init?: RequestInit) {
  const clock = requests.getStore();
  if (!clock) return originalFetch(input, init);
  clock.begin(nowUs());
  let res: Response;
  try {
    res = await originalFetch(input, init);
  } catch (error) {
    clock.end(nowUs());
    throw error;
  }
  const body = await res.arrayBuffer().finally(() => clock.end(nowUs()));
  return new Response(res.status === 204 || res.status === 304 ? null : body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
};

process.on("exit", () => {
  process.stderr.write(`\n${MAX_RSS_MARKER}${process.resourceUsage().maxRSS}\n`);
});
