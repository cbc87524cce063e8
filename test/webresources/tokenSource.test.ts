import { readEnvironmentVariables, environmentVariablesQuery } from "../../webresources/src/environmentVariables";
import { configureRuntime, tokenSourceFor } from "../../webresources/src/runtime";
import {
  createDevelopmentTokenSource,
  createMsalTokenSource,
  TokenError,
  type MsalAccount,
  type MsalClient,
  type MsalModule,
} from "../../webresources/src/tokenSource";
import { FakeProxy } from "./fakeProxy";
import { FormHarness } from "./formHarness";

class InteractionRequiredAuthError extends Error {
  errorCode = "interaction_required";
}

function fakeMsal(
  accounts: MsalAccount[] = [],
  behaviour: "ok" | "interaction" | "error" = "ok",
  popup: "ok" | "cancelled" = "ok",
) {
  const calls: { method: string; request: unknown }[] = [];
  const configurations: unknown[] = [];
  let active: MsalAccount | null = null;
  const answer = (method: string, request: unknown) => {
    calls.push({ method, request });
    if (behaviour === "interaction") return Promise.reject(new InteractionRequiredAuthError("login required"));
    if (behaviour === "error") return Promise.reject(Object.assign(new Error("boom"), { errorCode: "network_error" }));
    return Promise.resolve({
      accessToken: `token-from-${method}`,
      account: accounts[0] ?? { username: "seoyeon.lee@contoso-partner.example", homeAccountId: "h1" },
    });
  };
  const client: MsalClient = {
    getActiveAccount: () => active,
    getAllAccounts: () => accounts,
    setActiveAccount: (account) => {
      active = account;
    },
    acquireTokenSilent: (request) => answer("acquireTokenSilent", request),
    ssoSilent: (request) => answer("ssoSilent", request),
    acquireTokenPopup: (request) => {
      calls.push({ method: "acquireTokenPopup", request });
      if (popup === "cancelled")
        return Promise.reject(Object.assign(new Error("closed"), { errorCode: "user_cancelled" }));
      return Promise.resolve({
        accessToken: "token-from-popup",
        account: { username: "seoyeon.lee@contoso-partner.example", homeAccountId: "h1" },
      });
    },
  };
  const module: MsalModule = {
    createStandardPublicClientApplication: (configuration) => {
      configurations.push(configuration);
      return Promise.resolve(client);
    },
    InteractionRequiredAuthError,
  };
  return { module, calls, configurations };
}

const SETTINGS = {
  tenantId: "contoso.onmicrosoft.com",
  clientId: "11111111-2222-4333-8444-555555555555",
  scope: "api://referral-proxy/user_impersonation",
  redirectUri: "https://contoso.crm5.dynamics.com",
};

