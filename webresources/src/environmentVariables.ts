/// <reference types="xrm" />
/**
 * The product's environment variables (solution: environmentvariabledefinition / environmentvariablevalue),
 * read through Xrm.WebApi in one request: each definition with its current value expanded; the value
 * wins over the definition's default. Schema names as the solution ships them.
 */

export const ENVIRONMENT_VARIABLES = {
  proxyUrl: "pcs_ProxyUrl",
  portalBaseUrl: "pcs_PartnerCenterPortalBaseUrl",
  signInTenantId: "pcs_SignInTenantId",
  signInClientId: "pcs_SignInClientId",
  signInScope: "pcs_SignInScope",
  /** Sandbox only: a local development issuer that mints the user's token instead of Entra ID. */
  developmentIssuerUrl: "pcs_DevelopmentIssuerUrl",
} as const;

export type EnvironmentVariableName = (typeof ENVIRONMENT_VARIABLES)[keyof typeof ENVIRONMENT_VARIABLES];

export type EnvironmentValues = Readonly<Record<string, string | null>>;

const VALUE_NAVIGATION = "environmentvariabledefinition_environmentvariablevalue";

interface DefinitionRow {
  schemaname?: string;
  defaultvalue?: string | null;
  [VALUE_NAVIGATION]?: { value?: string | null }[];
}

export function environmentVariablesQuery(names: readonly string[]): string {
  const filter = names.map((name) => `schemaname eq '${name.replace(/'/g, "''")}'`).join(" or ");
  return `?$select=schemaname,defaultvalue&$filter=${filter}&$expand=${VALUE_NAVIGATION}($select=value)`;
}

/** Names not defined, or defined without a value, come back as null. */
export async function readEnvironmentVariables(
  webApi: Xrm.WebApi,
  names: readonly string[] = Object.values(ENVIRONMENT_VARIABLES),
): Promise<EnvironmentValues> {
  const result = await webApi.retrieveMultipleRecords(
    "environmentvariabledefinition",
    environmentVariablesQuery(names),
  );
  const out: Record<string, string | null> = Object.fromEntries(names.map((name) => [name, null]));
  for (const row of result.entities as DefinitionRow[]) {
    if (!row.schemaname || !(row.schemaname in out)) continue;
    const current = row[VALUE_NAVIGATION]?.find((v) => typeof v.value === "string" && v.value.trim() !== "");
    const value = current?.value ?? row.defaultvalue ?? null;
    out[row.schemaname] = typeof value === "string" && value.trim() !== "" ? value.trim() : null;
  }
  return out;
}
