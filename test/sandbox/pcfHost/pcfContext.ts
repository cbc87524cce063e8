import type { DataverseWebApi } from "./dataverseWebApi";
import type { ManifestProperty } from "./controlManifest";

/**
 * The ComponentFramework context handed to a control's init/updateView: the members our controls use
 * (parameters with raw/formatted/attributes/security, webAPI, resources, userSettings, formatting, utils,
 * mode with contextInfo, navigation, client, factory), built fresh for each updateView as the platform does.
 */

/** A bound property's column on the hosting form. */
export interface BoundColumn {
  raw(): unknown;
  formatted(): string;
  displayName: string;
  options: { Label: string; Value: number }[];
  /** Column-level security: may this user edit this column? */
  editable(): boolean;
}

export interface ContextEnvironment {
  webAPI: Pick<
    DataverseWebApi,
    "retrieveRecord" | "retrieveMultipleRecords" | "createRecord" | "updateRecord" | "deleteRecord"
  >;
  lcid: number;
  strings: Map<string, string>;
  user: { systemUserId: string; userName: string; timeZoneOffsetMinutes: number };
  contextInfo: () => { entityId: string; entityTypeName: string; entityRecordName: string };
  isControlDisabled: () => boolean;
  navigation: {
    openForm: (options: { entityName: string; entityId?: string }) => Promise<unknown>;
    openUrl: (url: string) => void;
    openConfirmDialog: (strings: { title?: string; text: string }) => Promise<{ confirmed: boolean }>;
    openAlertDialog: (strings: { title?: string; text: string }) => Promise<void>;
  };
  hasEntityPrivilege: (entity: string, privilege: number, depth: number) => boolean;
  requestRender: () => void;
}

function inputValue(property: ManifestProperty, configured: string | number | undefined): unknown {
  const value = configured ?? property.defaultValue;
  if (value === null || value === undefined || value === "") return null;
  if (/^(Whole|Decimal|FP|Currency)/.test(property.ofType)) {
    const n = Number(value);
    if (Number.isNaN(n)) throw new Error(`Input ${property.name} expects a number, got '${String(value)}'.`);
    return n;
  }
  return String(value);
}

export function buildParameters(
  properties: readonly ManifestProperty[],
  bound: Record<string, BoundColumn>,
  inputs: Record<string, string | number>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of properties) {
    if (property.usage === "bound") {
      const column = bound[property.name];
      if (!column) throw new Error(`The bound property ${property.name} is not bound to a column on this form.`);
      out[property.name] = {
        raw: column.raw(),
        formatted: column.formatted(),
        type: property.ofType,
        error: false,
        errorMessage: "",
        attributes: {
          DisplayName: column.displayName,
          LogicalName: property.name,
          Options: column.options,
          RequiredLevel: 0,
          IsSecured: false,
        },
        security: { editable: column.editable(), readable: true, secured: false },
      };
    } else if (property.usage === "input") {
      const raw = inputValue(property, inputs[property.name]);
      out[property.name] = { raw, formatted: raw === null ? "" : String(raw), type: property.ofType, error: false };
    }
  }
  return out;
}

export function buildContext(
  environment: ContextEnvironment,
  parameters: Record<string, unknown>,
  container: HTMLElement,
  updatedProperties: string[],
): unknown {
  const locale = environment.lcid === 1042 ? "ko-KR" : "en-US";
  const info = environment.contextInfo();
  return {
    parameters,
    updatedProperties,
    webAPI: environment.webAPI,
    resources: {
      // As the platform: an unknown key answers the key itself.
      getString: (key: string) => environment.strings.get(key) ?? key,
      getResource: (_id: string, _success: unknown, failure: () => void) => failure(),
    },
    userSettings: {
      userId: `{${environment.user.systemUserId.toUpperCase()}}`,
      userName: environment.user.userName,
      languageId: environment.lcid,
      isRTL: false,
      locale,
      securityRoles: [],
      getTimeZoneOffsetMinutes: () => environment.user.timeZoneOffsetMinutes,
    },
    formatting: {
      formatDateShort: (date: Date, includeTime?: boolean) =>
        new Intl.DateTimeFormat(locale, {
          dateStyle: "short",
          ...(includeTime ? { timeStyle: "short" } : {}),
        }).format(date),
      formatDateLong: (date: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(date),
      formatInteger: (value: number) => new Intl.NumberFormat(locale).format(value),
      formatDecimal: (value: number, precision?: number) =>
        new Intl.NumberFormat(locale, { maximumFractionDigits: precision ?? 2 }).format(value),
      formatCurrency: (value: number, precision?: number, symbol?: string) =>
        `${symbol ?? ""}${new Intl.NumberFormat(locale, { minimumFractionDigits: precision ?? 2, maximumFractionDigits: precision ?? 2 }).format(value)}`,
    },
    utils: {
      hasEntityPrivilege: environment.hasEntityPrivilege,
      getEntityMetadata: () => Promise.reject(new Error("getEntityMetadata is not provided by the sandbox host.")),
      lookupObjects: () => Promise.reject(new Error("lookupObjects is not provided by the sandbox host.")),
    },
    mode: {
      isControlDisabled: environment.isControlDisabled(),
      isVisible: true,
      label: "",
      allocatedWidth: container.clientWidth || -1,
      allocatedHeight: -1,
      contextInfo: info,
      trackContainerResize: (track: boolean) => {
        (container as HTMLElement & { trackResize?: boolean }).trackResize = track;
      },
      setControlState: () => true,
      setFullScreen: () => undefined,
    },
    navigation: environment.navigation,
    client: {
      getClient: () => "Web",
      getFormFactor: () => 1,
      isOffline: () => false,
      disableScroll: false,
      isNetworkAvailable: () => true,
    },
    device: {},
    factory: { requestRender: environment.requestRender, getPopupService: () => ({}) },
    accessibility: { getUniqueId: (id: string) => `${container.id}-${id}` },
    page: { entityId: info.entityId, entityTypeName: info.entityTypeName, getClientUrl: () => window.location.origin },
    events: {},
    copilot: {},
  };
}
