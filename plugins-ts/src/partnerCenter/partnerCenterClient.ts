import type { JsonPatchOperation, Referral, ReferralCreateBody } from "../../../domain";
import { PartnerCenterError } from "./failureClassification";
import { isRetried, PartnerCenterTransport, type CallContext, type TransportOptions } from "./partnerCenterTransport";

/**
 * The Partner Center Referrals API (v1.0/engagements/referrals), the same code against the real service and
 * the emulator. Creates are never repeated blindly: when a create's answer is lost, the referral is looked up by
 * externalReferenceId before anything is sent again, so one opportunity never yields two referrals.
 */

export const PARTNER_CENTER_API_URL = "https://api.partner.microsoft.com";
const REFERRALS = "/v1.0/engagements/referrals";

export interface ReferralPage {
  value: Referral[];
  count?: number;
  nextLink?: string;
}

export interface ListQuery {
  /** OData $filter, e.g. "updatedDateTime gt 2024-01-01T00:00:00Z and status eq 'Active'" (see odataString). */
  filter?: string;
  orderBy?: "createdDateTime asc" | "createdDateTime desc" | "updatedDateTime asc" | "updatedDateTime desc";
  top?: number;
}

export interface CreateResult {
  referral: Referral;
  /** True when the create's answer was lost and the referral was found by externalReferenceId instead. */
  recovered: boolean;
}

export interface PatchOptions {
  /** The eTag last read: the update fails with a "conflict" (412) if the referral changed since. */
  ifMatch?: string;
}

/** A string literal for $filter: quoted, with quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function referralOf(body: unknown, operation: string, headers?: Headers): Referral {
  if (typeof body !== "object" || body === null || typeof (body as Referral).id !== "string") {
    throw new PartnerCenterError(`${operation}: the answer is not a referral`, {
      category: "permanent",
      operation,
      clientRequestId: "",
      attempts: 1,
      outcomeUnknown: false,
    });
  }
  const r = body as Referral;
  const etag = headers?.get("etag");
  return r.eTag === undefined && etag ? { ...r, eTag: etag } : r;
}

/** The same failure, marked as possibly applied (an earlier attempt of the same create may have landed). */
function withUnknownOutcome(e: PartnerCenterError): PartnerCenterError {
  const copy = new PartnerCenterError(e.message, { ...e, outcomeUnknown: true, cause: e });
  return copy;
}

export class PartnerCenterClient {
  readonly transport: PartnerCenterTransport;

  /**
   * How long to let an unanswered create land before looking it up: a timed-out POST may still be being applied
   * (default: the per-call timeout again); after a dropped connection the service has usually finished (default 1 s).
   */
  private readonly createSettleMs: { timedOut: number; dropped: number };

  constructor(
    options: Omit<TransportOptions, "baseUrl"> & {
      baseUrl?: string;
      createSettleMs?: number;
      droppedSettleMs?: number;
    },
  ) {
    this.transport = new PartnerCenterTransport({ ...options, baseUrl: options.baseUrl ?? PARTNER_CENTER_API_URL });
    this.createSettleMs = {
      timedOut: options.createSettleMs ?? options.timeoutMs ?? 30_000,
      dropped: options.droppedSettleMs ?? Math.min(1_000, options.createSettleMs ?? 1_000),
    };
  }

  async getReferral(id: string, ctx: CallContext = {}): Promise<Referral> {
    const res = await this.transport.send(
      {
        operation: "getReferral",
        method: "GET",
        path: `${REFERRALS}/${encodeURIComponent(id)}`,
        repeatable: true,
        expect: [200],
      },
      ctx,
    );
    return referralOf(res.body, "getReferral", res.headers);
  }

  /** One page: the first for a query, or the one an @odata.nextLink points to. */
  async listPage(query: ListQuery | { nextLink: string }, ctx: CallContext = {}): Promise<ReferralPage> {
    const res = await this.transport.send(
      "nextLink" in query
        ? { operation: "listReferrals", method: "GET", path: query.nextLink, repeatable: true, expect: [200] }
        : {
            operation: "listReferrals",
            method: "GET",
            path: REFERRALS,
            query: { $filter: query.filter, $orderby: query.orderBy, $top: query.top },
            repeatable: true,
            expect: [200],
          },
      ctx,
    );
    const body = res.body as { value?: unknown; "@odata.count"?: unknown; "@odata.nextLink"?: unknown } | undefined;
    if (!body || !Array.isArray(body.value)) {
      throw new PartnerCenterError("listReferrals: the answer has no value array", {
        category: "permanent",
        operation: "listReferrals",
        clientRequestId: res.clientRequestId,
        attempts: res.attempts,
        outcomeUnknown: false,
      });
    }
    return {
      value: body.value as Referral[],
      count: typeof body["@odata.count"] === "number" ? body["@odata.count"] : undefined,
      nextLink: typeof body["@odata.nextLink"] === "string" ? body["@odata.nextLink"] : undefined,
    };
  }

