/**
 * Same-origin forwarding for the sandbox pages: the Dataverse Web API (as the chosen sandbox user, through the
 * emulator's impersonation, so the emulator enforces that user's privileges) and the Partner Center emulator's
 * admin API. Absolute URLs of the target in answers (OData-EntityId, nextLink) are rewritten to the page's origin.
 */

export interface ForwardRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | undefined;
}

export interface ForwardResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Request headers never forwarded: the browser's identity and hop-by-hop headers. */
const DROP_REQUEST = new Set([
  "host",
  "cookie",
  "authorization",
  "connection",
  "content-length",
  "callerobjectid",
  "mscrmcallerid",
  "origin",
  "referer",
  "accept-encoding",
]);
const DROP_RESPONSE = new Set(["content-length", "transfer-encoding", "connection", "content-encoding", "keep-alive"]);

export async function forward(
  request: ForwardRequest,
  target: string,
  extraHeaders: Record<string, string>,
  rewrite: { from: string; to: string } | null,
): Promise<ForwardResponse> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || DROP_REQUEST.has(name.toLowerCase())) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  Object.assign(headers, extraHeaders);
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body && request.body.length > 0;
  const answer = await fetch(target, {
    method: request.method,
    headers,
    body: hasBody ? new Uint8Array(request.body as Buffer) : undefined,
    redirect: "manual",
  });
  const out: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (DROP_RESPONSE.has(name.toLowerCase())) return;
    out[name] = rewrite ? value.split(rewrite.from).join(rewrite.to) : value;
  });
  let body = Buffer.from(await answer.arrayBuffer());
  if (rewrite && body.length > 0 && /json|text|multipart/.test(answer.headers.get("content-type") ?? "")) {
    body = Buffer.from(body.toString("utf8").split(rewrite.from).join(rewrite.to), "utf8");
  }
  return { status: answer.status, headers: out, body };
}
