import { X509Certificate, verify as verifySignature } from "node:crypto";

/**
 * Verifies a Partner Center webhook delivery the way partner-center-webhooks.md prescribes: the three headers
 * are present, the certificate named by X-MS-Certificate-Url is fetched (from an allowed location, cached),
 * its chain ends at a configured trusted root, its issuer's Organization is the configured one, the algorithm is
 * rsa-sha256, and the body's RSA-SHA256 signature verifies with the certificate's key. Anything else is refused.
 */

export const REFERRAL_WEBHOOK_EVENTS = [
  "referral-created",
  "referral-updated",
  "related-referral-created",
  "related-referral-updated",
] as const;

export interface PartnerCenterWebhookEvent {
  EventName: string;
  ResourceUri: string;
  ResourceName: string;
  AuditUri?: string | null;
  ResourceChangeUtcDate: string;
}

export interface WebhookTrustOptions {
  /** PEM root certificates a signing chain must end at (Microsoft's roots; the emulator's root in tests). */
  trustedRootCertificatesPem: string[];
  /**
   * Intermediate CA certificates (PEM) to build the path with: the certificate URL serves the signing certificate
   * alone (a `.cer`), so the CA that issued it must be known here unless it is itself a trusted root.
   */
  intermediateCertificatesPem?: string[];
  /** Required Organization (O=) of the signing certificate's issuer, e.g. "Microsoft Corporation". */
  issuerOrganization: string;
  /** X-MS-Certificate-Url must start with one of these (no fetching from where an attacker points). */
  allowedCertificateUrlPrefixes: string[];
  cacheTtlMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export type WebhookVerification =
  | { ok: true; event: PartnerCenterWebhookEvent; referralId: string | null }
  | { ok: false; status: 400 | 401 | 503; reason: string };

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : headers[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Certificates from a .cer (DER) or a PEM bundle, leaf first. */
export function parseCertificates(bytes: Buffer): X509Certificate[] {
  const text = bytes.toString("latin1");
  if (text.includes("-----BEGIN CERTIFICATE-----")) {
    return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
      (pem) => new X509Certificate(pem),
    );
  }
  return [new X509Certificate(bytes)];
}

function organizationOf(distinguishedName: string): string | undefined {
  return distinguishedName
    .split("\n")
    .map((line) => /^O=(.*)$/.exec(line.trim())?.[1])
    .find((o) => o !== undefined);
}

const refuse = (status: 400 | 401 | 503, reason: string): WebhookVerification => ({ ok: false, status, reason });

export class WebhookSignatureVerifier {
  private readonly roots: X509Certificate[];
  private readonly intermediates: X509Certificate[];
  private readonly cache = new Map<string, { certs: X509Certificate[]; until: number }>();
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => Date;

  constructor(private readonly options: WebhookTrustOptions) {
    if (options.trustedRootCertificatesPem.length === 0)
      throw new Error("webhook verification needs at least one trusted root");
    this.roots = options.trustedRootCertificatesPem.map((pem) => new X509Certificate(pem));
    this.intermediates = (options.intermediateCertificatesPem ?? []).map((pem) => new X509Certificate(pem));
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? (() => new Date());
  }

  private async certificates(url: string, fresh: boolean): Promise<X509Certificate[]> {
    const cached = this.cache.get(url);
    if (!fresh && cached && cached.until > this.now().getTime()) return cached.certs;
    const res = await this.fetchImpl(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`certificate URL answered ${res.status}`);
    const certs = parseCertificates(Buffer.from(await res.arrayBuffer()));
    if (certs.length === 0) throw new Error("no certificate at the certificate URL");
    this.cache.set(url, { certs, until: this.now().getTime() + (this.options.cacheTtlMs ?? 3_600_000) });
    return certs;
  }

