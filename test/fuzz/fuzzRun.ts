import fc from "fast-check";
import { sign } from "node:crypto";
import { request as httpRequest } from "node:http";
import { PartnerCenterCallLog } from "../chaos/partnerCenterCallLog";
import { DATAVERSE_WEBHOOK_SECRET, startProductUnderTest, type ProductUnderTest } from "../chaos/productUnderTest";
import { SEED } from "../dataverse/fixture";
import { anyMalformedRequest, type FuzzRequest, type RouteName } from "./malformedRequests";

/**
 * Sends generated malformed requests to one proxy instance composed as in production (both emulators behind it)
 * and judges each answer and its effects:
 * - no 5xx answer, and the server keeps answering (a crash or hang is a failure);
 * - no state change: no Dataverse write (the emulator's row version does not move, so no row and no audit row is
 *   written for refused or no-op input) and no Partner Center write (no POST or PATCH reaches it, no referral
 *   changes). Partner Center reads are allowed only for a correctly signed event that names a referral id: the
 *   proxy must ask Partner Center about it (the referral does not exist, so the answer is 404).
 */

export interface FuzzFailure {
  kind: "server-error" | "no-answer" | "dataverse-write" | "partner-center-write" | "unexpected-read";
  route: RouteName;
  label: string;
  detail: string;
  request: string;
}

export interface FuzzReport {
  runs: number;
  seed: number;
  byRoute: Record<string, Record<string, number>>;
  partnerCenterReads: number;
  overHttp: number;
  failures: FuzzFailure[];
  aliveAfter: boolean;
  wallMs: number;
}

interface Answer {
  status: number | null;
  body: string;
}

const dataverseVersion = (product: ProductUnderTest) =>
  (product.dv.store as unknown as { data: { version: number } }).data.version;

const partnerCenterState = (product: ProductUnderTest) =>
  [...product.pc.context.store.all()].map((r) => `${String(r.id)}:${String(r.eTag)}`).join(",");

function describeRequest(r: FuzzRequest, body: Buffer | null): string {
  const shown =
    body === null
      ? ""
      : body.length > 300
        ? `${body.subarray(0, 120).toString("latin1")}… (${body.length} bytes)`
        : body.toString("latin1");
  return `${r.method} ${r.path} [${r.contentType ?? "no content type"}, ${r.credential.kind}] ${shown}`;
}

