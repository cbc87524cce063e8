import { valueFromRow, type XrmValue } from "./attributeValues";
import { FormAttribute, FormControl, type FieldMetadata } from "./formAttributes";
import type { FieldDefinition } from "./formDefinition";

/**
 * One open form (the Opportunity main form, or the Opportunity Close quick create form) bound to one row:
 * its attributes and controls, form notifications, and the event pipeline a model-driven form runs —
 * OnSave handlers with a preventable event, the write, the data OnLoad handlers after the row is read again,
 * then OnPostSave. `formContext` is the object form scripts receive.
 */

export type Level = "ERROR" | "WARNING" | "INFO";

export interface HostedFormOptions {
  entityName: string;
  /** Empty for a new (unsaved) record. */
  id: string;
  fields: FieldDefinition[];
  metadata: (field: FieldDefinition) => FieldMetadata;
  loadRow: () => Promise<Record<string, unknown>>;
  /** Writes what the save sends; `changed` holds the attributes to submit. */
  persist: (form: HostedForm, changed: FormAttribute[]) => Promise<void>;
  canWrite: boolean;
  /** False for a row the platform shows disabled (a closed opportunity); true when omitted. */
  isActive?: (row: Record<string, unknown>) => boolean;
  /** Anything visible changed (values, notifications, locks): the page re-renders. */
  onChange: () => void;
  onClose: () => void;
  refreshRibbon: () => void;
}

export class SaveCancelledError extends Error {
  constructor() {
    super("The save was cancelled by an OnSave handler.");
    this.name = "SaveCancelledError";
  }
}

type Handler = (executionContext: unknown) => void;

interface Collection<T> {
  get(arg?: string | number | ((item: T, index: number) => boolean)): T | T[] | null;
  forEach(fn: (item: T, index: number) => void): void;
  getLength(): number;
}

function removeFrom<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}

function collection<T extends { getName(): string }>(items: () => T[]): Collection<T> {
  return {
    get(arg) {
      const all = items();
      if (arg === undefined) return all;
      if (typeof arg === "number") return all[arg] ?? null;
      if (typeof arg === "function") return all.filter(arg);
      return all.find((item) => item.getName() === arg) ?? null;
    },
    forEach: (fn) => items().forEach(fn),
    getLength: () => items().length,
  };
}

export class HostedForm {
  readonly attributes = new Map<string, FormAttribute>();
  readonly notifications = new Map<string, { message: string; level: Level }>();
  private readonly dataLoadHandlers: Handler[] = [];
  private readonly saveHandlers: Handler[] = [];
  private readonly postSaveHandlers: Handler[] = [];
  private row: Record<string, unknown> = {};
  saving = false;
  readonly formContext: unknown;

  constructor(readonly options: HostedFormOptions) {
    this.formContext = this.buildFormContext();
  }

  get id(): string {
    return this.options.id;
  }
  get loadedRow(): Record<string, unknown> {
    return this.row;
  }
  /** 1 Create, 2 Update, 3 Read Only (no write access), 4 Disabled (e.g. a closed opportunity). */
  get formType(): number {
    if (!this.options.id) return 1;
    if (!this.options.canWrite) return 3;
    if (this.options.isActive && !this.options.isActive(this.row)) return 4;
    return 2;
  }
  /** Nothing on the form can be edited or saved. */
  get locked(): boolean {
    return this.formType === 3 || this.formType === 4;
  }
  isDirty(): boolean {
    return [...this.attributes.values()].some((a) => a.getIsDirty());
  }
  attribute(column: string): FormAttribute | undefined {
    return this.attributes.get(column);
  }

  /** Reads the row and (re)sets every attribute's loaded value. */
  async load(): Promise<void> {
    this.row = this.options.id ? await this.options.loadRow() : {};
    for (const field of this.options.fields) {
      const value = valueFromRow(field, this.row);
      const existing = this.attributes.get(field.column);
      if (existing) {
        existing.reload(value);
        continue;
      }
      const attribute = new FormAttribute(field, this.options.metadata(field), value, {
        changed: () => this.options.onChange(),
        context: () => this.executionContext(null),
      });
      const control = new FormControl(attribute, () => this.options.onChange());
      attribute.controls.push(control);
      this.attributes.set(field.column, attribute);
    }
    this.options.onChange();
  }

  executionContext(eventArgs: unknown, source?: unknown): unknown {
    return {
      getFormContext: () => this.formContext,
      getEventArgs: () => eventArgs,
      getEventSource: () => source ?? this.formContext,
      getDepth: () => 1,
      getContext: () =>
        (globalThis as { Xrm?: { Utility: { getGlobalContext(): unknown } } }).Xrm?.Utility.getGlobalContext(),
    };
  }

  addOnSave(handler: Handler): void {
    this.saveHandlers.push(handler);
  }

