import { randomBytes, randomUUID } from "node:crypto";
import { MonotonicClock } from "./timestamps";

/**
 * Referrals as Partner Center keeps them: server-owned fields (id, engagementId, eTag, timestamps, links,
 * organization) are set here on every write; what may change and how is decided by the routes.
 */

export type Referral = Record<string, unknown>;

export interface PartnerOrganization {
  organizationId: string;
  organizationName: string;
}

/** Cosmos-style quoted eTag, the shape the docs show: "\"2500ec5a-0000-0000-0000-5bf4967d0000\"". */
function newETag(): string {
  const h = randomBytes(10).toString("hex");
  return `"${h.slice(0, 8)}-0000-0800-0000-${h.slice(8, 20)}"`;
}

export function deepClone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export class ReferralStore {
  private readonly referrals = new Map<string, Referral>();
  /** Called after every write (persistence, webhooks). */
  onChange: (kind: "created" | "updated", referral: Referral) => void = () => undefined;

  constructor(
    readonly clock: MonotonicClock,
    private readonly baseUrl: () => string,
    readonly organization: PartnerOrganization,
  ) {}

  get size(): number {
    return this.referrals.size;
  }

  all(): IterableIterator<Referral> {
    return this.referrals.values();
  }

  get(id: string): Referral | undefined {
    return this.referrals.get(id);
  }

  /** Stores a new referral. `fields` is already validated; server-owned members are overwritten. */
  create(
    fields: Referral,
    options: { organization?: PartnerOrganization; finish?: (r: Referral) => void } = {},
  ): Referral {
    const now = this.clock.next();
    const id = randomUUID();
    const engagementId =
      typeof fields.engagementId === "string" && fields.engagementId ? fields.engagementId : randomUUID();
    const org = options.organization ?? this.organization;
    const referral: Referral = {
      ...deepClone(fields),
      id,
      engagementId,
      organizationId: org.organizationId,
      organizationName: org.organizationName,
      createdDateTime: now,
      updatedDateTime: now,
      eTag: newETag(),
    };
    delete referral["@odata.context"];
    options.finish?.(referral);
    this.decorate(referral);
    this.referrals.set(id, referral);
    this.onChange("created", referral);
    return referral;
  }

  /** Replaces a referral's content, keeping its identity and creation time; bumps eTag and updatedDateTime. */
  replace(id: string, next: Referral): Referral {
    const current = this.referrals.get(id);
    if (!current) throw new Error(`no referral ${id}`);
    const referral: Referral = {
      ...deepClone(next),
      id,
      engagementId: current.engagementId,
      organizationId: current.organizationId,
      organizationName: current.organizationName,
      createdDateTime: current.createdDateTime,
      updatedDateTime: this.clock.next(),
      eTag: newETag(),
    };
    this.decorate(referral);
    this.referrals.set(id, referral);
    this.onChange("updated", referral);
    return referral;
  }

  private decorate(r: Referral): void {
    const base = `${this.baseUrl()}/v1.0/engagements/referrals`;
    r.links = {
      self: { uri: `${base}/${String(r.id)}`, method: "GET" },
      relatedReferrals: { uri: `${base}?$filter=engagementId eq '${String(r.engagementId)}'`, method: "GET" },
    };
  }

  clear(): void {
    this.referrals.clear();
  }

  load(referrals: Referral[]): void {
    this.referrals.clear();
    for (const r of referrals) if (typeof r.id === "string") this.referrals.set(r.id, r);
  }

  snapshot(): Referral[] {
    return [...this.referrals.values()];
  }
}
