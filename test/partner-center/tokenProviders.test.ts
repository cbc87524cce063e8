import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InteractionRequiredAuthError, type AccountInfo } from "@azure/msal-node";
import { decryptCache, encryptCache } from "../../plugins-ts/src/partnerCenter/encryptedTokenCache";
import {
  MsalDelegatedTokenProvider,
  REFERRALS_SCOPE,
  type MsalDelegatedOptions,
} from "../../plugins-ts/src/partnerCenter/msalDelegatedTokenProvider";
import { PartnerCenterClient } from "../../plugins-ts/src/partnerCenter/partnerCenterClient";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { failureOf } from "./harness";

/** Token providers: the static one for the emulator, MSAL App+User with an encrypted cache for the real API. */

const SECRET = "a-secret-from-key-vault-0123456789";
const CLIENT = "00000000-0000-0000-0000-000000000001";

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), "pc-token-")), "msal-cache.json");
}

describe("encrypted token cache", () => {
  it("round-trips, hides the refresh token, and refuses a wrong secret or an altered file", () => {
    const plain = JSON.stringify({ RefreshToken: { k: { secret: "refresh-token-value" } } });
    const stored = encryptCache(plain, SECRET);
    expect(stored).not.toContain("refresh-token-value");
    expect(decryptCache(stored, SECRET)).toBe(plain);
    expect(() => decryptCache(stored, "another-secret-0123456789")).toThrow(/cannot be decrypted/);
    const envelope = JSON.parse(stored) as { data: string };
    const altered = JSON.stringify({
      ...JSON.parse(stored),
      data: Buffer.from("x" + Buffer.from(envelope.data, "base64").toString("latin1")).toString("base64"),
    });
    expect(() => decryptCache(altered, SECRET)).toThrow(/cannot be decrypted/);
  });
});

