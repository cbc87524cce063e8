import type { DataverseWebApi } from "../pcfHost/dataverseWebApi";
import { alertDialog, confirmDialog } from "./modalDialog";

/**
 * The global `Xrm` a form script sees: Navigation (dialogs, openUrl, openForm), Utility.getGlobalContext
 * (user and organization settings, client URL) and WebApi over the sandbox's same-origin Dataverse root.
 */

export interface SandboxUserContext {
  systemUserId: string;
  userName: string;
  languageId: number;
  timeZoneOffsetMinutes: number;
}

export interface GlobalContext {
  userSettings: {
    userId: string;
    userName: string;
    languageId: number;
    getTimeZoneOffsetMinutes: () => number;
    roles: { get: () => never[] };
  };
  organizationSettings: { languageId: number; uniqueName: string };
  getClientUrl: () => string;
  getVersion: () => string;
}

export function createGlobalContext(user: SandboxUserContext): GlobalContext {
  return {
    userSettings: {
      userId: `{${user.systemUserId.toUpperCase()}}`,
      userName: user.userName,
      languageId: user.languageId,
      getTimeZoneOffsetMinutes: () => user.timeZoneOffsetMinutes,
      roles: { get: () => [] },
    },
    organizationSettings: { languageId: 1033, uniqueName: "sandbox" },
    getClientUrl: () => window.location.origin,
    getVersion: () => "9.2.0.0 (sandbox)",
  };
}

/** Opens a record: an opportunity in the sandbox form; other tables as their Web API row (the sandbox has no other forms). */
export function openRecord(entityName: string, entityId: string): void {
  const id = entityId.replace(/[{}]/g, "").toLowerCase();
  if (entityName === "opportunity") {
    window.location.assign(`/opportunity/${id}`);
    return;
  }
  window.open(`/sandbox/record/${encodeURIComponent(entityName)}/${id}`, "_blank", "noopener");
}

export function installXrm(user: SandboxUserContext, webApi: DataverseWebApi): void {
  const globalContext = createGlobalContext(user);
  const xrm = {
    Navigation: {
      openConfirmDialog: (strings: Parameters<typeof confirmDialog>[0]) => confirmDialog(strings),
      openAlertDialog: (strings: Parameters<typeof alertDialog>[0]) => alertDialog(strings),
      openErrorDialog: (options: { message?: string; details?: string }) =>
        alertDialog({ title: "Error", text: [options.message, options.details].filter(Boolean).join(" ") }),
      openUrl: (url: string) => {
        window.open(url, "_blank", "noopener");
      },
      openForm: async (options: { entityName: string; entityId?: string }) => {
        if (options.entityId) openRecord(options.entityName, options.entityId);
        return { savedEntityReference: [] };
      },
    },
    Utility: {
      getGlobalContext: () => globalContext,
      showProgressIndicator: () => undefined,
      closeProgressIndicator: () => undefined,
    },
    WebApi: {
      retrieveRecord: (entity: string, id: string, options?: string) => webApi.retrieveRecord(entity, id, options),
      retrieveMultipleRecords: (entity: string, options?: string, maxPageSize?: number) =>
        webApi.retrieveMultipleRecords(entity, options, maxPageSize),
      createRecord: (entity: string, data: Record<string, unknown>) => webApi.createRecord(entity, data),
      updateRecord: (entity: string, id: string, data: Record<string, unknown>) =>
        webApi.updateRecord(entity, id, data),
      deleteRecord: (entity: string, id: string) => webApi.deleteRecord(entity, id),
    },
  };
  (window as unknown as { Xrm: unknown }).Xrm = xrm;
}
