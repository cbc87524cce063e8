import { loadControl, HostedControl, type LoadedControl } from "../pcfHost/controlHost";
import { DataverseWebApi } from "../pcfHost/dataverseWebApi";
import type { BoundColumn } from "../pcfHost/pcfContext";
import { loadScript } from "../pcfHost/platformLibraries";
import { bodyEntry, selectFor } from "../xrmHost/attributeValues";
import { ALL_FIELDS, FORM_LIBRARY, OPPORTUNITY_FORM, type PcfSlot } from "../xrmHost/formDefinition";
import { HostedForm, SaveCancelledError } from "../xrmHost/hostedForm";
import { alertDialog, confirmDialog } from "../xrmHost/modalDialog";
import { installXrm, openRecord } from "../xrmHost/xrmGlobal";
import { openCloseDialog, type Outcome } from "./closeOpportunityDialog";
import { loadFieldMetadata, loadLookupChoices, type LookupChoice } from "./formMetadata";
import { FormView, type CommandDefinition } from "./formView";

/**
 * The Opportunity form page: one row of the Dataverse emulator (as the chosen user) in a model-driven-like
 * form that hosts the BUILT SyncToggle and SyncStatusPanel (through the PCF host) and the BUILT form script
 * (through the Xrm host), with its handlers registered as the solution registers them.
 */

interface PageConfig {
  opportunityId: string;
  lcid: number;
  apiRoot: string;
  user: { systemUserId: string; name: string; timeZoneOffsetMinutes: number };
}

type FormLibrary = Record<string, ((...args: unknown[]) => unknown) | undefined>;

/** A handler by its registered name ("Pcs.OpportunityForm.onLoad"), as the platform resolves it. */
function handlerByName(name: string): (...args: unknown[]) => unknown {
  const parts = name.split(".");
  let target: unknown = window;
  for (const part of parts) target = (target as Record<string, unknown> | undefined)?.[part];
  if (typeof target !== "function") throw new Error(`The form library defines no function ${name}.`);
  return target as (...args: unknown[]) => unknown;
}

const COMMAND_TEXT = {
  1033: {
    save: "Save",
    refresh: "Refresh",
    syncNow: "Sync now",
    won: "Close as Won",
    lost: "Close as Lost",
    back: "Back to list",
  },
  1042: {
    save: "저장",
    refresh: "새로 고침",
    syncNow: "지금 동기화",
    won: "성사로 종료",
    lost: "실패로 종료",
    back: "목록으로",
  },
};

function readConfig(): PageConfig {
  const element = document.getElementById("sandbox-config");
  if (!element?.textContent) throw new Error("The page has no sandbox configuration.");
  return JSON.parse(element.textContent) as PageConfig;
}

