import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { MsalClientCredentialsTokenProvider, StaticTokenProvider } from "../../plugins-ts/src/dataverse/tokenProvider";

/**
 * MSAL's own network module replaced by a fake Entra ID: discovery documents and a token endpoint
 * that records what the provider asked for. No network, but the real MSAL code path.
 */
function fakeEntra(tenant: string) {
  const tokenRequests: string[] = [];
  let issued = 0;
  const respond = <T>(body: unknown): NetworkResponse<T> => ({ headers: {}, body: body as T, status: 200 });
  const network: INetworkModule = {
    sendGetRequestAsync: <T>(url: string): Promise<NetworkResponse<T>> => {
      if (url.includes("/discovery/instance")) {
        return Promise.resolve(
          respond<T>({
            tenant_discovery_endpoint: `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`,
            "api-version": "1.1",
            metadata: [
              {
                preferred_network: "login.microsoftonline.com",
                preferred_cache: "login.windows.net",
                aliases: ["login.microsoftonline.com"],
              },
            ],
          }),
        );
      }
      if (url.includes("openid-configuration")) {
        return Promise.resolve(
          respond<T>({
            token_endpoint: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
            authorization_endpoint: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/authorize`,
            end_session_endpoint: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/logout`,
            issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
            jwks_uri: `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`,
          }),
        );
      }
      return Promise.reject(new Error(`unexpected GET ${url}`));
    },
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
      tokenRequests.push(`${url} ${options?.body ?? ""}`);
      issued += 1;
      return Promise.resolve(
        respond<T>({ token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600, access_token: `token-${issued}` }),
      );
    },
  };
  return { network, tokenRequests };
}

describe("token providers", () => {
  it("static provider returns its token and refuses an empty one", async () => {
    await expect(new StaticTokenProvider("abc").getToken()).resolves.toBe("abc");
    expect(() => new StaticTokenProvider(" ")).toThrow(/non-empty/);
  });

  it("client credentials ask Entra ID for <org>/.default once and reuse the cached token", async () => {
    const tenant = "11111111-2222-4333-8444-555555555555";
    const entra = fakeEntra(tenant);
    const provider = new MsalClientCredentialsTokenProvider({
      tenantId: tenant,
      clientId: "66666666-7777-4888-9999-000000000000",
      clientSecret: "not-a-real-secret",
      orgUrl: "https://contoso.crm.dynamics.com/",
      system: { networkClient: entra.network },
    });
    expect(provider.expiresOn()).toBeNull();
    const first = await provider.getToken();
    const second = await provider.getToken();
    expect(first).toBe("token-1");
    expect(second).toBe("token-1");
    expect(entra.tokenRequests).toHaveLength(1);
    expect(entra.tokenRequests[0]).toContain(`https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`);
    expect(decodeURIComponent(entra.tokenRequests[0] ?? "")).toContain(
      "scope=https://contoso.crm.dynamics.com/.default",
    );
    expect(decodeURIComponent(entra.tokenRequests[0] ?? "")).toContain("grant_type=client_credentials");
    const expiry = provider.expiresOn();
    expect(expiry).toBeInstanceOf(Date);
    expect(expiry!.getTime()).toBeGreaterThan(Date.now() + 3000 * 1000);
  });

  it("refuses settings without a secret or certificate", () => {
    expect(
      () =>
        new MsalClientCredentialsTokenProvider({ tenantId: "t", clientId: "c", orgUrl: "https://x.crm.dynamics.com" }),
    ).toThrow(/clientSecret or clientCertificate/);
  });
});
