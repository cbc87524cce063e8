import { PartnerCenterError } from "./failureClassification";
import { PartnerCenterTransport, type CallContext, type TransportOptions } from "./partnerCenterTransport";

/**
 * The Partner Center webhook registration API (/webhooks/v1/registration), on its own host
 * (api.partnercenter.microsoft.com) with a token for that audience.
 */

export const PARTNER_CENTER_WEBHOOKS_URL = "https://api.partnercenter.microsoft.com";
const REGISTRATION = "/webhooks/v1/registration";

export interface WebhookRegistration {
  SubscriberId?: string;
  WebhookUrl: string;
  WebhookEvents: string[];
}

export interface EnsureResult {
  registration: WebhookRegistration;
  action: "created" | "updated" | "unchanged";
  /** The URL that owned the events before, when it was another endpoint (setup should warn). */
  previousUrl?: string;
}

function registrationOf(body: unknown): WebhookRegistration {
  const b = (body ?? {}) as Record<string, unknown>;
  const pick = (name: string) => b[Object.keys(b).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name];
  const url = pick("WebhookUrl");
  const events = pick("WebhookEvents");
  const id = pick("SubscriberId");
  return {
    ...(typeof id === "string" && { SubscriberId: id }),
    WebhookUrl: typeof url === "string" ? url : "",
    WebhookEvents: Array.isArray(events) ? events.filter((e): e is string => typeof e === "string") : [],
  };
}

export class WebhookRegistrationClient {
  readonly transport: PartnerCenterTransport;

  constructor(options: Omit<TransportOptions, "baseUrl"> & { baseUrl?: string }) {
    this.transport = new PartnerCenterTransport({
      ...options,
      baseUrl: options.baseUrl ?? PARTNER_CENTER_WEBHOOKS_URL,
    });
  }

  async events(ctx: CallContext = {}): Promise<string[]> {
    const res = await this.transport.send(
      {
        operation: "listWebhookEvents",
        method: "GET",
        path: `${REGISTRATION}/events`,
        repeatable: true,
        expect: [200],
      },
      ctx,
    );
    return Array.isArray(res.body) ? res.body.filter((e): e is string => typeof e === "string") : [];
  }

  /** The current registration, or null when there is none. */
  async get(ctx: CallContext = {}): Promise<WebhookRegistration | null> {
    try {
      const res = await this.transport.send(
        { operation: "getWebhookRegistration", method: "GET", path: REGISTRATION, repeatable: true, expect: [200] },
        ctx,
      );
      return registrationOf(res.body);
    } catch (e) {
      if (e instanceof PartnerCenterError && e.status === 404) return null;
      throw e;
    }
  }

  /** POST; fails with a "conflict" (409) when a registration already exists. */
  async register(webhookUrl: string, events: readonly string[], ctx: CallContext = {}): Promise<WebhookRegistration> {
    const res = await this.transport.send(
      {
        operation: "registerWebhook",
        method: "POST",
        path: REGISTRATION,
        body: { WebhookUrl: webhookUrl, WebhookEvents: events },
        repeatable: true, // a repeat of an applied POST meets 409, never a second registration
        expect: [200, 201],
      },
      ctx,
    );
    return registrationOf(res.body);
  }

  async update(webhookUrl: string, events: readonly string[], ctx: CallContext = {}): Promise<WebhookRegistration> {
    const res = await this.transport.send(
      {
        operation: "updateWebhookRegistration",
        method: "PUT",
        path: REGISTRATION,
        body: { WebhookUrl: webhookUrl, WebhookEvents: events },
        repeatable: true,
        expect: [200],
      },
      ctx,
    );
    return registrationOf(res.body);
  }

  /** Makes the registration point at `webhookUrl` for (at least) `events`; says what it found and did. */
  async ensure(webhookUrl: string, events: readonly string[], ctx: CallContext = {}): Promise<EnsureResult> {
    const current = await this.get(ctx);
    if (!current) return { registration: await this.register(webhookUrl, events, ctx), action: "created" };
    const wanted = [...new Set([...events, ...(current.WebhookUrl === webhookUrl ? current.WebhookEvents : [])])];
    if (current.WebhookUrl === webhookUrl && events.every((e) => current.WebhookEvents.includes(e))) {
      return { registration: current, action: "unchanged" };
    }
    const registration = await this.update(webhookUrl, wanted, ctx);
    return {
      registration,
      action: "updated",
      ...(current.WebhookUrl !== webhookUrl && { previousUrl: current.WebhookUrl }),
    };
  }
}