describe("MsalDelegatedTokenProvider", () => {
  const account: AccountInfo = {
    homeAccountId: "uid.tid",
    environment: "login.microsoftonline.com",
    tenantId: "tid",
    username: "integration@partner.example",
    localAccountId: "uid",
  };

  function provider(
    app: Partial<NonNullable<MsalDelegatedOptions["application"]>>,
    accounts: AccountInfo[],
  ): MsalDelegatedTokenProvider {
    return new MsalDelegatedTokenProvider({
      clientId: "00000000-0000-0000-0000-000000000001",
      tenantId: "tid",
      cachePath: tempFile(),
      cacheSecret: SECRET,
      application: {
        getTokenCache: () => ({ getAllAccounts: async () => accounts }) as never,
        acquireTokenSilent: async () => {
          throw new Error("not scripted");
        },
        acquireTokenByDeviceCode: async () => null,
        ...app,
      },
    });
  }

  it("with no one signed in, reports it to health checks and fails as an auth failure", async () => {
    const p = provider({}, []);
    expect(await p.status()).toEqual({ signedIn: false, account: undefined, expiresOn: undefined });
    const e = await failureOf(p.getAccessToken());
    expect(e.category).toBe("auth");
  });

  it("renews silently for the signed-in integration user and exposes the token expiry", async () => {
    const expiresOn = new Date(Date.now() + 3600_000);
    const scopesSeen: string[][] = [];
    const p = provider(
      {
        acquireTokenSilent: async (req) => {
          scopesSeen.push(req.scopes);
          return { accessToken: "delegated-token", expiresOn, account: req.account } as never;
        },
      },
      [account],
    );
    expect(await p.getAccessToken()).toBe("delegated-token");
    expect(scopesSeen).toEqual([[REFERRALS_SCOPE]]);
    expect(await p.status()).toEqual({ signedIn: true, account: "integration@partner.example", expiresOn });
  });

  it("turns 'interaction required' (revoked refresh token, MFA) into an auth failure asking for sign-in", async () => {
    const p = provider(
      {
        acquireTokenSilent: async () => {
          throw new InteractionRequiredAuthError("invalid_grant", "AADSTS50173: the grant has expired");
        },
      },
      [account],
    );
    const e = await failureOf(p.getAccessToken());
    expect([e.category, e.message]).toEqual(["auth", "Partner Center sign-in needed: invalid_grant"]);
  });

  it("signs in once with the device code flow, passing the code to show", async () => {
    const prompts: string[] = [];
    const p = provider(
      {
        acquireTokenByDeviceCode: async (req) => {
          req.deviceCodeCallback({
            message: "go to https://microsoft.com/devicelogin",
            userCode: "ABCD-EFGH",
            verificationUri: "https://microsoft.com/devicelogin",
          } as never);
          return { accessToken: "t", expiresOn: new Date(), account } as never;
        },
      },
      [],
    );
    const signedIn = await p.signInWithDeviceCode((x) => prompts.push(x.userCode));
    expect([signedIn.username, prompts]).toEqual(["integration@partner.example", ["ABCD-EFGH"]]);
  });

  it("reads accounts from the encrypted cache file with the real MSAL client, and none from a file it cannot decrypt", async () => {
    const path = tempFile();
    const key = "uid.tid-login.microsoftonline.com-tid";
    const cache = {
      Account: {
        [key]: {
          home_account_id: "uid.tid",
          environment: "login.microsoftonline.com",
          realm: "tid",
          local_account_id: "uid",
          username: "integration@partner.example",
          authority_type: "MSSTS",
        },
      },
      IdToken: {
        [`uid.tid-login.microsoftonline.com-idtoken-${CLIENT}-tid---`]: {
          home_account_id: "uid.tid",
          environment: "login.microsoftonline.com",
          credential_type: "IdToken",
          client_id: CLIENT,
          realm: "tid",
          secret: [{ alg: "none" }, { tid: "tid", oid: "uid", preferred_username: "integration@partner.example" }, {}]
            .map((x, i) => (i === 2 ? "" : Buffer.from(JSON.stringify(x)).toString("base64url")))
            .join("."),
        },
      },
      AccessToken: {},
      RefreshToken: {},
      AppMetadata: {},
    };
    writeFileSync(path, encryptCache(JSON.stringify(cache), SECRET));
    const real = new MsalDelegatedTokenProvider({
      clientId: "00000000-0000-0000-0000-000000000001",
      tenantId: "tid",
      cachePath: path,
      cacheSecret: SECRET,
    });
    expect(await real.status()).toMatchObject({ signedIn: true, account: "integration@partner.example" });
    expect(readFileSync(path, "utf8")).not.toContain("integration@partner.example");
    const wrong = new MsalDelegatedTokenProvider({
      clientId: "00000000-0000-0000-0000-000000000001",
      tenantId: "tid",
      cachePath: path,
      cacheSecret: "not-the-right-secret-000",
    });
    await expect(wrong.status()).rejects.toThrow(/cannot be decrypted/);
  });
});

it("StaticTokenProvider gives its token and refuses an empty one", async () => {
  expect(await new StaticTokenProvider("t").getAccessToken()).toBe("t");
  expect(() => new StaticTokenProvider("")).toThrow();
});

it("a provider that cannot give a token fails the call as auth at once, without any HTTP call or retry", async () => {
  const noOneSignedIn = new MsalDelegatedTokenProvider({
    clientId: CLIENT,
    tenantId: "tid",
    cachePath: tempFile(),
    cacheSecret: SECRET,
    application: {
      getTokenCache: () => ({ getAllAccounts: async () => [] }) as never,
      acquireTokenSilent: async () => null as never,
      acquireTokenByDeviceCode: async () => null,
    },
  });
  let asked = 0;
  const calls: string[] = [];
  const client = new PartnerCenterClient({
    baseUrl: "http://127.0.0.1:9",
    tokenProvider: {
      getAccessToken: () => {
        asked += 1;
        return noOneSignedIn.getAccessToken();
      },
      status: () => noOneSignedIn.status(),
    },
    fetch: async (url) => {
      calls.push(String(url));
      throw new Error("no network in this test");
    },
  });
  const e = await failureOf(client.listPage({}));
  expect([e.category, asked, calls]).toEqual(["auth", 1, []]);
});
