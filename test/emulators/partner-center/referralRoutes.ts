import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  referralCreateErrors,
  referralPatchErrors,
  type ContractError,
} from "../../contracts/partner-center/referralContract";
import { ApiError, badRequest, notFound } from "./apiError";
import type { EmulatorContext } from "./emulatorContext";
import { applyOperation } from "./jsonPatch";
import { encodeSkipToken, listPage, type ListQuery } from "./odataQuery";
import { transitionProblem } from "./referralRules";
import { deepClone, type Referral } from "./referralStore";

/**
 * The Referrals API at its real paths (/v1.0/engagements/referrals). Bodies are judged by the contract validator
 * (Microsoft's swagger + documented rules) and by the emulator's own reading of the docs (transitions, If-Match,
 * JSON Patch semantics), never by the product's domain rules.
 */

const BASE = "/v1.0/engagements/referrals";

/** Members the server owns: ignored on create, kept from the stored referral on PUT. */
const SERVER_OWNED = [
  "id",
  "eTag",
  "createdDateTime",
  "updatedDateTime",
  "acceptedDateTime",
  "closedDateTime",
  "organizationId",
  "organizationName",
  "trackingInfo",
  "registrations",
  "registrationStatus",
  "quality",
  "isSpam",
  "direction",
  "tags",
  "@odata.context",
] as const;

function contractError(errors: ContractError[]): ApiError {
  const first = errors[0]!;
  const message = errors.map((e) => `${e.path} ${e.message}`).join("; ");
  return badRequest(message, first.path);
}

function pair(r: Referral): { status: string; substatus: string } {
  return { status: String(r.status ?? "None"), substatus: String(r.substatus ?? "None") };
}

/** Server-side effects of a status change: acceptedDateTime and closedDateTime. */
export function stampStatusDates(before: Referral | null, after: Referral, now: string): void {
  if (after.status === "Active" && before?.status !== "Active" && !after.acceptedDateTime) after.acceptedDateTime = now;
  if (after.status === "Closed" && before?.status !== "Closed") after.closedDateTime = now;
}

