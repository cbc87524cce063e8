import { randomUUID } from "node:crypto";
import { badRequest } from "./errors";
import type { ApiRequest, ApiResponse, DataverseService } from "./service";
import { errorResponse } from "./service";

/**
 * OData $batch (multipart/mixed) as Dataverse runs it: parts in order; a change set is atomic
 * (one failure rolls back all of it); without `odata.continue-on-error` the first failure ends the
 * batch and the batch answers 400 with that failure; Content-ID lets later parts refer to `$n`.
 */

interface Part {
  headers: Record<string, string>;
  body: string;
}

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  412: "Precondition Failed",
  500: "Internal Server Error",
};

function boundaryOf(contentType: string | undefined): string {
  const m = /boundary=("?)([^";]+)\1/i.exec(contentType ?? "");
  if (!m?.[2]) throw badRequest("A $batch request needs 'Content-Type: multipart/mixed;boundary=…'.");
  return m[2];
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const idx = line.indexOf(":");
    if (idx > 0) headers[line.slice(0, idx).trim().toLowerCase()] = line.slice(idx + 1).trim();
  }
  return headers;
}

function splitHead(text: string): [string, string] {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return [text, ""];
  return [text.slice(0, m.index), text.slice(m.index + m[0].length)];
}

function parseMultipart(body: string, boundary: string): Part[] {
  const delimiter = `--${boundary}`;
  const end = body.indexOf(`${delimiter}--`);
  if (end === -1) throw badRequest(`The $batch body does not end with the closing delimiter '${delimiter}--'.`);
  const segments = body.slice(0, end).split(delimiter).slice(1);
  return segments.map((segment) => {
    const [head, content] = splitHead(segment.replace(/^\r?\n/, ""));
    return { headers: parseHeaders(head), body: content.replace(/\r?\n$/, "") };
  });
}

function parseHttpPart(part: Part, outer: ApiRequest["headers"]): ApiRequest {
  const [head, body] = splitHead(part.body.replace(/^\s+/, ""));
  const [requestLine, ...headerLines] = head.split(/\r?\n/);
  // dynamics-web-api does not percent-encode the URL of a part (spaces in $filter stay spaces): take all up to " HTTP/1.1".
  const m = /^(GET|POST|PATCH|PUT|DELETE)\s+(.+?)\s+HTTP\/1\.[01]$/.exec((requestLine ?? "").trim());
  if (!m?.[1] || !m[2]) throw badRequest(`Invalid request line in $batch part: '${requestLine ?? ""}'.`);
  if (/\$batch(?:$|\?)/.test(m[2])) throw badRequest("A $batch request cannot contain another $batch.");
  const headers: ApiRequest["headers"] = {
    authorization: outer.authorization,
    callerobjectid: outer.callerobjectid,
    mscrmcallerid: outer.mscrmcallerid,
    ...parseHeaders(headerLines.join("\n")),
  };
  if (part.headers["content-id"]) headers["content-id"] = part.headers["content-id"];
  return { method: m[1], url: m[2].replace(/ /g, "%20"), headers, body: body.trim() };
}

function httpPart(response: ApiResponse, contentId?: string): string {
  const lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"];
  if (contentId) lines.push(`Content-ID: ${contentId}`);
  lines.push("", `HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? "Unknown"}`);
  for (const [k, v] of Object.entries(response.headers)) {
    const name = k
      .replace(/(^|-)([a-z])/g, (_s, dash: string, c: string) => dash + c.toUpperCase())
      .replace(/^Odata/, "OData")
      .replace(/-Entityid$/, "-EntityId");
    lines.push(`${name}: ${v}`);
  }
  lines.push("", response.body);
  return lines.join("\r\n");
}

export async function handleBatch(
  service: DataverseService,
  request: ApiRequest,
  continueOnError: boolean,
): Promise<ApiResponse> {
  const parts = parseMultipart(request.body, boundaryOf(request.headers["content-type"]));
  const batchBoundary = `batchresponse_${randomUUID()}`;
  const out: string[] = [];
  let failed = false;
  for (const part of parts) {
    const type = part.headers["content-type"] ?? "";
    if (type.startsWith("multipart/mixed")) {
      const changeBoundary = boundaryOf(type);
      const requests = parseMultipart(part.body, changeBoundary).map((p) => parseHttpPart(p, request.headers));
      if (requests.some((r) => r.method === "GET")) throw badRequest("A change set cannot contain GET requests.");
      service.store.begin();
      const contentIds = new Map<string, string>();
      const responses: { response: ApiResponse; contentId?: string }[] = [];
      let failure: ApiResponse | null = null;
      for (const inner of requests) {
        const response = await service.handle(inner, contentIds);
        if (response.status >= 400) {
          failure = response;
          break;
        }
        responses.push({ response, contentId: inner.headers["content-id"] });
      }
      if (failure) {
        service.store.rollback();
        out.push(httpPart(failure));
        failed = true;
        if (!continueOnError) break;
        continue;
      }
      service.store.commit();
      const responseBoundary = `changesetresponse_${randomUUID()}`;
      const inner = responses
        .map(({ response, contentId }) => `--${responseBoundary}\r\n${httpPart(response, contentId)}`)
        .join("\r\n");
      out.push(
        `Content-Type: multipart/mixed; boundary=${responseBoundary}\r\n\r\n${inner}\r\n--${responseBoundary}--`,
      );
      continue;
    }
    let response: ApiResponse;
    try {
      response = await service.handle(parseHttpPart(part, request.headers));
    } catch (error) {
      response = errorResponse(error);
    }
    out.push(httpPart(response));
    if (response.status >= 400) {
      failed = true;
      if (!continueOnError) break;
    }
  }
  const body = `${out.map((p) => `--${batchBoundary}\r\n${p}`).join("\r\n")}\r\n--${batchBoundary}--\r\n`;
  return {
    status: failed && !continueOnError ? 400 : 200,
    headers: { "content-type": `multipart/mixed; boundary=${batchBoundary}`, "odata-version": "4.0" },
    body,
  };
}
