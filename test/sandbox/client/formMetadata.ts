import type { DataverseWebApi } from "../pcfHost/dataverseWebApi";
import type { FieldMetadata } from "../xrmHost/formAttributes";
import type { FieldDefinition } from "../xrmHost/formDefinition";

/**
 * Labels and choice options of the form's columns, read from the org's metadata (EntityDefinitions) in the
 * page's language, as a model-driven form shows them; and the rows offered by the lookups.
 */

interface Label {
  LocalizedLabels?: { Label: string; LanguageCode: number }[];
  UserLocalizedLabel?: { Label: string } | null;
}

export function pickLabel(label: Label | undefined, lcid: number): string {
  const labels = label?.LocalizedLabels ?? [];
  return (
    labels.find((l) => l.LanguageCode === lcid)?.Label ??
    labels.find((l) => l.LanguageCode === 1033)?.Label ??
    label?.UserLocalizedLabel?.Label ??
    ""
  );
}

type Option = { value: number; label: string };

export async function loadFieldMetadata(
  webApi: DataverseWebApi,
  table: string,
  lcid: number,
): Promise<(field: FieldDefinition) => FieldMetadata> {
  const root = `EntityDefinitions(LogicalName='${table}')/Attributes`;
  const [attributes, picklists, booleans] = (await Promise.all([
    webApi.request("GET", `${root}?$select=LogicalName,DisplayName,RequiredLevel`),
    webApi.request(
      "GET",
      `${root}/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet`,
    ),
    webApi.request(
      "GET",
      `${root}/Microsoft.Dynamics.CRM.BooleanAttributeMetadata?$select=LogicalName&$expand=OptionSet`,
    ),
  ])) as { value: Record<string, unknown>[] }[];
  const labels = new Map<string, { label: string; required: string }>();
  for (const a of attributes?.value ?? []) {
    labels.set(String(a.LogicalName), {
      label: pickLabel(a.DisplayName as Label, lcid),
      required: String((a.RequiredLevel as { Value?: string } | undefined)?.Value ?? "None"),
    });
  }
  const options = new Map<string, Option[]>();
  for (const p of picklists?.value ?? []) {
    const set = p.OptionSet as { Options?: { Value: number; Label: Label }[] } | undefined;
    options.set(
      String(p.LogicalName),
      (set?.Options ?? []).map((o) => ({ value: o.Value, label: pickLabel(o.Label, lcid) })),
    );
  }
  for (const b of booleans?.value ?? []) {
    const set = b.OptionSet as { TrueOption?: { Label: Label }; FalseOption?: { Label: Label } } | undefined;
    options.set(String(b.LogicalName), [
      { value: 0, label: pickLabel(set?.FalseOption?.Label, lcid) },
      { value: 1, label: pickLabel(set?.TrueOption?.Label, lcid) },
    ]);
  }
  return (field) => {
    const found = labels.get(field.column);
    const required = found?.required === "ApplicationRequired" || found?.required === "SystemRequired";
    return {
      label: found?.label || field.column,
      options: options.get(field.column) ?? [],
      requiredLevel: required ? "required" : found?.required === "Recommended" ? "recommended" : "none",
    };
  };
}

export interface LookupChoice {
  id: string;
  name: string;
}

const LOOKUP_QUERIES: Record<string, { options: string; name: (row: Record<string, unknown>) => string; id: string }> =
  {
    account: { options: "?$select=name&$orderby=name asc", name: (r) => String(r.name ?? ""), id: "accountid" },
    contact: {
      options: "?$select=fullname&$orderby=fullname asc",
      name: (r) => String(r.fullname ?? ""),
      id: "contactid",
    },
    transactioncurrency: {
      options: "?$select=currencyname,isocurrencycode&$orderby=currencyname asc",
      name: (r) => `${String(r.currencyname ?? "")} (${String(r.isocurrencycode ?? "")})`,
      id: "transactioncurrencyid",
    },
  };

/** The rows a lookup offers; tables the sandbox does not offer (owner) are shown read-only. */
export async function loadLookupChoices(webApi: DataverseWebApi, table: string): Promise<LookupChoice[] | null> {
  const query = LOOKUP_QUERIES[table];
  if (!query) return null;
  const page = await webApi.retrieveMultipleRecords(table, query.options);
  return page.entities.map((row) => ({ id: String(row[query.id]), name: query.name(row) }));
}
