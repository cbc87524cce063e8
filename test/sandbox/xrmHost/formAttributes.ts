import { sameValue, type XrmValue } from "./attributeValues";
import type { FieldDefinition } from "./formDefinition";

/**
 * Attributes and controls of the sandbox form, with the behaviour form scripts rely on: dirty tracking
 * against the last loaded value, submit modes, OnChange handlers (run by fireOnChange and by the user's
 * edits, not by setValue), controls that can be disabled and carry notifications.
 */

export interface FieldMetadata {
  label: string;
  options: { value: number; label: string }[];
  requiredLevel: "none" | "required" | "recommended";
}

export type ChangeHandler = (executionContext: unknown) => void;

export class FormControl {
  private disabled: boolean;
  private visible: boolean;
  readonly notifications = new Map<string, { message: string; level: "ERROR" | "RECOMMENDATION" }>();

  constructor(
    readonly attribute: FormAttribute,
    private readonly onUpdate: () => void,
  ) {
    this.disabled = !!attribute.field.readOnly;
    this.visible = !attribute.field.hidden;
  }

  getName(): string {
    return this.attribute.getName();
  }
  getControlType(): string {
    return this.attribute.field.kind === "lookup"
      ? "lookup"
      : this.attribute.field.kind === "optionset"
        ? "optionset"
        : "standard";
  }
  getAttribute(): FormAttribute {
    return this.attribute;
  }
  getLabel(): string {
    return this.attribute.metadata.label;
  }
  getDisabled(): boolean {
    return this.disabled;
  }
  setDisabled(disabled: boolean): void {
    this.disabled = disabled;
    this.onUpdate();
  }
  getVisible(): boolean {
    return this.visible;
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.onUpdate();
  }
  setNotification(message: string, uniqueId = "default"): boolean {
    this.notifications.set(uniqueId, { message, level: "ERROR" });
    this.onUpdate();
    return true;
  }
  addNotification(notification: {
    messages: string[];
    notificationLevel?: "ERROR" | "RECOMMENDATION";
    uniqueId: string;
  }): void {
    this.notifications.set(notification.uniqueId, {
      message: notification.messages.join(" "),
      level: notification.notificationLevel ?? "ERROR",
    });
    this.onUpdate();
  }
  clearNotification(uniqueId?: string): boolean {
    if (uniqueId === undefined) this.notifications.clear();
    else this.notifications.delete(uniqueId);
    this.onUpdate();
    return true;
  }
  setFocus(): void {
    document.getElementById(`field-${this.getName()}`)?.focus();
  }
}

export class FormAttribute {
  private value: XrmValue;
  private loaded: XrmValue;
  private submitMode: "always" | "never" | "dirty" = "dirty";
  private readonly handlers: ChangeHandler[] = [];
  readonly controls: FormControl[] = [];

  constructor(
    readonly field: FieldDefinition,
    public metadata: FieldMetadata,
    initial: XrmValue,
    private readonly hooks: { changed: (attribute: FormAttribute) => void; context: () => unknown },
  ) {
    this.value = initial;
    this.loaded = initial;
  }

  getName(): string {
    return this.field.column;
  }
  getAttributeType(): string {
    switch (this.field.kind) {
      case "money":
        return "money";
      case "lookup":
        return "lookup";
      case "optionset":
        return "optionset";
      case "boolean":
        return "boolean";
      case "date":
      case "datetime":
        return "datetime";
      case "integer":
        return "integer";
      case "memo":
        return "memo";
      default:
        return "string";
    }
  }
  getFormat(): string | null {
    return this.field.kind === "date" ? "date" : this.field.kind === "datetime" ? "datetime" : null;
  }
  getValue(): XrmValue {
    return this.value;
  }
  /** As on a real form: the value changes, handlers do not run (fireOnChange does that). */
  setValue(value: XrmValue): void {
    this.value = value;
    this.hooks.changed(this);
  }
  getInitialValue(): XrmValue {
    return this.loaded;
  }
  getIsDirty(): boolean {
    return !sameValue(this.value, this.loaded);
  }
  getSubmitMode(): string {
    return this.submitMode;
  }
  setSubmitMode(mode: "always" | "never" | "dirty"): void {
    this.submitMode = mode;
  }
  getRequiredLevel(): string {
    return this.metadata.requiredLevel;
  }
  setRequiredLevel(level: "none" | "required" | "recommended"): void {
    this.metadata = { ...this.metadata, requiredLevel: level };
    this.hooks.changed(this);
  }
  getOptions(): { value: number; text: string }[] {
    return this.metadata.options.map((o) => ({ value: o.value, text: o.label }));
  }
  getText(): string | null {
    const option = this.metadata.options.find((o) => o.value === this.value);
    return option ? option.label : null;
  }
  getUserPrivilege(): { canRead: boolean; canUpdate: boolean; canCreate: boolean } {
    return { canRead: true, canUpdate: !this.field.readOnly, canCreate: !this.field.readOnly };
  }
  addOnChange(handler: ChangeHandler): void {
    this.handlers.push(handler);
  }
  removeOnChange(handler: ChangeHandler): void {
    const index = this.handlers.indexOf(handler);
    if (index >= 0) this.handlers.splice(index, 1);
  }
  fireOnChange(): void {
    for (const handler of [...this.handlers]) {
      try {
        handler(this.hooks.context());
      } catch (error) {
        console.error(`OnChange handler of ${this.getName()} failed`, error);
      }
    }
  }
  /** A user's edit in a control: the value, then OnChange. */
  userChanged(value: XrmValue): void {
    this.setValue(value);
    this.fireOnChange();
  }
  /** After a save or refresh: the loaded value is the new baseline; submit mode back to dirty. */
  reload(value: XrmValue): void {
    this.value = value;
    this.loaded = value;
    this.submitMode = "dirty";
  }
}