  /** The OnSave → write → data OnLoad → OnPostSave pipeline. Rejects when prevented or when the write fails. */
  async save(saveMode = 1): Promise<void> {
    if (this.formType === 3) {
      throw new Error("This form is read-only for you: you do not have write access to the row.");
    }
    if (this.formType === 4) throw new Error("This record is inactive (closed) and cannot be changed.");
    let prevented = false;
    const args = {
      getSaveMode: () => saveMode,
      preventDefault: () => {
        prevented = true;
      },
      preventDefaultOnError: () => undefined,
      isDefaultPrevented: () => prevented,
    };
    for (const handler of [...this.saveHandlers]) {
      try {
        handler(this.executionContext(args));
      } catch (error) {
        console.error("OnSave handler failed", error);
      }
    }
    if (prevented) throw new SaveCancelledError();
    const changed = [...this.attributes.values()].filter(
      (a) => a.getSubmitMode() === "always" || (a.getSubmitMode() !== "never" && a.getIsDirty()),
    );
    this.saving = true;
    this.options.onChange();
    let success = false;
    try {
      if (changed.length > 0) await this.options.persist(this, changed);
      success = true;
      this.clearNotification("sandbox-save-error");
    } catch (error) {
      this.setNotification(
        `Could not save: ${error instanceof Error ? error.message : String(error)}`,
        "ERROR",
        "sandbox-save-error",
      );
      throw error;
    } finally {
      this.saving = false;
      if (success) {
        await this.load();
        this.runDataLoad();
      }
      const postArgs = {
        getIsSaveSuccess: () => success,
        getSaveErrorInfo: () => null,
        getEntityReference: () => null,
      };
      for (const handler of [...this.postSaveHandlers]) {
        try {
          handler(this.executionContext(postArgs));
        } catch (error) {
          console.error("OnPostSave handler failed", error);
        }
      }
      this.options.onChange();
    }
  }

  async refresh(save: boolean): Promise<void> {
    if (save) await this.save();
    await this.load();
    this.runDataLoad();
  }

  private runDataLoad(): void {
    for (const handler of [...this.dataLoadHandlers]) {
      try {
        handler(this.executionContext(null));
      } catch (error) {
        console.error("data OnLoad handler failed", error);
      }
    }
  }

  setNotification(message: string, level: Level, id: string): boolean {
    this.notifications.set(id, { message, level });
    this.options.onChange();
    return true;
  }

  clearNotification(id?: string): boolean {
    if (id === undefined) this.notifications.clear();
    else this.notifications.delete(id);
    this.options.onChange();
    return true;
  }

  private controlsList(): FormControl[] {
    return [...this.attributes.values()].flatMap((a) => a.controls);
  }

  private buildFormContext(): unknown {
    const attributes = collection(() => [...this.attributes.values()]);
    const controls = collection(() => this.controlsList());
    const entity = {
      getId: () => (this.options.id ? `{${this.options.id.toUpperCase()}}` : ""),
      getEntityName: () => this.options.entityName,
      getIsDirty: () => this.isDirty(),
      getPrimaryAttributeValue: () => this.attributes.get("name")?.getValue() ?? null,
      getEntityReference: () => ({ id: this.options.id, entityType: this.options.entityName }),
      isValid: () => true,
      save: (mode?: string) => this.save(mode === "saveandclose" ? 2 : 1),
      addOnSave: (handler: Handler) => this.saveHandlers.push(handler),
      removeOnSave: (handler: Handler) => removeFrom(this.saveHandlers, handler),
      addOnPostSave: (handler: Handler) => this.postSaveHandlers.push(handler),
      removeOnPostSave: (handler: Handler) => removeFrom(this.postSaveHandlers, handler),
      attributes,
    };
    const getAttribute = (arg?: string | number | ((a: FormAttribute, i: number) => boolean)) => attributes.get(arg);
    const getControl = (arg?: string | number | ((c: FormControl, i: number) => boolean)) => controls.get(arg);
    return {
      getAttribute,
      getControl,
      data: {
        entity,
        attributes,
        getIsDirty: () => this.isDirty(),
        isValid: () => true,
        save: (options?: { saveMode?: number }) => this.save(options?.saveMode ?? 1),
        refresh: (save?: boolean) => this.refresh(save === true),
        addOnLoad: (handler: Handler) => this.dataLoadHandlers.push(handler),
        removeOnLoad: (handler: Handler) => removeFrom(this.dataLoadHandlers, handler),
      },
      ui: {
        controls,
        tabs: collection(() => []),
        getFormType: () => this.formType,
        setFormNotification: (message: string, level: Level, id: string) => this.setNotification(message, level, id),
        clearFormNotification: (id?: string) => this.clearNotification(id),
        refreshRibbon: () => this.options.refreshRibbon(),
        close: () => this.options.onClose(),
      },
    };
  }

  /** Values as a Web API row would carry them, for tests and the PCF parameters. */
  value(column: string): XrmValue {
    return this.attributes.get(column)?.getValue() ?? null;
  }
}
