import { DynamicsWebApi } from "dynamics-web-api";
import {
  createDataverseEmulator,
  type DataverseEmulator,
  type DataverseEmulatorOptions,
} from "../emulators/dataverse/server";

/** Seed ids used across the Dataverse tests (test/emulators/dataverse/seed/seed.json). */
export const SEED = {
  users: {
    integration: "5e5e0000-0000-4000-8000-000000000001",
    admin: "5e5e0000-0000-4000-8000-000000000002",
    jiwoo: "5e5e0000-0000-4000-8000-000000000003",
    emily: "5e5e0000-0000-4000-8000-000000000004",
    readOnly: "5e5e0000-0000-4000-8000-000000000005",
    disabled: "5e5e0000-0000-4000-8000-000000000006",
    noEmail: "5e5e0000-0000-4000-8000-000000000007",
  },
  aad: {
    integration: "aad00000-0000-4000-8000-000000000001",
    admin: "aad00000-0000-4000-8000-000000000002",
    jiwoo: "aad00000-0000-4000-8000-000000000003",
    emily: "aad00000-0000-4000-8000-000000000004",
    readOnly: "aad00000-0000-4000-8000-000000000005",
    disabled: "aad00000-0000-4000-8000-000000000006",
    noEmail: "aad00000-0000-4000-8000-000000000007",
  },
  teams: { seoulSales: "7ea70000-0000-4000-8000-000000000001" },
  currencies: {
    usd: "c0000000-0000-4000-8000-000000000001",
    krw: "c0000000-0000-4000-8000-000000000002",
    eur: "c0000000-0000-4000-8000-000000000003",
  },
  accounts: {
    contoso: "acc00000-0000-4000-8000-000000000001",
    hanbit: "acc00000-0000-4000-8000-000000000002",
    fabrikam: "acc00000-0000-4000-8000-000000000003",
    northwind: "acc00000-0000-4000-8000-000000000004",
    adventure: "acc00000-0000-4000-8000-000000000005",
  },
  contacts: { seoyeon: "c0c00000-0000-4000-8000-000000000001", jihoon: "c0c00000-0000-4000-8000-000000000002" },
  opportunities: {
    contosoReady: "0bb00000-0000-4000-8000-000000000001",
    hanbitReady: "0bb00000-0000-4000-8000-000000000002",
    fabrikamNotReady: "0bb00000-0000-4000-8000-000000000003",
    northwindNotReady: "0bb00000-0000-4000-8000-000000000004",
    adventureClosed: "0bb00000-0000-4000-8000-000000000005",
  },
  solutions: {
    azure: "501c0000-0000-4000-8000-000000000001",
    copilot: "501c0000-0000-4000-8000-000000000002",
    sales: "501c0000-0000-4000-8000-000000000003",
  },
  roles: {
    systemAdministrator: "a01e0000-0000-4000-8000-000000000001",
    systemCustomizer: "a01e0000-0000-4000-8000-000000000002",
    salesperson: "a01e0000-0000-4000-8000-000000000003",
    integration: "a01e0000-0000-4000-8000-000000000004",
    seller: "a01e0000-0000-4000-8000-000000000005",
    salesReadOnly: "a01e0000-0000-4000-8000-000000000006",
  },
  environmentVariables: {
    proxyUrl: "e0de0000-0000-4000-8000-000000000001",
    partnerCenterPortalBaseUrl: "e0de0000-0000-4000-8000-000000000002",
    signInTenantId: "e0de0000-0000-4000-8000-000000000003",
    signInClientId: "e0de0000-0000-4000-8000-000000000004",
    signInScope: "e0de0000-0000-4000-8000-000000000005",
    developmentIssuerUrl: "e0de0000-0000-4000-8000-000000000006",
  },
  messages: {
    create: "5d000000-0000-4000-8000-000000000001",
    update: "5d000000-0000-4000-8000-000000000002",
    win: "5d000000-0000-4000-8000-000000000004",
    lose: "5d000000-0000-4000-8000-000000000005",
  },
  filters: {
    createOpportunity: "5df00000-0000-4000-8000-000000000001",
    updateOpportunity: "5df00000-0000-4000-8000-000000000002",
  },
} as const;

export async function startEmulator(options: DataverseEmulatorOptions = {}): Promise<DataverseEmulator> {
  return createDataverseEmulator({ webhookTimeoutMs: 5_000, ...options });
}

/** The unmodified client, configured as the proxy configures it for a real org. */
export function clientFor(
  emulator: DataverseEmulator,
  extra: { impersonateAAD?: string; impersonate?: string; token?: string } = {},
): DynamicsWebApi {
  return new DynamicsWebApi({
    serverUrl: emulator.url,
    dataApi: { version: "9.2" },
    onTokenRefresh: async () => extra.token ?? "emulator-token",
    ...(extra.impersonateAAD ? { impersonateAAD: extra.impersonateAAD } : {}),
    ...(extra.impersonate ? { impersonate: extra.impersonate } : {}),
  });
}

/** Dataverse error fields as dynamics-web-api reports them. */
export interface ClientError {
  status: number;
  code?: string;
  message: string;
}

export async function failure(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (error) {
    return error as ClientError;
  }
  throw new Error("Expected the request to fail, but it succeeded.");
}
