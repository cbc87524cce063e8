import type { DynamicsWebApi } from "dynamics-web-api";
import type { ProxyConfig } from "../server/proxyConfig";
import { quoted } from "./dataverseWebhookSetup";

/**
 * The solution's environment variables the form script reads (webresources/src/environmentVariables.ts): where
 * the proxy is, where referral links point, and how the browser signs in. Setup writes their current values
 * (environmentvariablevalue rows) only when they differ; doctor reads them back.
 */

export const ENVIRONMENT_VARIABLE_NAMES = {
  proxyUrl: "pcs_ProxyUrl",
  portalBaseUrl: "pcs_PartnerCenterPortalBaseUrl",
  signInTenantId: "pcs_SignInTenantId",
  signInClientId: "pcs_SignInClientId",
  signInScope: "pcs_SignInScope",
  developmentIssuerUrl: "pcs_DevelopmentIssuerUrl",
} as const;

/** Which values the form cannot work without, per mode (the sandbox signs in through the development issuer). */
export function requiredVariables(mode: "real" | "emulator", developmentIssuer: boolean): string[] {
  const n = ENVIRONMENT_VARIABLE_NAMES;
  const signIn = developmentIssuer
    ? [n.signInScope, n.developmentIssuerUrl]
    : [n.signInTenantId, n.signInClientId, n.signInScope];
  return [
    n.proxyUrl,
    n.portalBaseUrl,
    ...(mode === "real" ? [n.signInTenantId, n.signInClientId, n.signInScope] : signIn),
  ].filter((v, i, all) => all.indexOf(v) === i);
}

/** The values setup writes, from the proxy's configuration; null where the configuration has none. */
export function wantedEnvironmentValues(config: ProxyConfig): Record<string, string | null> {
  const n = ENVIRONMENT_VARIABLE_NAMES;
  return {
    [n.proxyUrl]: config.setup.publicUrl,
    [n.portalBaseUrl]: config.partnerCenter.portalUrl,
    [n.signInTenantId]: config.setup.signInTenantId,
    [n.signInClientId]: config.setup.signInClientId,
    [n.signInScope]: config.setup.signInScope,
    [n.developmentIssuerUrl]: config.setup.developmentIssuerUrl,
  };
}

export interface EnvironmentVariableState {
  schemaName: string;
  defined: boolean;
  /** The current value row's value, or null when there is none. */
  value: string | null;
  defaultValue: string | null;
  valueId: string | null;
  definitionId: string | null;
}

const VALUES = "environmentvariabledefinition_environmentvariablevalue";

/** One request for all of them. */
export async function readEnvironmentVariables(
  api: DynamicsWebApi,
  names: readonly string[],
): Promise<Map<string, EnvironmentVariableState>> {
  const page = await api.retrieveMultiple({
    collection: "environmentvariabledefinitions",
    select: ["environmentvariabledefinitionid", "schemaname", "defaultvalue"],
    filter: names.map((n) => `schemaname eq ${quoted(n)}`).join(" or "),
    expand: [{ property: VALUES, select: ["environmentvariablevalueid", "value"] }],
  });
  const rows = page.value as Record<string, unknown>[];
  const out = new Map<string, EnvironmentVariableState>();
  for (const name of names) {
    const row = rows.find((r) => String(r.schemaname).toLowerCase() === name.toLowerCase());
    const valueRow = (row?.[VALUES] as Record<string, unknown>[] | undefined)?.[0];
    out.set(name, {
      schemaName: name,
      defined: row !== undefined,
      value: typeof valueRow?.value === "string" ? valueRow.value : null,
      defaultValue: typeof row?.defaultvalue === "string" ? row.defaultvalue : null,
      valueId: valueRow ? String(valueRow.environmentvariablevalueid) : null,
      definitionId: row ? String(row.environmentvariabledefinitionid) : null,
    });
  }
  return out;
}

export interface EnvironmentVariableChange {
  schemaName: string;
  action: "created" | "updated" | "unchanged" | "skipped";
  /** Why a value was skipped (no configured value, or no definition: the solution is not imported). */
  reason?: string;
}

export async function setEnvironmentVariables(
  api: DynamicsWebApi,
  wanted: Record<string, string | null>,
): Promise<EnvironmentVariableChange[]> {
  const current = await readEnvironmentVariables(api, Object.keys(wanted));
  const changes: EnvironmentVariableChange[] = [];
  for (const [schemaName, value] of Object.entries(wanted)) {
    const state = current.get(schemaName);
    if (value === null) {
      changes.push({ schemaName, action: "skipped", reason: "no value configured" });
    } else if (!state?.definitionId) {
      throw new Error(
        `The org has no environment variable ${schemaName}: import the Co-sell Referral Sync solution first.`,
      );
    } else if (state.valueId === null) {
      await api.create({
        collection: "environmentvariablevalues",
        data: {
          schemaname: schemaName,
          value,
          "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${state.definitionId})`,
        },
      });
      changes.push({ schemaName, action: "created" });
    } else if (state.value !== value) {
      await api.update({ collection: "environmentvariablevalues", key: state.valueId, data: { value } });
      changes.push({ schemaName, action: "updated" });
    } else {
      changes.push({ schemaName, action: "unchanged" });
    }
  }
  return changes;
}
