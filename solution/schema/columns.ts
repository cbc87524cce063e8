import type {
  BooleanColumn,
  ChoiceColumn,
  ChoiceOption,
  ColumnDefinition,
  DateTimeColumn,
  Label,
  LookupColumn,
  LookupTarget,
  StringColumn,
} from "./types";

/** Small builders so the table files read like the metadata they describe. */

export const label = (en: string, ko: string): Label => ({ en, ko });

type Extra = Partial<
  Pick<ColumnDefinition, "description" | "requiredLevel" | "systemManaged" | "hidden" | "formReadOnly">
> & {
  schemaName?: string;
};

function base(logicalName: string, displayName: Label, custom: boolean, extra: Extra) {
  const { schemaName, ...rest } = extra;
  return { logicalName, schemaName: schemaName ?? logicalName, displayName, custom, ...rest };
}

export const primaryKey = (table: string, displayName: Label): ColumnDefinition => ({
  ...base(`${table}id`, displayName, false, { systemManaged: false }),
  type: "primarykey",
});

export const text = (
  logicalName: string,
  maxLength: number,
  displayName: Label,
  custom = false,
  extra: Extra & { format?: StringColumn["format"] } = {},
): ColumnDefinition => {
  const { format, ...rest } = extra;
  return { ...base(logicalName, displayName, custom, rest), type: "string", maxLength, format: format ?? "text" };
};

export const memo = (
  logicalName: string,
  maxLength: number,
  displayName: Label,
  custom = false,
  extra: Extra = {},
): ColumnDefinition => ({
  ...base(logicalName, displayName, custom, extra),
  type: "memo",
  maxLength,
});

export const integer = (
  logicalName: string,
  displayName: Label,
  custom = false,
  extra: Extra & { min?: number; max?: number } = {},
): ColumnDefinition => {
  const { min, max, ...rest } = extra;
  return {
    ...base(logicalName, displayName, custom, rest),
    type: "integer",
    min: min ?? -2_147_483_648,
    max: max ?? 2_147_483_647,
  };
};

export const decimal = (
  logicalName: string,
  displayName: Label,
  precision: number,
  min: number,
  max: number,
): ColumnDefinition => ({
  ...base(logicalName, displayName, false, {}),
  type: "decimal",
  precision,
  min,
  max,
});

/** Dataverse money: at most ±922,337,203,685,477, precision per column (2 by default). */
export const money = (
  logicalName: string,
  displayName: Label,
  custom = false,
  extra: Extra = {},
): ColumnDefinition => ({
  ...base(logicalName, displayName, custom, extra),
  type: "money",
  precision: 2,
  min: -922_337_203_685_477,
  max: 922_337_203_685_477,
});

export const uniqueIdentifier = (logicalName: string, displayName: Label, extra: Extra = {}): ColumnDefinition => ({
  ...base(logicalName, displayName, false, extra),
  type: "uniqueidentifier",
});

export const bool = (
  logicalName: string,
  displayName: Label,
  custom = false,
  extra: Extra & { defaultValue?: boolean; trueLabel?: Label; falseLabel?: Label } = {},
): BooleanColumn => {
  const { defaultValue, trueLabel, falseLabel, ...rest } = extra;
  return {
    ...base(logicalName, displayName, custom, rest),
    type: "boolean",
    trueLabel: trueLabel ?? label("Yes", "예"),
    falseLabel: falseLabel ?? label("No", "아니요"),
    defaultValue: defaultValue ?? false,
  };
};

export const choice = (
  table: string,
  logicalName: string,
  displayName: Label,
  options: readonly ChoiceOption[],
  custom = false,
  extra: Extra & { type?: ChoiceColumn["type"]; defaultValue?: number } = {},
): ChoiceColumn => {
  const { type, defaultValue, ...rest } = extra;
  return {
    ...base(logicalName, displayName, custom, rest),
    type: type ?? "choice",
    optionSetName: `${table}_${logicalName}`,
    options,
    ...(defaultValue === undefined ? {} : { defaultValue }),
  };
};

/** Options from a domain value map (domain/choices.ts) and a label per name. */
export function optionsFrom<T extends string>(
  values: Readonly<Record<T, number>>,
  labels: Readonly<Record<T, Label>>,
): ChoiceOption[] {
  return (Object.entries(values) as [T, number][]).map(([name, value]) => ({ value, label: labels[name] }));
}