describe("tokenSource: msal-browser, silently", () => {
  it("first use: no account cached, so ssoSilent with the user's sign-in name as hint", async () => {
    const msal = fakeMsal([]);
    const source = createMsalTokenSource(SETTINGS, {
      loginHint: () => Promise.resolve("SeoYeon.Lee@contoso-partner.example"),
      loadMsal: () => Promise.resolve(msal.module),
    });
    expect(await source.getToken()).toBe("token-from-ssoSilent");
    expect(msal.calls).toEqual([
      { method: "ssoSilent", request: { scopes: [SETTINGS.scope], loginHint: "seoyeon.lee@contoso-partner.example" } },
    ]);
    expect(msal.configurations).toEqual([
      {
        auth: {
          clientId: SETTINGS.clientId,
          authority: "https://login.microsoftonline.com/contoso.onmicrosoft.com",
          redirectUri: SETTINGS.redirectUri,
        },
        cache: { cacheLocation: "sessionStorage" },
      },
    ]);
    // The account is now active: the next call is acquireTokenSilent, and MSAL is created once.
    expect(await source.getToken({ forceRefresh: true })).toBe("token-from-acquireTokenSilent");
    expect(msal.calls[1]).toMatchObject({
      method: "acquireTokenSilent",
      request: { forceRefresh: true, account: { username: "seoyeon.lee@contoso-partner.example" } },
    });
    expect(msal.configurations).toHaveLength(1);
  });

  it("picks the cached account matching the user", async () => {
    const msal = fakeMsal([
      { username: "someone.else@contoso-partner.example", homeAccountId: "h0" },
      { username: "seoyeon.lee@contoso-partner.example", homeAccountId: "h1" },
    ]);
    const source = createMsalTokenSource(SETTINGS, {
      loginHint: () => Promise.resolve("seoyeon.lee@contoso-partner.example"),
      loadMsal: () => Promise.resolve(msal.module),
    });
    await source.getToken();
    expect(msal.calls[0]).toMatchObject({
      method: "acquireTokenSilent",
      request: { account: { homeAccountId: "h1" }, forceRefresh: false },
    });
  });

  it("interaction required becomes a TokenError that says so", async () => {
    const msal = fakeMsal([], "interaction");
    const source = createMsalTokenSource(SETTINGS, {
      loginHint: () => Promise.resolve(null),
      loadMsal: () => Promise.resolve(msal.module),
    });
    const error = await source.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ detail: "interaction_required", interactionRequired: true });
  });

  it("after a click (Sync now) interaction required opens the sign-in popup with the user's hint", async () => {
    const msal = fakeMsal([], "interaction");
    let hints = 0;
    const source = createMsalTokenSource(SETTINGS, {
      loginHint: () => {
        hints += 1;
        return Promise.resolve("seoyeon.lee@contoso-partner.example");
      },
      loadMsal: () => Promise.resolve(msal.module),
    });
    expect(await source.getToken({ interactive: true })).toBe("token-from-popup");
    expect(msal.calls.map((c) => c.method)).toEqual(["ssoSilent", "acquireTokenPopup"]);
    expect(msal.calls[1]?.request).toEqual({
      scopes: [SETTINGS.scope],
      loginHint: "seoyeon.lee@contoso-partner.example",
    });
    // The popup's account is now active: no further hint lookup.
    await source.getToken({ interactive: true }).catch(() => undefined);
    expect(hints).toBe(1);
  });

  it("never opens a popup from a form event (not interactive)", async () => {
    const msal = fakeMsal([], "interaction");
    const source = createMsalTokenSource(SETTINGS, {
      loginHint: () => Promise.resolve(null),
      loadMsal: () => Promise.resolve(msal.module),
    });
    await expect(source.getToken()).rejects.toMatchObject({ interactionRequired: true });
    expect(msal.calls.map((c) => c.method)).toEqual(["ssoSilent"]);
  });

  it("a cancelled popup is a TokenError with MSAL's code", async () => {
    const msal = fakeMsal([], "interaction", "cancelled");
    const source = createMsalTokenSource(SETTINGS, {
      loginHint: () => Promise.resolve(null),
      loadMsal: () => Promise.resolve(msal.module),
    });
    await expect(source.getToken({ interactive: true })).rejects.toMatchObject({
      detail: "user_cancelled",
      interactionRequired: true,
    });
  });

  it("a failing login-hint lookup does not stop silent sign-in", async () => {
    const msal = fakeMsal([]);
    const source = createMsalTokenSource(SETTINGS, {
      loginHint: () => Promise.reject(new Error("403")),
      loadMsal: () => Promise.resolve(msal.module),
    });
    expect(await source.getToken()).toBe("token-from-ssoSilent");
    expect(msal.calls[0]?.request).toEqual({ scopes: [SETTINGS.scope] });
  });

  it("other MSAL errors carry their error code", async () => {
    const msal = fakeMsal([], "error");
    const source = createMsalTokenSource(SETTINGS, {
      loginHint: () => Promise.resolve(null),
      loadMsal: () => Promise.resolve(msal.module),
    });
    await expect(source.getToken()).rejects.toMatchObject({ detail: "network_error", interactionRequired: false });
  });

  it("a failure to load MSAL is a TokenError, and the next request tries again", async () => {
    const msal = fakeMsal([]);
    let loads = 0;
    const source = createMsalTokenSource(SETTINGS, {
      loginHint: () => Promise.resolve(null),
      loadMsal: () => (++loads === 1 ? Promise.reject(new Error("chunk failed")) : Promise.resolve(msal.module)),
    });
    await expect(source.getToken()).rejects.toMatchObject({ detail: "chunk failed" });
    await expect(source.getToken()).resolves.toBe("token-from-ssoSilent");
  });

  it("the real @azure/msal-browser module has what the token source uses", async () => {
    const msal = await import("@azure/msal-browser");
    expect(typeof msal.createStandardPublicClientApplication).toBe("function");
    expect(typeof msal.InteractionRequiredAuthError).toBe("function");
  });
});