async function main(): Promise<void> {
  const config = readConfig();
  const root = document.getElementById("form-root");
  if (!root) throw new Error("The page has no #form-root.");
  const lcid = config.lcid === 1042 ? 1042 : 1033;
  const webApi = new DataverseWebApi({ apiRoot: config.apiRoot });
  const user = {
    systemUserId: config.user.systemUserId,
    userName: config.user.name,
    languageId: lcid,
    timeZoneOffsetMinutes: config.user.timeZoneOffsetMinutes,
  };
  installXrm(user, webApi);

  const access = (await (await fetch(`/sandbox/access/opportunity/${config.opportunityId}`)).json()) as {
    canWrite?: boolean;
    error?: { message: string };
  };
  if (access.error) throw new Error(access.error.message);
  const [metadata, ...choices] = await Promise.all([
    loadFieldMetadata(webApi, "opportunity", lcid),
    ...["account", "contact", "transactioncurrency"].map((t) => loadLookupChoices(webApi, t)),
  ]);
  const lookupChoices = new Map<string, LookupChoice[] | null>(
    ["account", "contact", "transactioncurrency"].map((t, i) => [t, (choices[i] as LookupChoice[] | null) ?? null]),
  );

  let view: FormView | null = null;
  const hosted: HostedControl[] = [];
  let scheduled = false;
  const rerender = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      view?.update();
      for (const control of hosted) control.render([]);
    });
  };

  const form: HostedForm = new HostedForm({
    entityName: "opportunity",
    id: config.opportunityId,
    fields: ALL_FIELDS,
    metadata,
    canWrite: access.canWrite === true,
    isActive: (row) => row.statecode === 0,
    loadRow: () => webApi.retrieveRecord("opportunity", config.opportunityId, `?$select=${selectFor(ALL_FIELDS)}`),
    persist: async (f, changed) => {
      const setNames = new Map<string, string>();
      for (const a of changed) {
        const first = a.field.kind === "lookup" ? (a.getValue() as { entityType: string }[] | null)?.[0] : undefined;
        const table = first?.entityType ?? a.field.target;
        if (table) setNames.set(table, await webApi.entitySetName(table));
      }
      const body: Record<string, unknown> = {};
      for (const a of changed) {
        const row = f.loadedRow;
        const [key, value] = bodyEntry(
          a.field,
          a.getValue(),
          (table) => setNames.get(table) ?? table,
          (table) => {
            const annotated = row[`_${a.field.column}_value@Microsoft.Dynamics.CRM.associatednavigationproperty`];
            const annotatedTable = row[`_${a.field.column}_value@Microsoft.Dynamics.CRM.lookuplogicalname`];
            if (typeof annotated === "string" && annotatedTable === table) return annotated;
            return a.field.column === "customerid" ? `customerid_${table}` : a.field.column;
          },
        );
        body[key] = value;
      }
      await webApi.updateRecord("opportunity", config.opportunityId, body);
    },
    onChange: rerender,
    onClose: () => window.location.assign("/"),
    refreshRibbon: rerender,
  });

  await loadScript(FORM_LIBRARY.url);
  const library = (window as unknown as { Pcs?: { OpportunityForm?: FormLibrary } }).Pcs?.OpportunityForm;
  if (!library) throw new Error(`${FORM_LIBRARY.url} did not define Pcs.OpportunityForm.`);
  const whenIdle = () => Promise.resolve(handlerByName("Pcs.OpportunityForm.whenIdle")()).then(() => undefined);

  await form.load();
  // Handlers as the solution registers them (each with "Pass execution context as first parameter").
  for (const [column, name] of Object.entries(FORM_LIBRARY.onChange)) {
    form.attribute(column)?.addOnChange((context) => handlerByName(name)(context));
  }
  form.addOnSave((context) => handlerByName(FORM_LIBRARY.onSave)(context));

  const text = COMMAND_TEXT[lcid];
  const report = (error: unknown) => {
    if (error instanceof SaveCancelledError) return;
    console.error(error);
  };
  const closeAs = (outcome: Outcome) => {
    void (async () => {
      if (form.isDirty()) await form.save(1);
      const closed = await openCloseDialog({
        outcome,
        opportunity: {
          id: config.opportunityId,
          name: String(form.value("name") ?? ""),
          estimatedValue:
            typeof form.value("estimatedvalue") === "number" ? (form.value("estimatedvalue") as number) : null,
        },
        lcid,
        webApi,
        whenIdle,
        registerHandlers: (closeForm) =>
          closeForm.addOnSave((context) => handlerByName(FORM_LIBRARY.closeDialogOnSave)(context)),
      });
      if (closed) await form.refresh(false);
    })().catch(report);
  };
  const open = () => form.value("statecode") === 0;
  const commands: CommandDefinition[] = [
    {
      id: "save",
      label: text.save,
      run: () => void form.save(1).catch(report),
      enabled: () => form.formType === 2 && !form.saving,
    },
    {
      id: "refresh",
      label: text.refresh,
      run: () => void form.refresh(false).catch(report),
      enabled: () => !form.saving,
    },
    {
      id: "syncnow",
      label: text.syncNow,
      run: () => void Promise.resolve(handlerByName(FORM_LIBRARY.syncNow)(form.formContext)).catch(report),
      enabled: () => {
        try {
          return handlerByName(FORM_LIBRARY.syncNowEnabled)(form.formContext) === true;
        } catch {
          return false;
        }
      },
    },
    { id: "closewon", label: text.won, run: () => closeAs("won"), enabled: () => form.formType === 2 && open() },
    { id: "closelost", label: text.lost, run: () => closeAs("lost"), enabled: () => form.formType === 2 && open() },
  ];
  view = new FormView({ root, form, lcid, lookupChoices, commands });
  view.update();

  // The PCF controls, bound to their columns on this form.
  const navigation = {
    openForm: async (o: { entityName: string; entityId?: string }) => {
      if (o.entityId) openRecord(o.entityName, o.entityId);
      return {};
    },
    openUrl: (url: string) => void window.open(url, "_blank", "noopener"),
    openConfirmDialog: confirmDialog,
    openAlertDialog: alertDialog,
  };
  /** A column of this form as a PCF bound property: its value, text, metadata, and writing a control's output. */
  const boundColumn = (name: string): BoundColumn & { set: (value: unknown) => void } => {
    const attribute = form.attribute(name);
    if (!attribute) throw new Error(`The form has no column ${name} to bind.`);
    return {
      raw: () => attribute.getValue(),
      formatted: () => attribute.getText() ?? (attribute.getValue() === null ? "" : String(attribute.getValue())),
      displayName: attribute.metadata.label,
      options: attribute.metadata.options.map((o) => ({ Label: o.label, Value: o.value })),
      editable: () => true,
      // A control's output changes the column and runs its OnChange, as on a real form.
      set: (value) => attribute.userChanged(value as boolean | number | string | null),
    };
  };
  const slots: PcfSlot[] = OPPORTUNITY_FORM.flatMap((s) => s.controls ?? []);
  const loaded = await Promise.all(slots.map((slot) => loadControl(`/controls/${slot.control}/`, lcid)));
  slots.forEach((slot, index) => {
    const control = loaded[index] as LoadedControl;
    const container = view?.controlSlots.get(slot.control);
    const attribute = form.attribute(slot.column);
    if (!container || !attribute) throw new Error(`The form has no place for ${slot.control}.`);
    const bound: Record<string, BoundColumn & { set?: (value: unknown) => void }> = {
      [slot.boundProperty]: boundColumn(slot.column),
    };
    for (const [property, name] of Object.entries(slot.also ?? {})) {
      // Read-only: only the primary column takes the control's output.
      const { set: _set, ...readOnly } = boundColumn(name);
      bound[property] = readOnly;
    }
    hosted.push(
      new HostedControl({
        control,
        container,
        bound,
        inputs: slot.inputs ?? {},
        environment: {
          webAPI: webApi,
          lcid,
          user,
          contextInfo: () => ({
            entityId: config.opportunityId,
            entityTypeName: "opportunity",
            entityRecordName: String(form.value("name") ?? ""),
          }),
          isControlDisabled: () => form.locked || form.saving || attribute.controls.every((c) => c.getDisabled()),
          navigation,
          hasEntityPrivilege: () => form.formType === 2,
        },
      }),
    );
  });

  // Form OnLoad last, once everything is on the page (as the platform runs it).
  handlerByName(FORM_LIBRARY.onLoad)(form.executionContext(null));
  rerender();
  document.body.dataset.formReady = "true";
}

main().catch((error: unknown) => {
  const root = document.getElementById("form-root");
  if (root) {
    root.setAttribute("aria-busy", "false");
    root.innerHTML = "";
    const p = document.createElement("p");
    p.setAttribute("role", "alert");
    p.className = "error";
    p.textContent = `The form could not open: ${error instanceof Error ? error.message : String(error)}`;
    root.append(p);
  }
  console.error(error);
});
