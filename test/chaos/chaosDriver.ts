import { sign } from "node:crypto";
import type { DynamicsWebApi } from "dynamics-web-api";
import type { Referral } from "../../domain";
import { runDueRetries } from "../../plugins-ts/src/sync/retryWorker";
import { clientFor, SEED } from "../dataverse/fixture";
import type { ChaosDeal } from "./chaosSeed";
import type { ChaosEvent, FaultKind, FieldChanges, MicrosoftAction, Route } from "./eventPlan";
import type { FaultTally } from "./faultTally";
import { DATAVERSE_WEBHOOK_SECRET, type ProductUnderTest, type ProxyInstance } from "./productUnderTest";
import type { ProxyProcess } from "./proxyProcess";
import { CHAOS_TIMING } from "./timeCompression";
import type { WriteLedger } from "./writeLedger";

/**
 * Plays a chaos plan against the running product: sellers save through Dataverse (whose steps call every proxy
 * instance) and the form calls POST /api/sync on an instance; Microsoft acts through the Partner Center
 * emulator's admin API; faults are queued in the emulators just before the event they go with, or performed by
 * the driver (duplicated and reordered webhooks, concurrent writers, a killed proxy process). Every write a side
 * acknowledged goes into the ledger the invariant checker reads.
 */

export interface DriverStats {
  eventsByKind: Record<string, number>;
  skipped: Record<string, number>;
  syncAnswers: Record<string, number>;
  driverErrors: string[];
}

export interface ProcessControl {
  current(): ProxyProcess | null;
  /** SIGKILL the process now and start a new one in the background. */
  killAndRestart(): Promise<void>;
}

type Row = Record<string, unknown>;

export class ChaosDriver {
  readonly stats: DriverStats = { eventsByKind: {}, skipped: {}, syncAnswers: {}, driverErrors: [] };
  readonly incomingReferralIds: string[] = [];
  readonly killedAt: number[] = [];
  private readonly seller: DynamicsWebApi;
  private readonly referralOf = new Map<string, string>();
  private readonly closedDeals = new Set<string>();
  private token: { value: string; until: number } | null = null;

  constructor(
    private readonly product: ProductUnderTest,
    private readonly deals: readonly ChaosDeal[],
    private readonly ledger: WriteLedger,
    private readonly faults: FaultTally,
    private readonly processes: ProcessControl | null,
  ) {
    this.seller = clientFor(product.dv, { impersonateAAD: SEED.aad.jiwoo });
  }

  /** Runs the plan with `concurrency` lanes; a deal's events stay in order on one lane. */
  async run(events: readonly ChaosEvent[], concurrency: number, onProgress?: (done: number) => void): Promise<void> {
    const lanes: ChaosEvent[][] = Array.from({ length: concurrency }, () => []);
    for (const e of events) lanes["deal" in e ? e.deal % concurrency : e.index % concurrency]!.push(e);
    let done = 0;
    await Promise.all(
      lanes.map(async (lane) => {
        for (const event of lane) {
          try {
            await this.play(event);
          } catch (error) {
            this.stats.driverErrors.push(`event ${event.index} (${event.kind}): ${(error as Error).message}`);
          }
          onProgress?.(++done);
        }
      }),
    );
  }

  private count(bucket: Record<string, number>, key: string): void {
    bucket[key] = (bucket[key] ?? 0) + 1;
  }

  private async play(event: ChaosEvent): Promise<void> {
    this.count(this.stats.eventsByKind, event.kind);
    if (event.fault) this.faults.plan(event.fault);
    switch (event.kind) {
      case "edit":
        return event.fault === "proxy-killed"
          ? this.editWhileKilling(event.deal, event.changes, event.index)
          : this.edit(event.deal, event.changes, event.route, event.fault, event.index);
      case "noop-save":
        return this.noopSave(event.deal, event.route, event.fault);
      case "toggle":
        return this.toggle(event.deal, event.on, event.route, event.fault);
      case "microsoft":
        return this.microsoft(event.deal, event.change, event.fault, event.index);
      case "incoming":
        return this.incoming(event.name, event.value);
      case "retry-worker":
        await runDueRetries(this.instance(event.instance).services.application, { limit: 50, concurrency: 2 });
        return;
    }
  }

  private instance(name: "A" | "B"): ProxyInstance {
    const found = this.product.proxies.find((p) => p.name === name);
    if (!found) throw new Error(`No proxy instance ${name}.`);
    return found;
  }