describe("tokenSource: development issuer (sandbox)", () => {
  let issuer: FakeProxy;
  beforeEach(async () => {
    issuer = await new FakeProxy().start();
  });
  afterEach(() => issuer.stop());

  it("posts userId and scope, caches the token until it expires, refreshes on demand", async () => {
    const source = createDevelopmentTokenSource({ issuerUrl: `${issuer.url}/dev/token`, userId: "u-1", scope: "s" });
    expect(await source.getToken()).toBe("dev-token-1");
    expect(await source.getToken()).toBe("dev-token-1");
    expect(await source.getToken({ forceRefresh: true })).toBe("dev-token-2");
    expect(issuer.tokenRequests).toEqual([
      { userId: "u-1", scope: "s" },
      { userId: "u-1", scope: "s" },
    ]);
  });

  it("an unreachable issuer is a TokenError", async () => {
    await issuer.stop();
    const source = createDevelopmentTokenSource({ issuerUrl: `${issuer.url}/dev/token`, userId: "u-1", scope: "s" });
    await expect(source.getToken()).rejects.toBeInstanceOf(TokenError);
  });
});

describe("runtime: which token source the environment variables select", () => {
  beforeEach(() => {
    new FormHarness();
    configureRuntime();
  });

  it("the development issuer when pcs_DevelopmentIssuerUrl has a value", () => {
    const source = tokenSourceFor({ pcs_DevelopmentIssuerUrl: "http://127.0.0.1:1/dev/token", pcs_SignInScope: "s" });
    expect("getToken" in source).toBe(true);
  });

  it.each([
    [{}, "pcs_SignInTenantId"],
    [{ pcs_SignInTenantId: "t" }, "pcs_SignInClientId"],
    [{ pcs_SignInTenantId: "t", pcs_SignInClientId: "c" }, "pcs_SignInScope"],
  ])("MSAL needs tenant, client and scope: %j misses %s", (env, missing) => {
    expect(tokenSourceFor(env)).toEqual({ missing });
  });

  it("MSAL with the organization's URL as redirect URI when all sign-in settings are set", async () => {
    const msal = fakeMsal([]);
    configureRuntime({ loadMsal: () => Promise.resolve(msal.module) });
    const source = tokenSourceFor({ pcs_SignInTenantId: "t", pcs_SignInClientId: "c", pcs_SignInScope: "s" });
    expect("getToken" in source && (await source.getToken())).toBe("token-from-ssoSilent");
    expect(msal.configurations[0]).toMatchObject({
      auth: { redirectUri: "https://contoso.crm5.dynamics.com", authority: "https://login.microsoftonline.com/t" },
    });
    // The login hint came from the user's row (one request).
    expect(msal.calls[0]).toMatchObject({ request: { loginHint: "seoyeon.lee@contoso-partner.example" } });
  });
});

describe("environmentVariables", () => {
  it("reads definitions and current values in one request; the value wins over the default", async () => {
    const calls: string[] = [];
    const webApi = {
      retrieveMultipleRecords: (table: string, options: string) => {
        calls.push(`${table}${options}`);
        return Promise.resolve({
          entities: [
            {
              schemaname: "pcs_ProxyUrl",
              defaultvalue: "https://default.example",
              environmentvariabledefinition_environmentvariablevalue: [{ value: " https://proxy.contoso.example " }],
            },
            {
              schemaname: "pcs_SignInScope",
              defaultvalue: "api://x/.default",
              environmentvariabledefinition_environmentvariablevalue: [],
            },
            {
              schemaname: "pcs_SignInTenantId",
              defaultvalue: "",
              environmentvariabledefinition_environmentvariablevalue: [{ value: "" }],
            },
          ],
        });
      },
    } as unknown as Xrm.WebApi;
    const values = await readEnvironmentVariables(webApi, [
      "pcs_ProxyUrl",
      "pcs_SignInScope",
      "pcs_SignInTenantId",
      "pcs_SignInClientId",
    ]);
    expect(values).toEqual({
      pcs_ProxyUrl: "https://proxy.contoso.example",
      pcs_SignInScope: "api://x/.default",
      pcs_SignInTenantId: null,
      pcs_SignInClientId: null,
    });
    expect(calls).toEqual([
      "environmentvariabledefinition?$select=schemaname,defaultvalue&$filter=schemaname eq 'pcs_ProxyUrl' or schemaname eq 'pcs_SignInScope' or schemaname eq 'pcs_SignInTenantId' or schemaname eq 'pcs_SignInClientId'&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)",
    ]);
  });

  it("escapes quotes in names", () => {
    expect(environmentVariablesQuery(["a'b"])).toContain("schemaname eq 'a''b'");
  });
});