/** Checks a referral about to be stored against the contract and the transition table; throws the 400. */
export function checkReferral(next: Referral, before: Referral | null): void {
  const errors = referralCreateErrors(next);
  if (errors.length) throw contractError(errors);
  if (before) {
    const problem = transitionProblem(pair(before), pair(next));
    if (problem) throw badRequest(problem, "status");
    const wasShared = (before.consent as Referral | undefined)?.consentToShareReferralWithMicrosoftSellers === true;
    const isShared = (next.consent as Referral | undefined)?.consentToShareReferralWithMicrosoftSellers === true;
    if (wasShared && !isShared) {
      // Connector docs: once visible to Microsoft sellers, a referral cannot be made private again.
      throw badRequest(
        "consentToShareReferralWithMicrosoftSellers cannot go back to false once shared",
        "/consent/consentToShareReferralWithMicrosoftSellers",
      );
    }
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function found(ctx: EmulatorContext, id: string): Referral {
  const r = ctx.store.get(id);
  if (!r) throw notFound(`referral ${id} does not exist`, "id");
  return r;
}

function checkIfMatch(header: string | undefined, current: Referral): void {
  if (header === undefined) return;
  const wanted = header.split(",").map((t) => t.trim());
  if (wanted.includes("*") || wanted.includes(String(current.eTag))) return;
  throw new ApiError(
    412,
    "preconditionFailed",
    "the referral was modified since the eTag in If-Match was read; get it again and reapply the change",
    "If-Match",
  );
}

function sendReferral(reply: FastifyReply, status: number, r: Referral): FastifyReply {
  return reply.code(status).header("ETag", String(r.eTag)).send(r);
}

const listQuerySchema = {
  type: "object",
  properties: {
    $filter: { type: "string" },
    $orderby: { type: "string" },
    $top: { type: "integer", minimum: 1 },
    $skip: { type: "integer", minimum: 0 },
    $skiptoken: { type: "string", minLength: 1 },
    $count: { type: "boolean" },
    $select: { type: "string" },
    $expand: { type: "string" },
  },
} as const;

const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", minLength: 1, maxLength: 200 } },
} as const;

export function referralRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get(BASE, { schema: { querystring: listQuerySchema } }, async (req: FastifyRequest, reply) => {
    const q = req.query as ListQuery & { $count?: boolean; $select?: string; $expand?: string };
    const raw = req.query as Record<string, unknown>;
    const unknown = Object.keys(raw).filter((k) => k.startsWith("$") && !(k in listQuerySchema.properties));
    if (unknown.length) throw badRequest(`query option ${unknown[0]} is not supported`, unknown[0]!);
    if (q.$expand !== undefined) throw badRequest("$expand is not supported on referrals", "$expand");
    if (q.$skiptoken !== undefined && q.$skip !== undefined)
      throw badRequest("use either $skip or $skiptoken", "$skip");
    const page = listPage(ctx.store.all(), q, ctx.pageSize);
    const select = q.$select
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const value = select?.length
      ? page.items.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k === "id" || select.includes(k))))
      : page.items;
    const body: Record<string, unknown> = {
      "@odata.context": `${ctx.baseUrl()}/v1.0/$metadata#Referrals`, // as in the list example
      "@odata.count": page.count,
      value,
    };
    if (page.next) {
      // OData style: literal "$" option names, %-encoded values.
      const params: string[] = [];
      for (const k of ["$filter", "$orderby", "$select"] as const) {
        const v = raw[k];
        if (typeof v === "string") params.push(`${k}=${encodeURIComponent(v)}`);
      }
      params.push(`$skiptoken=${encodeURIComponent(encodeSkipToken(page.next))}`);
      body["@odata.nextLink"] = `${ctx.baseUrl()}${BASE}?${params.join("&")}`;
    }
    return reply.code(200).send(body);
  });

  app.get(`${BASE}/:id`, { schema: { params: idParams } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    return sendReferral(reply, 200, found(ctx, id));
  });

  app.post(BASE, async (req, reply) => {
    const body = req.body;
    if (!isObject(body)) throw badRequest("the body must be a Referral object", "referral");
    const fields: Referral = deepClone(body);
    for (const k of SERVER_OWNED) delete fields[k];
    delete fields.links;
    if (fields.status === undefined && fields.substatus === undefined) {
      fields.status = "New";
      fields.substatus = "Pending";
    }
    checkReferral(fields, null);
    if (ctx.newReferralStatus === "accepted" && fields.status === "New") {
      fields.status = "Active";
      fields.substatus = "Accepted";
    }
    fields.direction = "Outgoing";
    const created = ctx.store.create(fields, {
      finish: (r) => {
        // Outgoing referrals are accepted by their creator at creation (referral-resources: acceptedDateTime).
        r.acceptedDateTime = r.createdDateTime;
        if (r.status === "Closed") r.closedDateTime = r.createdDateTime;
      },
    });
    ctx.announce("created", created);
    reply.header("Location", `${ctx.baseUrl()}${BASE}/${String(created.id)}`);
    return sendReferral(reply, 201, created);
  });

  app.patch(`${BASE}/:id`, { schema: { params: idParams } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const current = found(ctx, id);
    const errors = referralPatchErrors(req.body);
    if (errors.length) throw contractError(errors);
    checkIfMatch(req.headers["if-match"], current);
    if (current.status === "Closed") {
      throw badRequest(`referral is Closed/${String(current.substatus)}; no changes are allowed once closed`, "status");
    }
    const next = deepClone(current);
    for (const op of req.body as { op?: string; path: string; value: unknown }[]) {
      applyOperation(next, op.op ?? "replace", op.path, op.value);
    }
    checkReferral(next, current);
    const now = ctx.store.clock.next();
    stampStatusDates(current, next, now);
    const updated = ctx.store.replace(id, next);
    ctx.announce("updated", updated);
    const prefer = String(req.headers.prefer ?? "");
    if (/return\s*=\s*representation/i.test(prefer)) {
      return sendReferral(reply.header("Preference-Applied", "return=representation"), 200, updated);
    }
    return reply.code(204).header("ETag", String(updated.eTag)).send();
  });

  app.put(`${BASE}/:id`, { schema: { params: idParams } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const current = found(ctx, id);
    const ifMatch = req.headers["if-match"];
    if (ifMatch === undefined) throw badRequest("If-Match with the referral's eTag is required on PUT", "If-Match");
    checkIfMatch(ifMatch, current);
    const body = req.body;
    if (!isObject(body)) throw badRequest("the body must be a Referral object", "referral");
    if (body.links !== undefined) throw badRequest("remove the links object from the referral before a PUT", "links");
    if (body.id !== undefined && body.id !== id) throw badRequest("the body's id does not match the URL", "id");
    if (current.status === "Closed") {
      throw badRequest(`referral is Closed/${String(current.substatus)}; no changes are allowed once closed`, "status");
    }
    const next: Referral = deepClone(body);
    for (const k of SERVER_OWNED) {
      if (current[k] === undefined) delete next[k];
      else next[k] = deepClone(current[k]);
    }
    checkReferral(next, current);
    stampStatusDates(current, next, ctx.store.clock.next());
    const updated = ctx.store.replace(id, next);
    ctx.announce("updated", updated);
    return sendReferral(reply, 200, updated);
  });
}
