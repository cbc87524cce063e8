import type { Language } from "../../../domain";

/**
 * The proxy's whole configuration, from environment variables, validated at start. Real services and the
 * local emulators differ only in these values, never in code. Every problem is reported at once, each
 * naming its setting, so a bad deployment fails at start rather than on the first sync.
 */

export interface ProxyConfig {
  mode: "real" | "emulator";
  host: string;
  port: number;
  /** Browser origins allowed to call /api/sync (the Dynamics 365 org URL, the sandbox page). */
  allowedOrigins: string[];
  auth: {
    /** OIDC issuer of sellers' tokens, e.g. https://login.microsoftonline.com/<tenant>/v2.0 */
    issuer: string;
    audience: string;
    /** JWKS URL; when absent it is read from the issuer's OpenID configuration. */
    jwksUri: string | null;
    /** Tenants (tid) whose users may call; empty means the issuer's own tenant only. */
    allowedTenants: string[];
  };
  dataverse: {
    url: string;
    /** systemuserid of the proxy's application user: its writes are recognised as echoes. */
    applicationUserId: string | null;
    tenantId: string | null;
    clientId: string | null;
    clientSecret: string | null;
  };
  partnerCenter: {
    apiUrl: string;
    /** Integration user sign-in (device code once, refresh tokens after). */
    clientId: string | null;
    tenantId: string | null;
    tokenCachePath: string | null;
    /** Secret the token cache's encryption key is derived from. */
    tokenCacheSecret: string | null;
    portalUrl: string;
  };
  webhooks: {
    /** Shared secret for the Dataverse service endpoint (WebhookKey ?code= or the x-pcs-webhook-key header). */
    dataverseSecret: string;
    /** PEM of the root(s) Partner Center webhook certificates must chain to. */
    partnerCenterTrustedRootsPem: string | null;
    /** PEM of the intermediate CA(s) that issue the signing certificate (the certificate URL serves the leaf only). */
    partnerCenterIntermediatesPem: string | null;
    /** X-MS-Certificate-Url must start with one of these. */
    partnerCenterCertificateUrlPrefixes: string[];
    /** Organisation (O=) the signing certificate must name. */
    partnerCenterSignerOrganization: string;
    /** Deliveries whose ResourceChangeUtcDate is older than this are refused as replays. */
    partnerCenterMaxAgeSeconds: number;
  };
  dailyBudget: number;
  language: Language;
  maxBodyBytes: number;
  jobs: {
    /** How long a create claim holds before another instance or the retry worker may take over. */
    claimTtlSeconds: number;
    retryEverySeconds: number;
    reconcileEverySeconds: number;
  };
  /** What `setup` registers and `doctor` checks (plugins-ts/README.md, "Setup and doctor"). */
  setup: {
    /** The proxy's URL as Dataverse, Partner Center and browsers reach it; null until deployed. */
    publicUrl: string | null;
    /** The webhook registration and account API host (api.partnercenter.microsoft.com, or the emulator). */
    partnerCenterWebhooksUrl: string;
    /** UPN of the Partner Center integration user, whose roles doctor checks. */
    partnerCenterUsername: string | null;
    /** AAD object id of the administrator setup acts for on Dataverse (CallerObjectId); null: the application user. */
    adminAadObjectId: string | null;
    /** Values for the form's sign-in environment variables. */
    signInTenantId: string | null;
    signInClientId: string | null;
    signInScope: string | null;
    /** Sandbox only: the development issuer's token URL the form uses instead of Entra ID. */
    developmentIssuerUrl: string | null;
    /** How long GET /api/health reuses a doctor run. */
    healthCacheSeconds: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The proxy configuration is not valid:\n- ${problems.join("\n- ")}`);
    this.name = "ConfigError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function loadProxyConfig(env: Env): ProxyConfig {
  const problems: string[] = [];
  const text = (name: string): string | null => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const required = (name: string, hint: string): string => {
    const v = text(name);
    if (!v) problems.push(`${name} is required: ${hint}.`);
    return v ?? "";
  };
  const url = (name: string, value: string | null, mode: "real" | "emulator"): string | null => {
    if (value === null || value === "") return null;
    try {
      const u = new URL(value);
      const local = u.hostname === "127.0.0.1" || u.hostname === "localhost";
      if (u.protocol !== "https:" && !(u.protocol === "http:" && (mode === "emulator" || local))) {
        problems.push(`${name} must be an https URL (got "${value}").`);
      }
      return value.replace(/\/+$/, "");
    } catch {
      problems.push(`${name} is not a URL (got "${value}").`);
      return null;
    }
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const v = text(name);
    if (v === null) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${v}").`);
      return fallback;
    }
    return n;
  };
  const guid = (name: string, value: string | null): string | null => {
    if (value !== null && !GUID.test(value)) problems.push(`${name} must be a GUID (got "${value}").`);
    return value === null ? null : value.toLowerCase();
  };
  const email = (name: string, value: string | null): string | null => {
    if (value !== null && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
      problems.push(`${name} must be a user principal name such as referrals@contoso.com (got "${value}").`);
    return value;
  };
  const list = (name: string): string[] =>
    (text(name) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);

  const modeText = text("PCS_MODE") ?? "real";
  if (modeText !== "real" && modeText !== "emulator")
    problems.push(`PCS_MODE must be "real" or "emulator" (got "${modeText}").`);
  const mode = modeText === "emulator" ? "emulator" : "real";

  const origins = list("PCS_ALLOWED_ORIGINS");
  origins.forEach((o) => url("PCS_ALLOWED_ORIGINS", o, mode));
  const tenants = list("PCS_ALLOWED_TENANTS");
  tenants.forEach((t) => guid("PCS_ALLOWED_TENANTS", t));

  const secret = required(
    "PCS_DATAVERSE_WEBHOOK_SECRET",
    "the WebhookKey or header value of the Dataverse service endpoint",
  );
  if (secret && secret.length < 32) problems.push("PCS_DATAVERSE_WEBHOOK_SECRET must be at least 32 characters.");

  const cacheSecret = text("PCS_PARTNER_CENTER_TOKEN_CACHE_SECRET");
  if (cacheSecret && cacheSecret.length < 16)
    problems.push("PCS_PARTNER_CENTER_TOKEN_CACHE_SECRET must be at least 16 characters.");

  const language = text("PCS_LANGUAGE") ?? "en";
  if (language !== "en" && language !== "ko") problems.push(`PCS_LANGUAGE must be "en" or "ko" (got "${language}").`);

  const config: ProxyConfig = {
    mode,
    host: text("PCS_HOST") ?? "0.0.0.0",
    port: integer("PCS_PORT", 7100, 0, 65535),
    allowedOrigins: origins,
    auth: {
      issuer: url("PCS_OIDC_ISSUER", required("PCS_OIDC_ISSUER", "the OIDC issuer of sellers' tokens"), mode) ?? "",
      audience: required("PCS_OIDC_AUDIENCE", "the application ID URI or client id tokens are issued for"),
      jwksUri: url("PCS_OIDC_JWKS_URI", text("PCS_OIDC_JWKS_URI"), mode),
      allowedTenants: tenants.map((t) => t.toLowerCase()),
    },
    dataverse: {
      url:
        url(
          "PCS_DATAVERSE_URL",
          required("PCS_DATAVERSE_URL", "the organization URL, e.g. https://contoso.crm.dynamics.com"),
          mode,
        ) ?? "",
      applicationUserId: guid("PCS_DATAVERSE_APPLICATION_USER_ID", text("PCS_DATAVERSE_APPLICATION_USER_ID")),
      tenantId: guid("PCS_DATAVERSE_TENANT_ID", text("PCS_DATAVERSE_TENANT_ID")),
      clientId: guid("PCS_DATAVERSE_CLIENT_ID", text("PCS_DATAVERSE_CLIENT_ID")),
      clientSecret: text("PCS_DATAVERSE_CLIENT_SECRET"),
    },
    partnerCenter: {
      apiUrl:
        url("PCS_PARTNER_CENTER_URL", text("PCS_PARTNER_CENTER_URL") ?? "https://api.partner.microsoft.com", mode) ??
        "",
      clientId: guid("PCS_PARTNER_CENTER_CLIENT_ID", text("PCS_PARTNER_CENTER_CLIENT_ID")),
      tenantId: guid("PCS_PARTNER_CENTER_TENANT_ID", text("PCS_PARTNER_CENTER_TENANT_ID")),
      tokenCachePath: text("PCS_PARTNER_CENTER_TOKEN_CACHE"),
      tokenCacheSecret: text("PCS_PARTNER_CENTER_TOKEN_CACHE_SECRET"),
      portalUrl:
        url(
          "PCS_PARTNER_CENTER_PORTAL_URL",
          text("PCS_PARTNER_CENTER_PORTAL_URL") ?? "https://partner.microsoft.com/dashboard/referrals/v2/leads",
          mode,
        ) ?? "",
    },
    webhooks: {
      dataverseSecret: secret,
      partnerCenterTrustedRootsPem: text("PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM"),
      partnerCenterIntermediatesPem: text("PCS_PARTNER_CENTER_WEBHOOK_INTERMEDIATES_PEM"),
      partnerCenterCertificateUrlPrefixes: list("PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS"),
      partnerCenterSignerOrganization: text("PCS_PARTNER_CENTER_WEBHOOK_ORGANIZATION") ?? "Microsoft Corporation",
      partnerCenterMaxAgeSeconds: integer("PCS_PARTNER_CENTER_WEBHOOK_MAX_AGE_SECONDS", 86_400, 300, 30 * 86_400),
    },
    dailyBudget: integer("PCS_DAILY_BUDGET", 10_000, 1, 1_000_000),
    language: language === "ko" ? "ko" : "en",
    maxBodyBytes: integer("PCS_MAX_BODY_BYTES", 1_048_576, 1024, 16_777_216),
    jobs: {
      claimTtlSeconds: integer("PCS_CLAIM_TTL_SECONDS", 120, 1, 3600),
      retryEverySeconds: integer("PCS_RETRY_EVERY_SECONDS", 30, 1, 3600),
      reconcileEverySeconds: integer("PCS_RECONCILE_EVERY_SECONDS", 900, 10, 86_400),
    },
    setup: {
      publicUrl: url("PCS_PUBLIC_URL", text("PCS_PUBLIC_URL"), mode),
      partnerCenterWebhooksUrl:
        url(
          "PCS_PARTNER_CENTER_WEBHOOKS_URL",
          // The emulator serves both Partner Center hosts on one port.
          text("PCS_PARTNER_CENTER_WEBHOOKS_URL") ??
            (mode === "emulator" ? text("PCS_PARTNER_CENTER_URL") : null) ??
            "https://api.partnercenter.microsoft.com",
          mode,
        ) ?? "",
      partnerCenterUsername: email("PCS_PARTNER_CENTER_USERNAME", text("PCS_PARTNER_CENTER_USERNAME")),
      adminAadObjectId: guid("PCS_SETUP_ADMIN_AAD_OBJECT_ID", text("PCS_SETUP_ADMIN_AAD_OBJECT_ID")),
      signInTenantId: guid("PCS_SIGN_IN_TENANT_ID", text("PCS_SIGN_IN_TENANT_ID")),
      signInClientId: guid("PCS_SIGN_IN_CLIENT_ID", text("PCS_SIGN_IN_CLIENT_ID")),
      signInScope: text("PCS_SIGN_IN_SCOPE"),
      developmentIssuerUrl: url("PCS_DEVELOPMENT_ISSUER_URL", text("PCS_DEVELOPMENT_ISSUER_URL"), mode),
      healthCacheSeconds: integer("PCS_HEALTH_CACHE_SECONDS", 60, 0, 3600),
    },
  };

  if (mode === "real") {
    // Real services need real credentials; the emulators accept the static ones.
    for (const [name, value] of [
      ["PCS_DATAVERSE_TENANT_ID", config.dataverse.tenantId],
      ["PCS_DATAVERSE_CLIENT_ID", config.dataverse.clientId],
      ["PCS_DATAVERSE_CLIENT_SECRET", config.dataverse.clientSecret],
      ["PCS_DATAVERSE_APPLICATION_USER_ID", config.dataverse.applicationUserId],
      ["PCS_PARTNER_CENTER_CLIENT_ID", config.partnerCenter.clientId],
      ["PCS_PARTNER_CENTER_TENANT_ID", config.partnerCenter.tenantId],
      ["PCS_PARTNER_CENTER_TOKEN_CACHE", config.partnerCenter.tokenCachePath],
      ["PCS_PARTNER_CENTER_TOKEN_CACHE_SECRET", config.partnerCenter.tokenCacheSecret],
      ["PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM", config.webhooks.partnerCenterTrustedRootsPem],
      ["PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS", config.webhooks.partnerCenterCertificateUrlPrefixes.join(",")],
    ] as const) {
      if (!value) problems.push(`${name} is required when PCS_MODE is "real".`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** For the command-line entry points: a bad configuration prints every problem and exits with status 2. */
export function loadProxyConfigOrExit(env: Env): ProxyConfig {
  try {
    return loadProxyConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
