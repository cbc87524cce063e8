import type { FastifyInstance } from "fastify";
import { choiceName, type SyncTrigger } from "../../../domain";
import { AUDIT_TRIGGER_VALUES } from "../../../solution/schema/productChoices";
import type { OpportunitySyncQueue } from "../sync/opportunitySyncQueue";
import { OpportunityNotFound, syncToPartnerCenter } from "../sync/outboundSync";
import { BadRequest, WebhookRefused } from "./httpErrors";
import type { ProxyServices } from "./proxyServices";
import { secretMatches } from "./webhookSecret";

/**
 * POST /api/webhooks/dataverse: the service endpoint of the opportunity's Create/Update (and Win/Lose) steps.
 * The body is Dataverse's RemoteExecutionContext. Dataverse checks nothing itself, so the endpoint checks
 * the shared secret (WebhookKey ?code= or an HttpHeader) before anything else.
 */

interface RemoteExecutionContext {
  MessageName: string;
  PrimaryEntityName: string;
  PrimaryEntityId: string;
  InitiatingUserId?: string;
  UserId?: string;
  Depth?: number;
  CorrelationId?: string;
  InputParameters?: { key: string; value?: unknown }[];
}

const GUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
const MESSAGES = ["Create", "Update", "Win", "Lose"];

/** Columns of the Target that were written, with their values. Absent when the payload was over 256 KB. */
function writtenColumns(ctx: RemoteExecutionContext): Map<string, unknown> {
  const target = ctx.InputParameters?.find((p) => p.key === "Target")?.value as
    { Attributes?: { key?: unknown; value?: unknown }[] } | undefined;
  return new Map((target?.Attributes ?? []).map((a) => [String(a.key), a.value]));
}

/**
 * The status panel asks for a sync by writing pcs_syncrequestedon, and says why in pcs_syncrequesttrigger
 * (an OptionSetValue of the audit trigger choice): "retry" for a failed row's Retry, "sync-now" otherwise.
 */
function requestedTrigger(columns: Map<string, unknown>): SyncTrigger | null {
  if (!columns.has("pcs_syncrequestedon")) return null;
  const option = columns.get("pcs_syncrequesttrigger") as { Value?: unknown } | undefined;
  const name = choiceName(AUDIT_TRIGGER_VALUES, typeof option?.Value === "number" ? option.Value : null);
  return name === "retry" ? "retry" : "sync-now";
}

export function registerDataverseWebhookRoute(
  app: FastifyInstance,
  services: ProxyServices,
  secret: string,
  queue: OpportunitySyncQueue,
): void {
  app.post<{ Body: RemoteExecutionContext; Querystring: { code?: string } }>(
    "/api/webhooks/dataverse",
    {
      schema: {
        querystring: { type: "object", properties: { code: { type: "string", maxLength: 512 } } },
        body: {
          type: "object",
          required: ["MessageName", "PrimaryEntityName", "PrimaryEntityId"],
          properties: {
            MessageName: { type: "string", maxLength: 100 },
            PrimaryEntityName: { type: "string", maxLength: 100 },
            PrimaryEntityId: { type: "string", pattern: GUID },
            InitiatingUserId: { type: "string", pattern: GUID },
            UserId: { type: "string", pattern: GUID },
            Depth: { type: "integer", minimum: 0, maximum: 64 },
            CorrelationId: { type: "string", maxLength: 100 },
            InputParameters: {
              type: "array",
              maxItems: 100,
              items: { type: "object", required: ["key"], properties: { key: { type: "string", maxLength: 200 } } },
            },
          },
        },
      },
      // Authenticate before the body is even validated: an unauthenticated caller learns nothing.
      preValidation: async (req) => {
        const header = req.headers["x-pcs-webhook-key"];
        const presented = (typeof header === "string" ? header : undefined) ?? (req.query as { code?: string }).code;
        if (!secretMatches(presented, secret))
          throw new WebhookRefused("The Dataverse webhook secret is missing or wrong.");
      },
    },
    async (req) => {
      const ctx = req.body;
      if (ctx.PrimaryEntityName !== "opportunity") {
        throw new BadRequest(
          `This endpoint handles opportunity events; the step sends '${ctx.PrimaryEntityName}'.`,
          "PrimaryEntityName",
        );
      }
      if (!MESSAGES.includes(ctx.MessageName)) {
        throw new BadRequest(
          `Message '${ctx.MessageName}' is not handled; register Create, Update, Win or Lose.`,
          "MessageName",
        );
      }
      const columns = writtenColumns(ctx);
      // The proxy's own write: its application user acting as itself. Acting for a seller (impersonation: UserId
      // is the seller, InitiatingUserId the application user) is the seller's change, as is any other user's.
      const app = services.applicationUserId;
      const echo =
        app !== null &&
        ctx.InitiatingUserId?.toLowerCase() === app &&
        (ctx.UserId === undefined || ctx.UserId.toLowerCase() === app);
      try {
        const request = {
          opportunityId: ctx.PrimaryEntityId.toLowerCase(),
          trigger: requestedTrigger(columns) ?? "dataverse-webhook",
          echo,
        };
        const result = await queue.run("application", request, (r) => syncToPartnerCenter(services.application, r));
        return { outcome: result.outcome, correlationId: result.correlationId };
      } catch (error) {
        // Deleted since the event: nothing to sync, and no reason for Dataverse to record a failure.
        if (error instanceof OpportunityNotFound) return { outcome: "gone" };
        throw error;
      }
    },
  );
}