  /** Why the chain from `leaf` does not end at a trusted root, or null when it does. */
  private chainProblem(certs: X509Certificate[]): string | null {
    const now = this.now().getTime();
    const valid = (c: X509Certificate) => Date.parse(c.validFrom) <= now && now <= Date.parse(c.validTo);
    let current = certs[0]!;
    const intermediates = [...certs.slice(1), ...this.intermediates];
    for (let depth = 0; depth < 6; depth++) {
      if (!valid(current)) return `certificate ${current.subject.replace(/\n/g, ", ")} is outside its validity period`;
      const root = this.roots.find((r) => current.checkIssued(r) && current.verify(r.publicKey));
      if (root) return valid(root) ? null : "the trusted root is outside its validity period";
      const next = intermediates.find((c) => c.ca && current.checkIssued(c) && current.verify(c.publicKey));
      if (!next) return "the signing certificate does not chain to a trusted root";
      current = next;
    }
    return "the certificate chain is too long";
  }

  async verify(headers: Headers, rawBody: Buffer | string): Promise<WebhookVerification> {
    const authorization = header(headers, "authorization");
    const msSignature = header(headers, "x-ms-signature");
    const certificateUrl = header(headers, "x-ms-certificate-url");
    const algorithm = header(headers, "x-ms-signature-algorithm");
    let signature: string | undefined = msSignature;
    if (authorization !== undefined) {
      const m = /^Signature\s+(\S+)$/.exec(authorization.trim());
      if (!m) return refuse(401, "the Authorization scheme must be 'Signature'");
      signature = m[1];
    }
    if (!signature) return refuse(401, "the signature header is missing");
    if (!certificateUrl) return refuse(400, "X-MS-Certificate-Url is missing");
    if (!algorithm) return refuse(400, "X-MS-Signature-Algorithm is missing");
    if (algorithm.toLowerCase() !== "rsa-sha256")
      return refuse(401, `signature algorithm ${algorithm} is not accepted`);
    if (!this.options.allowedCertificateUrlPrefixes.some((p) => certificateUrl.startsWith(p))) {
      return refuse(401, "X-MS-Certificate-Url is not an allowed certificate location");
    }
    const body = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, "utf8");
    const sig = Buffer.from(signature, "base64");

    for (const fresh of [false, true]) {
      let certs: X509Certificate[];
      try {
        certs = await this.certificates(certificateUrl, fresh);
      } catch (e) {
        // Not the sender's fault for sure: answer 503 so Partner Center tries again later.
        return refuse(503, `could not get the signing certificate: ${(e as Error).message}`);
      }
      const problem = this.chainProblem(certs);
      if (problem) return refuse(401, problem);
      const leaf = certs[0]!;
      if (organizationOf(leaf.issuer) !== this.options.issuerOrganization) {
        return refuse(401, `the certificate issuer's organization is not ${this.options.issuerOrganization}`);
      }
      if (verifySignature("sha256", body, leaf.publicKey, sig)) return this.accept(body);
      // A rotated certificate may be cached under the same URL: fetch it once more before refusing.
    }
    return refuse(401, "the signature does not match the body");
  }

  private accept(body: Buffer): WebhookVerification {
    let event: unknown;
    try {
      event = JSON.parse(body.toString("utf8"));
    } catch {
      return refuse(400, "the body is not JSON");
    }
    const e = event as Partial<PartnerCenterWebhookEvent>;
    if (
      typeof e !== "object" ||
      e === null ||
      typeof e.EventName !== "string" ||
      typeof e.ResourceUri !== "string" ||
      typeof e.ResourceName !== "string" ||
      typeof e.ResourceChangeUtcDate !== "string"
    ) {
      return refuse(400, "the body is not a Partner Center event");
    }
    // ResourceUri is {baseURL}/engagements/v1/referrals/{id}; the id is what the Referrals API needs.
    let referralId: string | null = null;
    if (e.ResourceName === "referral") {
      try {
        referralId = decodeURIComponent(new URL(e.ResourceUri).pathname.split("/").pop() ?? "") || null;
      } catch {
        // Signed, so it is Partner Center's, but not a URL we can read an id from: bad input, not our failure.
        return refuse(400, "ResourceUri is not an absolute URL ending in a referral id");
      }
    }
    return { ok: true, event: e as PartnerCenterWebhookEvent, referralId };
  }
}