export const dateTime = (
  logicalName: string,
  displayName: Label,
  behavior: DateTimeColumn["behavior"],
  custom = false,
  extra: Extra = {},
): ColumnDefinition => ({
  ...base(logicalName, displayName, custom, extra),
  type: "datetime",
  behavior,
  format: behavior === "DateOnly" ? "DateOnly" : "DateAndTime",
});

export const lookup = (
  logicalName: string,
  displayName: Label,
  targets: readonly LookupTarget[],
  custom = false,
  extra: Extra & { type?: LookupColumn["type"] } = {},
): LookupColumn => {
  const { type, ...rest } = extra;
  return { ...base(logicalName, displayName, custom, rest), type: type ?? "lookup", targets };
};

export const target = (table: string, navigationProperty: string, relationship: string): LookupTarget => ({
  table,
  navigationProperty,
  relationship,
});

/** statecode/statuscode pair with the platform's values. */
export function stateAndStatus(
  table: string,
  states: readonly ChoiceOption[],
  statuses: readonly ChoiceOption[],
): ColumnDefinition[] {
  return [
    choice(table, "statecode", label("Status", "상태"), states, false, {
      type: "state",
      defaultValue: states[0]?.value ?? 0,
    }),
    choice(table, "statuscode", label("Status Reason", "상태 설명"), statuses, false, {
      type: "status",
      defaultValue: statuses[0]?.value ?? 1,
    }),
  ];
}

export const ACTIVE_INACTIVE = [
  { value: 0, label: label("Active", "활성") },
  { value: 1, label: label("Inactive", "비활성") },
] as const;
export const ACTIVE_INACTIVE_STATUS = [
  { value: 1, label: label("Active", "활성") },
  { value: 2, label: label("Inactive", "비활성") },
] as const;

/** Audit columns every table has, plus the row version that backs @odata.etag. */
export function systemColumns(
  table: string,
  ownership: "UserOwned" | "OrganizationOwned" | "None",
): ColumnDefinition[] {
  const sys = { systemManaged: true };
  const cols: ColumnDefinition[] = [
    dateTime("createdon", label("Created On", "만든 날짜"), "UserLocal", false, sys),
    dateTime("modifiedon", label("Modified On", "수정한 날짜"), "UserLocal", false, sys),
    lookup(
      "createdby",
      label("Created By", "만든 사람"),
      [target("systemuser", "createdby", `lk_${table}_createdby`)],
      false,
      sys,
    ),
    lookup(
      "modifiedby",
      label("Modified By", "수정한 사람"),
      [target("systemuser", "modifiedby", `lk_${table}_modifiedby`)],
      false,
      sys,
    ),
    // Set when someone acted through impersonation: the real (initiating) caller.
    lookup(
      "createdonbehalfby",
      label("Created By (Delegate)", "만든 사람(대리인)"),
      [target("systemuser", "createdonbehalfby", `lk_${table}_createdonbehalfby`)],
      false,
      sys,
    ),
    lookup(
      "modifiedonbehalfby",
      label("Modified By (Delegate)", "수정한 사람(대리인)"),
      [target("systemuser", "modifiedonbehalfby", `lk_${table}_modifiedonbehalfby`)],
      false,
      sys,
    ),
    { ...base("versionnumber", label("Version Number", "버전 번호"), false, sys), type: "bigint" },
  ];
  if (ownership === "UserOwned") {
    cols.push(
      lookup(
        "ownerid",
        label("Owner", "소유자"),
        [target("systemuser", "ownerid", `owner_${table}`), target("team", "ownerid", `owner_${table}`)],
        false,
        { type: "owner", requiredLevel: "required" },
      ),
      lookup(
        "owninguser",
        label("Owning User", "소유 사용자"),
        [target("systemuser", "owninguser", `user_${table}`)],
        false,
        sys,
      ),
      lookup(
        "owningteam",
        label("Owning Team", "소유 팀"),
        [target("team", "owningteam", `team_${table}`)],
        false,
        sys,
      ),
    );
  }
  return cols;
}
