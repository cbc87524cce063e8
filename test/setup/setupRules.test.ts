import { ConfigError, loadProxyConfig } from "../../plugins-ts/src/server/proxyConfig";
import { secretFingerprint } from "../../plugins-ts/src/setup/dataverseWebhookSetup";
import { messageOf, worstStatus } from "../../plugins-ts/src/setup/doctorCheck";
import { requiredVariables } from "../../plugins-ts/src/setup/environmentVariableSetup";
import { missingEvents, sameUrl } from "../../plugins-ts/src/setup/partnerCenterWebhookSetup";
import { connect } from "../../plugins-ts/src/setup/setupConnections";

/** The pure rules behind setup and doctor, and the settings they add to the proxy's configuration. */

const BASE = {
  PCS_MODE: "emulator",
  PCS_OIDC_ISSUER: "http://127.0.0.1:1/tenant/v2.0",
  PCS_OIDC_AUDIENCE: "api://pcs",
  PCS_DATAVERSE_URL: "http://127.0.0.1:2",
  PCS_PARTNER_CENTER_URL: "http://127.0.0.1:3",
  PCS_DATAVERSE_WEBHOOK_SECRET: "x".repeat(32),
};
const problems = (env: Record<string, string>): string[] => {
  try {
    loadProxyConfig({ ...BASE, ...env });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe("setup settings", () => {
  it("default the webhook host to the emulator's URL in emulator mode and to Partner Center's in real mode", () => {
    expect(loadProxyConfig(BASE).setup.partnerCenterWebhooksUrl).toBe("http://127.0.0.1:3");
    expect(loadProxyConfig(BASE).setup.healthCacheSeconds).toBe(60);
    expect(
      loadProxyConfig({ ...BASE, PCS_PARTNER_CENTER_WEBHOOKS_URL: "http://127.0.0.1:4/" }).setup
        .partnerCenterWebhooksUrl,
    ).toBe("http://127.0.0.1:4");
  });

  it("refuse bad values, each naming its setting", () => {
    expect(problems({ PCS_PARTNER_CENTER_USERNAME: "referrals" })).toEqual([
      'PCS_PARTNER_CENTER_USERNAME must be a user principal name such as referrals@contoso.com (got "referrals").',
    ]);
    expect(problems({ PCS_SETUP_ADMIN_AAD_OBJECT_ID: "admin" })).toEqual([
      'PCS_SETUP_ADMIN_AAD_OBJECT_ID must be a GUID (got "admin").',
    ]);
    expect(problems({ PCS_PARTNER_CENTER_TOKEN_CACHE_SECRET: "short" })).toEqual([
      "PCS_PARTNER_CENTER_TOKEN_CACHE_SECRET must be at least 16 characters.",
    ]);
    expect(problems({ PCS_HEALTH_CACHE_SECONDS: "-1" })).toEqual([
      'PCS_HEALTH_CACHE_SECONDS must be a whole number from 0 to 3600 (got "-1").',
    ]);
    expect(problems({ PCS_MODE: "real", PCS_PUBLIC_URL: "http://proxy.contoso.com" })).toContain(
      'PCS_PUBLIC_URL must be an https URL (got "http://proxy.contoso.com").',
    );
  });
});

describe("setup rules", () => {
  it("compare webhook URLs without a trailing slash or host case, but not across paths", () => {
    expect(
      sameUrl(
        "https://Proxy.Contoso.com/api/webhooks/partner-center/",
        "https://proxy.contoso.com/api/webhooks/partner-center",
      ),
    ).toBe(true);
    expect(
      sameUrl("https://proxy.contoso.com/api/webhooks/partner-center", "https://proxy.contoso.com/api/other"),
    ).toBe(false);
  });

  it("list the referral events a registration lacks", () => {
    expect(missingEvents(null)).toHaveLength(4);
    expect(missingEvents({ WebhookUrl: "u", WebhookEvents: ["referral-created", "referral-updated"] })).toEqual([
      "related-referral-created",
      "related-referral-updated",
    ]);
  });

  it("fingerprint the webhook secret without revealing it", () => {
    const secret = "s3cret-value-that-is-at-least-32-characters";
    expect(secretFingerprint(secret)).toMatch(/^pcs-webhook-key-sha256:[0-9a-f]{16}$/);
    expect(secretFingerprint(secret)).not.toContain(secret);
    expect(secretFingerprint(secret)).not.toBe(secretFingerprint(`${secret}!`));
  });

  it("require the sign-in values the form needs in each mode", () => {
    expect(requiredVariables("real", false)).toEqual([
      "pcs_ProxyUrl",
      "pcs_PartnerCenterPortalBaseUrl",
      "pcs_SignInTenantId",
      "pcs_SignInClientId",
      "pcs_SignInScope",
    ]);
    expect(requiredVariables("emulator", true)).toEqual([
      "pcs_ProxyUrl",
      "pcs_PartnerCenterPortalBaseUrl",
      "pcs_SignInScope",
      "pcs_DevelopmentIssuerUrl",
    ]);
  });

  it("take the worst status and keep tokens out of details", () => {
    expect(worstStatus(["pass", "warn", "pass"])).toBe("warn");
    expect(worstStatus(["warn", "fail"])).toBe("fail");
    expect(worstStatus([])).toBe("pass");
    expect(messageOf(new Error("GET failed with Authorization: Bearer eyJabc.def.ghi"))).toBe(
      "GET failed with Authorization: Bearer …",
    );
  });

  it("offer the device code sign-in in real mode only, without any network call to build the connections", () => {
    expect(connect(loadProxyConfig(BASE)).signIn).toBeNull();
    const real = loadProxyConfig({
      ...BASE,
      PCS_MODE: "real",
      PCS_OIDC_ISSUER: "https://login.microsoftonline.com/00000000-0000-4000-8000-000000000001/v2.0",
      PCS_DATAVERSE_URL: "https://contoso.crm.dynamics.com",
      PCS_PARTNER_CENTER_URL: "https://api.partner.microsoft.com",
      PCS_DATAVERSE_TENANT_ID: "00000000-0000-4000-8000-000000000001",
      PCS_DATAVERSE_CLIENT_ID: "00000000-0000-4000-8000-000000000002",
      PCS_DATAVERSE_CLIENT_SECRET: "secret",
      PCS_DATAVERSE_APPLICATION_USER_ID: "00000000-0000-4000-8000-000000000003",
      PCS_PARTNER_CENTER_CLIENT_ID: "00000000-0000-4000-8000-000000000004",
      PCS_PARTNER_CENTER_TENANT_ID: "00000000-0000-4000-8000-000000000001",
      PCS_PARTNER_CENTER_TOKEN_CACHE: "/tmp/pcs-setup-rules-cache.bin",
      PCS_PARTNER_CENTER_TOKEN_CACHE_SECRET: "cache-secret-of-sixteen-or-more",
      PCS_PARTNER_CENTER_WEBHOOK_ROOTS_PEM: "-----BEGIN CERTIFICATE-----",
      PCS_PARTNER_CENTER_WEBHOOK_CERTIFICATE_URLS: "https://example.invalid/",
    });
    expect(real.setup.partnerCenterWebhooksUrl).toBe("https://api.partnercenter.microsoft.com");
    expect(typeof connect(real).signIn).toBe("function");
  });
});
