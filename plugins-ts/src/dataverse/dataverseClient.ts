import { DynamicsWebApi } from "dynamics-web-api";
import type { TokenProvider } from "./tokenProvider";

/** Settings for one dynamics-web-api client against a Dataverse org (or the emulator). */
export interface DataverseConnection {
  /** Org root, e.g. https://contoso.crm.dynamics.com or the emulator's URL. */
  serverUrl: string;
  tokenProvider: TokenProvider;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
}

/**
 * A client; `impersonateAAD` makes every request run as that user (CallerObjectId header).
 * A new instance per batch is needed because dynamics-web-api keeps batch state on the instance.
 */
export function createDataverseClient(connection: DataverseConnection, impersonateAAD?: string): DynamicsWebApi {
  return new DynamicsWebApi({
    serverUrl: connection.serverUrl,
    dataApi: { version: "9.2" },
    timeout: connection.timeoutMs ?? 30_000,
    onTokenRefresh: () => connection.tokenProvider.getToken(),
    ...(impersonateAAD ? { impersonateAAD } : {}),
  });
}