export async function runFuzz(
  options: { runs: number; seed: number },
  log: (line: string) => void = () => {},
): Promise<FuzzReport> {
  const started = Date.now();
  const product = await startProductUnderTest({ registerWebhooks: false });
  const proxy = product.proxies[0]!;
  const calls = new PartnerCenterCallLog(product.pc.app.server);
  const token = await product.idp.issue({ oid: SEED.aad.jiwoo });
  const signing = product.pc.context.webhooks.signing;
  const report: FuzzReport = {
    runs: options.runs,
    seed: options.seed,
    byRoute: {},
    partnerCenterReads: 0,
    overHttp: 0,
    failures: [],
    aliveAfter: false,
    wallMs: 0,
  };

  const prepare = (r: FuzzRequest): { path: string; headers: Record<string, string>; body: Buffer | null } => {
    let body = r.body;
    // The emulator's URL and the current time go in only now: arbitraries are pure and know neither.
    if (body && r.route === "POST /api/webhooks/partner-center") {
      const recent = new Date(Date.now() - 1_000).toISOString();
      body = Buffer.from(
        body.toString("latin1").split("{base}").join(product.pc.baseUrl).split("{recent}").join(recent),
        "latin1",
      );
    }
    const headers: Record<string, string> = {};
    if (r.contentType !== null) headers["content-type"] = r.contentType;
    let path = r.path;
    const c = r.credential;
    if (c.kind === "sellerToken") headers.authorization = `Bearer ${token}`;
    if (c.kind === "header") headers[c.name] = c.value;
    if (c.kind === "webhookKey" && c.as === "header") headers["x-pcs-webhook-key"] = DATAVERSE_WEBHOOK_SECRET;
    if (c.kind === "webhookKey" && c.as === "query") path += `?code=${encodeURIComponent(DATAVERSE_WEBHOOK_SECRET)}`;
    if (c.kind === "pcSignature") {
      const signature = c.valid
        ? sign("sha256", body ?? Buffer.alloc(0), signing.leafPrivateKeyPem).toString("base64")
        : Buffer.from("not a signature").toString("base64");
      headers.authorization = `Signature ${signature}`;
      headers["x-ms-certificate-url"] = product.pc.trust.certificateUrl;
      headers["x-ms-signature-algorithm"] = "rsa-sha256";
    }
    return { path, headers, body };
  };

  const send = async (r: FuzzRequest): Promise<Answer> => {
    const { path, headers, body } = prepare(r);
    if (!r.overHttp) {
      const res = await proxy.app.inject({
        method: r.method as "GET",
        url: path,
        headers,
        ...(body ? { payload: body } : {}),
      });
      return { status: res.statusCode, body: res.body };
    }
    report.overHttp++;
    const url = new URL(path, proxy.url);
    return new Promise<Answer>((resolve) => {
      const req = httpRequest(
        url,
        {
          method: r.method,
          headers: { ...headers, ...(body ? { "content-length": String(body.length) } : {}) },
          timeout: 20_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString("utf8") }),
          );
          res.on("error", () => resolve({ status: res.statusCode ?? null, body: "" }));
        },
      );
      // A server refusing a huge body may answer and close before reading it all: the answer still counts.
      req.on("error", () => resolve({ status: null, body: "" }));
      req.on("timeout", () => req.destroy());
      if (body) req.write(body);
      req.end();
    });
  };

  const samples = fc.sample(anyMalformedRequest, { numRuns: options.runs, seed: options.seed });
  const step = Math.max(1, Math.floor(samples.length / 10));
  for (const [i, r] of samples.entries()) {
    const version = dataverseVersion(product);
    const pcState = partnerCenterState(product);
    const writesBefore = calls.writes().length;
    const readsBefore = calls.count - writesBefore;
    const answer = await send(r);
    // Let anything the request set off land before judging its effects.
    await product.dv.webhooksIdle();
    const shown = describeRequest(r, prepare(r).body);
    const fail = (kind: FuzzFailure["kind"], detail: string) =>
      report.failures.push({ kind, route: r.route, label: r.label, detail, request: shown });
    const statusKey = answer.status === null ? "no answer" : String(answer.status);
    const counts = (report.byRoute[r.route] ??= {});
    counts[statusKey] = (counts[statusKey] ?? 0) + 1;

    // A body refused for its size may end the connection before the answer is read: only that is excused.
    if (answer.status === null && !r.label.startsWith("huge body"))
      fail("no-answer", "the connection ended unanswered");
    if (answer.status !== null && answer.status >= 500)
      fail("server-error", `${answer.status}: ${answer.body.slice(0, 300)}`);
    if (dataverseVersion(product) !== version) fail("dataverse-write", "a Dataverse row was written");
    if (calls.writes().length !== writesBefore || partnerCenterState(product) !== pcState) {
      fail("partner-center-write", "Partner Center was written to");
    }
    const reads = calls.count - calls.writes().length - readsBefore;
    report.partnerCenterReads += reads;
    const mayRead =
      r.route === "POST /api/webhooks/partner-center" && r.credential.kind === "pcSignature" && r.credential.valid;
    if (reads > 0 && !mayRead) fail("unexpected-read", `${reads} Partner Center read(s) for input that was not signed`);
    if ((i + 1) % step === 0) log(`  ${i + 1}/${samples.length} requests, ${report.failures.length} failure(s)`);
  }

  const health = await fetch(`${proxy.url}/api/health`).catch(() => null);
  report.aliveAfter = health?.status === 200;
  calls.stop();
  await product.close();
  report.wallMs = Date.now() - started;
  return report;
}

export function formatFuzzReport(r: FuzzReport): string {
  const lines = [
    `Fuzz run: ${r.runs} requests, seed ${r.seed}, ${r.overHttp} over real HTTP, ${(r.wallMs / 1000).toFixed(1)} s`,
  ];
  for (const [route, statuses] of Object.entries(r.byRoute).sort()) {
    const text = Object.entries(statuses)
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join(" ");
    lines.push(`  ${route.padEnd(36)} ${text}`);
  }
  lines.push(`  Partner Center reads (signed events naming a referral): ${r.partnerCenterReads}`);
  lines.push(`  server still answering afterwards: ${r.aliveAfter ? "yes" : "NO"}`);
  const byKind: Record<string, number> = {};
  for (const f of r.failures) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  lines.push(`  failures: ${r.failures.length}${r.failures.length ? ` (${JSON.stringify(byKind)})` : ""}`);
  const seen = new Set<string>();
  for (const f of r.failures) {
    const key = `${f.kind} ${f.route} ${f.detail.slice(0, 80)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`    ${f.kind} on ${f.route} (${f.label}): ${f.detail}\n      ${f.request.slice(0, 400)}`);
    if (seen.size >= 15) break;
  }
  return lines.join("\n");
}