  /** Every page of a query, following @odata.nextLink. */
  async *listAll(query: ListQuery, ctx: CallContext = {}): AsyncGenerator<ReferralPage> {
    let page = await this.listPage(query, ctx);
    yield page;
    while (page.nextLink) {
      page = await this.listPage({ nextLink: page.nextLink }, ctx);
      yield page;
    }
  }

  /** Referrals carrying this externalReferenceId, oldest first. */
  async findByExternalReferenceId(externalReferenceId: string, ctx: CallContext = {}): Promise<Referral[]> {
    const found: Referral[] = [];
    for await (const page of this.listAll(
      { filter: `externalReferenceId eq ${odataString(externalReferenceId)}`, orderBy: "createdDateTime asc" },
      ctx,
    )) {
      found.push(...page.value);
    }
    return found;
  }

  /**
   * Creates a referral. A POST is sent at most once per attempt and never again before a look-up by
   * externalReferenceId has shown the previous one did not land. When this throws with `outcomeUnknown`, the
   * referral may exist: call again with `mayExist: true` (the look-up then comes before any POST).
   */
  async createReferral(
    body: ReferralCreateBody,
    ctx: CallContext = {},
    options: { mayExist?: boolean } = {},
  ): Promise<CreateResult> {
    const ext = body.externalReferenceId;
    if (typeof ext !== "string" || ext === "") {
      throw new PartnerCenterError("createReferral: externalReferenceId is required to create safely", {
        category: "validation",
        operation: "createReferral",
        clientRequestId: "",
        attempts: 0,
        outcomeUnknown: false,
      });
    }
    if (options.mayExist) {
      const existing = await this.findByExternalReferenceId(ext, ctx);
      if (existing[0]) return { referral: existing[0], recovered: true };
    }
    const policy = this.transport.policy;
    let uncertain = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.transport.send(
          { operation: "createReferral", method: "POST", path: REFERRALS, body, repeatable: false, expect: [200, 201] },
          ctx,
        );
        return { referral: referralOf(res.body, "createReferral", res.headers), recovered: false };
      } catch (e) {
        if (!(e instanceof PartnerCenterError)) throw e;
        e.attempts = attempt;
        uncertain ||= e.outcomeUnknown;
        const error = uncertain && !e.outcomeUnknown ? withUnknownOutcome(e) : e;
        if (!isRetried(e) || attempt >= policy.maxAttempts || (e.retryAfterMs ?? 0) > policy.maxRetryAfterMs)
          throw error;
        // A 429 is refused before any work; anything else (network, timeout, 5xx) may have stored the referral.
        if (e.status !== 429) {
          if (e.outcomeUnknown && e.status === undefined) {
            await this.transport.sleep(e.timedOut ? this.createSettleMs.timedOut : this.createSettleMs.dropped);
          }
          let existing: Referral[];
          try {
            existing = await this.findByExternalReferenceId(ext, ctx);
          } catch {
            throw error; // cannot tell whether it landed: report the create as uncertain, never POST blindly
          }
          if (existing[0]) return { referral: existing[0], recovered: true };
          uncertain = false; // it did not land; the next POST starts afresh
        }
        await this.transport.sleep(this.transport.delayFor(attempt, e.retryAfterMs));
      }
    }
  }

  /**
   * JSON Patch (replace/add on PATCH-able paths). Returns the updated referral (Prefer: return=representation).
   * Repeated after a lost answer only when that is harmless: with If-Match (a repeat of an applied change gets
   * 412) or when no operation appends to an array.
   */
  async patchReferral(
    id: string,
    operations: JsonPatchOperation[],
    options: PatchOptions = {},
    ctx: CallContext = {},
  ): Promise<Referral> {
    const appends = operations.some((o) => o.op === "add" && o.path.endsWith("/-"));
    const headers: Record<string, string> = { Prefer: "return=representation" };
    if (options.ifMatch) headers["If-Match"] = options.ifMatch;
    const res = await this.transport.send(
      {
        operation: "patchReferral",
        method: "PATCH",
        path: `${REFERRALS}/${encodeURIComponent(id)}`,
        body: operations,
        headers,
        repeatable: options.ifMatch !== undefined || !appends,
        expect: [200, 204],
      },
      ctx,
    );
    if (res.status === 204) return this.getReferral(id, ctx); // a server that ignored Prefer
    return referralOf(res.body, "patchReferral", res.headers);
  }

  /** The obsolete full update (PUT); If-Match is required and `links` must not be sent. */
  async replaceReferral(referral: Referral, eTag: string, ctx: CallContext = {}): Promise<Referral> {
    const { links: _links, ...body } = referral;
    const res = await this.transport.send(
      {
        operation: "replaceReferral",
        method: "PUT",
        path: `${REFERRALS}/${encodeURIComponent(referral.id)}`,
        body,
        headers: { "If-Match": eTag },
        repeatable: true, // If-Match makes a repeat of an applied PUT fail with 412 instead of applying twice
        expect: [200],
      },
      ctx,
    );
    return referralOf(res.body, "replaceReferral", res.headers);
  }
}