  private urlOf(route: Route): string | null {
    if (route === "process") return this.processes?.current()?.url ?? null;
    return this.instance(route).url;
  }

  private async sellerToken(): Promise<string> {
    if (!this.token || this.token.until < Date.now()) {
      this.token = { value: await this.product.idp.issue({ oid: SEED.aad.jiwoo }), until: Date.now() + 30 * 60_000 };
    }
    return this.token.value;
  }

  /** The form's call after a save; answers are tallied (a 503 while a dependency fails is the designed answer). */
  private async formSync(deal: number, route: Route, trigger: "save" | "toggle"): Promise<void> {
    const url = this.urlOf(route);
    if (!url) return this.count(this.stats.syncAnswers, "proxy process down");
    try {
      const res = await fetch(`${url}/api/sync`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${await this.sellerToken()}` },
        body: JSON.stringify({ opportunityId: this.deals[deal]!.opportunityId, trigger }),
        signal: AbortSignal.timeout(60_000),
      });
      await res.arrayBuffer();
      this.count(this.stats.syncAnswers, String(res.status));
    } catch {
      this.count(this.stats.syncAnswers, route === "process" ? "proxy process down" : "no answer");
    }
  }

  private crmData(changes: FieldChanges): Row {
    return {
      ...(changes.value !== undefined ? { estimatedvalue: changes.value } : {}),
      ...(changes.closeDate !== undefined ? { estimatedclosedate: changes.closeDate } : {}),
      ...(changes.notes !== undefined ? { description: changes.notes } : {}),
    };
  }

  private recordCrm(deal: number, changes: FieldChanges, event: number): void {
    const id = this.deals[deal]!.opportunityId;
    const at = Date.now();
    for (const [field, value] of Object.entries(changes) as [keyof FieldChanges, string | number][]) {
      this.ledger.record(id, field, { side: "crm", value, at, event });
    }
  }

  private async sellerSave(deal: number, data: Row): Promise<void> {
    await this.seller.update({ collection: "opportunities", key: this.deals[deal]!.opportunityId, data });
  }

  /** Queues a one-shot fault in an emulator, so the next matching request of whoever comes next meets it. */
  private queueFault(kind: FaultKind, deal: number): void {
    const pc = this.product.pc.context.faults;
    const referrals = "/v1.0/engagements/referrals";
    const hasReferral = this.referralOf.has(this.deals[deal]!.opportunityId);
    switch (kind) {
      case "pc-503":
        pc.enqueue({ kind: "status", status: 503, pathPrefix: referrals });
        break;
      case "pc-429":
        pc.enqueue({ kind: "status", status: 429, retryAfterSeconds: 1, pathPrefix: referrals });
        break;
      case "pc-timeout":
        // Longer than the client waits: it gives up while Partner Center still does the work.
        pc.enqueue({ kind: "latency", latencyMs: Math.round(CHAOS_TIMING.timeoutMs * 1.5), pathPrefix: referrals });
        break;
      case "pc-drop":
        pc.enqueue({ kind: "drop", pathPrefix: referrals });
        break;
      case "pc-lost-answer":
        pc.enqueue({ kind: "lostAnswer", method: hasReferral ? "PATCH" : "POST", pathPrefix: referrals });
        break;
      case "dv-503":
      case "dv-429":
        // The proxy's snapshot read is a $batch; sellers' saves are not, so the fault meets the proxy.
        this.product.dv.injectFault({
          method: "POST",
          path: "$batch",
          status: kind === "dv-503" ? 503 : 429,
          ...(kind === "dv-429" ? { retryAfterSeconds: 1 } : {}),
          onFire: () => this.faults.happened(kind),
        });
        return;
      default:
        return;
    }
    this.faults.queuedAtPartnerCenter(kind);
  }

  private async edit(deal: number, changes: FieldChanges, route: Route, fault: FaultKind | null, index: number) {
    if (fault) this.queueFault(fault, deal);
    if (fault === "race-412") return this.race(deal, changes, index);
    await this.sellerSave(deal, this.crmData(changes));
    this.recordCrm(deal, changes, index);
    if (fault === "dv-duplicate-webhook" || fault === "dv-reordered-webhooks") {
      await this.dataverseWebhooks(deal, changes, fault);
    }
    await this.formSync(deal, route, "save");
  }

  /** Two sellers and Microsoft write the same deal at once, and both instances sync it at once. */
  private async race(deal: number, changes: FieldChanges, index: number): Promise<void> {
    const id = this.deals[deal]!.opportunityId;
    const referralId = await this.findReferral(id);
    const second: FieldChanges = { closeDate: `2028-0${(index % 9) + 1}-15` };
    const microsoftNotes = `Microsoft note at race ${index}`;
    await Promise.all([
      this.sellerSave(deal, this.crmData(changes)).then(() => this.recordCrm(deal, changes, index)),
      this.sellerSave(deal, this.crmData(second)).then(() => this.recordCrm(deal, second, index)),
      this.formSync(deal, "A", "save"),
      this.formSync(deal, "B", "save"),
      referralId && !this.closedDeals.has(id)
        ? this.microsoftUpdate(id, referralId, { notes: microsoftNotes }, index)
        : Promise.resolve(),
    ]);
    this.faults.happened("race-412");
  }

  /** Dataverse delivering one event twice, or an older one after a newer one, to both instances. */
  private async dataverseWebhooks(deal: number, changes: FieldChanges, fault: FaultKind): Promise<void> {
    const id = this.deals[deal]!.opportunityId;
    const context = (attributes: Row) =>
      JSON.stringify({
        MessageName: "Update",
        PrimaryEntityName: "opportunity",
        PrimaryEntityId: id,
        InitiatingUserId: SEED.users.jiwoo,
        UserId: SEED.users.jiwoo,
        Depth: 1,
        CorrelationId: `chaos-${deal}-${Date.now()}`,
        InputParameters: [
          {
            key: "Target",
            value: {
              LogicalName: "opportunity",
              Id: id,
              Attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
            },
          },
        ],
      });
    const newer = context(this.crmData(changes));
    const older = context({ estimatedvalue: { Value: 1 } });
    const order = fault === "dv-duplicate-webhook" ? [newer, newer] : [newer, older];
    for (const body of order) {
      await Promise.all(
        this.product.proxies.map((p) =>
          fetch(`${p.url}/api/webhooks/dataverse`, {
            method: "POST",
            headers: { "Content-Type": "application/json", "x-pcs-webhook-key": DATAVERSE_WEBHOOK_SECRET },
            body,
          }).then((res) => res.arrayBuffer()),
        ),
      );
    }
    this.faults.happened(fault);
  }

  private async noopSave(deal: number, route: Route, fault: FaultKind | null): Promise<void> {
    if (fault) this.queueFault(fault, deal);
    // The form saves the value it already has: Dataverse fires the step, and nothing needs to reach Partner Center.
    const row = (await this.seller.retrieve({
      collection: "opportunities",
      key: this.deals[deal]!.opportunityId,
      select: ["description"],
    })) as Row;
    await this.sellerSave(deal, { description: row.description });
    await this.formSync(deal, route, "save");
  }

  private async toggle(deal: number, on: boolean, route: Route, fault: FaultKind | null): Promise<void> {
    if (fault) this.queueFault(fault, deal);
    await this.sellerSave(deal, { pcs_syncwithpartnercenter: on });
    if (on) await this.formSync(deal, route, "toggle");
  }

  /** The referral of a deal, from the emulator's store (the admin view of Microsoft's side). */
  private async findReferral(opportunityId: string): Promise<string | null> {
    const known = this.referralOf.get(opportunityId);
    if (known) return known;
    for (const r of this.product.pc.context.store.all() as Iterable<Referral>) {
      if (r.externalReferenceId?.toLowerCase() === opportunityId) {
        this.referralOf.set(opportunityId, r.id);
        return r.id;
      }
    }
    return null;
  }

  private async admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.product.pc.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  private async microsoftUpdate(opportunityId: string, referralId: string, changes: FieldChanges, index: number) {
    const res = await this.admin("PATCH", `/admin/referrals/${referralId}/details`, {
      ...(changes.value !== undefined ? { dealValue: changes.value } : {}),
      ...(changes.closeDate !== undefined ? { closingDateTime: `${changes.closeDate}T00:00:00Z` } : {}),
      ...(changes.notes !== undefined ? { notes: changes.notes } : {}),
    });
    if (res.status >= 300) return this.count(this.stats.skipped, `microsoft update answered ${res.status}`);
    const at = Date.now();
    for (const [field, value] of Object.entries(changes) as [keyof FieldChanges, string | number][]) {
      this.ledger.record(opportunityId, field, { side: "partnerCenter", value, at, event: index });
    }
  }

  private async microsoft(deal: number, change: MicrosoftAction, fault: FaultKind | null, index: number) {
    const id = this.deals[deal]!.opportunityId;
    const referralId = await this.findReferral(id);
    if (!referralId) return this.count(this.stats.skipped, "microsoft: no referral yet");
    if (this.closedDeals.has(id)) return this.count(this.stats.skipped, "microsoft: referral closed");
    const path = `/admin/referrals/${referralId}`;
    let res: { status: number };
    switch (change.action) {
      case "update":
        await this.microsoftUpdate(id, referralId, change.changes, index);
        res = { status: 200 };
        break;
      case "accept":
        res = await this.admin("POST", `${path}/accept`, { microsoftMsxId: change.msxId });
        break;
      case "tracking":
        res = await this.admin("PUT", `${path}/tracking`, { microsoftMsxId: change.msxId });
        break;
      case "decline":
        res = await this.admin("POST", `${path}/decline`, { reason: "Chaos says no" });
        break;
      case "close":
        res = await this.admin("POST", `${path}/close`, { outcome: change.outcome });
        break;
      case "expire":
        res = await this.admin("POST", `${path}/expire`);
        break;
    }
    if (res.status >= 300) return this.count(this.stats.skipped, `microsoft ${change.action} answered ${res.status}`);
    if (["decline", "close", "expire"].includes(change.action)) this.closedDeals.add(id);
    if (fault === "pc-duplicate-webhook" || fault === "pc-reordered-webhooks") {
      await this.partnerCenterWebhooks(referralId, fault);
    }
  }

  /** Partner Center delivering one event twice, or the last two out of order, to the other instance. */
  private async partnerCenterWebhooks(referralId: string, fault: FaultKind): Promise<void> {
    const webhooks = this.product.pc.context.webhooks;
    const mine = webhooks.deliveries().filter((d) => d.event.ResourceUri.endsWith(`/referrals/${referralId}`));
    const picked = fault === "pc-duplicate-webhook" ? mine.slice(-1) : mine.slice(-2).reverse();
    if (picked.length === 0 || (fault === "pc-reordered-webhooks" && picked.length < 2)) {
      return this.count(this.stats.skipped, `${fault}: not enough deliveries`);
    }
    const targets = this.product.proxies.slice(1);
    for (const d of picked) {
      const signature = sign("sha256", Buffer.from(d.body, "utf8"), webhooks.signing.leafPrivateKeyPem).toString(
        "base64",
      );
      await Promise.all(
        targets.map((p) =>
          fetch(`${p.url}/api/webhooks/partner-center`, {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              Authorization: `Signature ${signature}`,
              "X-MS-Certificate-Url": this.product.pc.trust.certificateUrl,
              "X-MS-Signature-Algorithm": "rsa-sha256",
            },
            body: d.body,
          }).then((res) => res.arrayBuffer()),
        ),
      );
    }
    this.faults.happened(fault);
  }

  private async incoming(name: string, value: number): Promise<void> {
    const res = await this.admin("POST", "/admin/referrals", {
      name,
      customerProfile: {
        name: `${name} customer`,
        address: { addressLine1: "1 Sejong-daero", city: "Seoul", postalCode: "04524", country: "KR" },
        team: [{ firstName: "Minho", lastName: "Lee", email: `lead${value}@customer.example` }],
      },
      consent: { consentToShareReferralWithMicrosoftSellers: true },
      details: { dealValue: value, currency: "USD", closingDateTime: "2027-09-30T00:00:00Z", notes: "From Microsoft" },
    });
    if (res.status >= 300) throw new Error(`Microsoft's referral was not created (${res.status}).`);
    this.incomingReferralIds.push((res.body as Referral).id);
  }

  /** The kill: the process takes this deal's sync while Partner Center answers slowly, and dies mid-call. */
  private async editWhileKilling(deal: number, changes: FieldChanges, index: number): Promise<void> {
    const process = this.processes?.current();
    if (!this.processes || !process) return this.edit(deal, changes, "A", null, index);
    this.product.pc.context.faults.enqueue({
      kind: "slowBody",
      slowBodyMs: 3_000,
      pathPrefix: "/v1.0/engagements/referrals",
      times: 3,
    });
    await this.sellerSave(deal, this.crmData(changes));
    this.recordCrm(deal, changes, index);
    void this.formSync(deal, "process", "save");
    await new Promise((resolve) => setTimeout(resolve, 500));
    this.killedAt.push(Date.now());
    await this.processes.killAndRestart();
    this.faults.happened("proxy-killed");
  }
}
