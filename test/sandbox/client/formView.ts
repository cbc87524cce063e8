import { formatDateOnly, parseDateOnly, type XrmLookup, type XrmValue } from "../xrmHost/attributeValues";
import type { FormAttribute } from "../xrmHost/formAttributes";
import { OPPORTUNITY_FORM, type FieldDefinition } from "../xrmHost/formDefinition";
import type { HostedForm } from "../xrmHost/hostedForm";
import type { LookupChoice } from "./formMetadata";

/**
 * The form's DOM: header, command bar, form notifications, sections with labelled fields, and the slots the
 * PCF controls render into. Built once; `update()` puts the current values, locks and notifications in place
 * without touching the field the user is typing in.
 */

export interface CommandDefinition {
  id: string;
  label: string;
  run: () => void;
  enabled: () => boolean;
}

export interface FormViewOptions {
  root: HTMLElement;
  form: HostedForm;
  lcid: 1033 | 1042 | number;
  lookupChoices: Map<string, LookupChoice[] | null>;
  commands: CommandDefinition[];
}

type Editor = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The platform's words for a notification's level, in the user's language. */
const LEVEL_LABEL: Record<number, Record<string, string>> = {
  1033: { ERROR: "Error", WARNING: "Warning", INFO: "Information" },
  1042: { ERROR: "오류", WARNING: "경고", INFO: "정보" },
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  Object.assign(element, props);
  element.append(...children);
  return element;
}

function lookupValue(table: string, id: string, name: string): XrmLookup[] {
  return [{ id: `{${id.toUpperCase()}}`, name, entityType: table }];
}

export class FormView {
  private readonly editors = new Map<string, Editor>();
  private readonly fieldNotes = new Map<string, HTMLElement>();
  private readonly rows = new Map<string, HTMLElement>();
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private readonly title = el("h1", { id: "record-title" });
  private readonly subtitle = el("p", { className: "record-sub" });
  private readonly notices = el("ul", { className: "form-notifications" });
  readonly controlSlots = new Map<string, HTMLElement>();

  constructor(private readonly options: FormViewOptions) {
    const { root } = options;
    root.textContent = "";
    const header = el("div", { className: "form-header" }, this.title, this.subtitle);
    const bar = el("div", { className: "command-bar" });
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", options.lcid === 1042 ? "명령" : "Commands");
    for (const command of options.commands) {
      const button = el("button", { type: "button", id: `cmd-${command.id}`, textContent: command.label });
      button.addEventListener("click", () => command.run());
      this.buttons.set(command.id, button);
      bar.append(button);
    }
    const noticeRegion = el("div", { className: "notice-region" }, this.notices);
    noticeRegion.setAttribute("role", "region");
    noticeRegion.setAttribute("aria-label", options.lcid === 1042 ? "양식 알림" : "Form notifications");
    noticeRegion.setAttribute("aria-live", "polite");
    root.append(header, bar, noticeRegion);
    for (const section of OPPORTUNITY_FORM) {
      const headingId = `section-${section.id}`;
      const box = el("section", { className: `form-section section-${section.id}` });
      box.setAttribute("aria-labelledby", headingId);
      box.append(el("h2", { id: headingId, textContent: section.label[options.lcid === 1042 ? 1042 : 1033] }));
      for (const slot of section.controls ?? []) {
        const container = el("div", { id: `pcf-${slot.control}`, className: `pcf-slot pcf-${slot.control}` });
        this.controlSlots.set(slot.control, container);
        box.append(container);
      }
      const grid = el("div", { className: "fields" });
      for (const field of section.fields) {
        if (field.hidden) continue;
        grid.append(this.fieldRow(field));
      }
      box.append(grid);
      root.append(box);
    }
    root.setAttribute("aria-busy", "false");
  }

  private attribute(column: string): FormAttribute {
    const attribute = this.options.form.attribute(column);
    if (!attribute) throw new Error(`The form has no attribute ${column}.`);
    return attribute;
  }

  private fieldRow(field: FieldDefinition): HTMLElement {
    const attribute = this.attribute(field.column);
    const id = `field-${field.column}`;
    const label = el("label", { htmlFor: id, textContent: attribute.metadata.label });
    if (attribute.metadata.requiredLevel === "required") {
      const star = el("span", { className: "required", textContent: " *" });
      star.setAttribute("aria-hidden", "true");
      label.append(star);
    }
    const editor = this.editorFor(field, attribute, id);
    const note = el("p", { className: "field-note", id: `${id}-note` });
    editor.setAttribute("aria-describedby", note.id);
    if (attribute.metadata.requiredLevel === "required") editor.setAttribute("aria-required", "true");
    this.editors.set(field.column, editor);
    this.fieldNotes.set(field.column, note);
    const row = el("div", { className: `field field-${field.kind}` }, label, editor, note);
    this.rows.set(field.column, row);
    return row;
  }

  private editorFor(field: FieldDefinition, attribute: FormAttribute, id: string): Editor {
    const commit = (value: XrmValue) => attribute.userChanged(value);
    switch (field.kind) {
      case "memo": {
        const area = el("textarea", { id, rows: 3 });
        area.addEventListener("change", () => commit(area.value || null));
        return area;
      }
      case "money":
      case "integer": {
        const input = el("input", { id, type: "number", step: field.kind === "money" ? "0.01" : "1" });
        input.addEventListener("change", () => commit(input.value === "" ? null : Number(input.value)));
        return input;
      }
      case "date": {
        const input = el("input", { id, type: "date" });
        input.addEventListener("change", () => commit(input.value ? parseDateOnly(input.value) : null));
        return input;
      }
      case "lookup": {
        const select = el("select", { id });
        select.append(el("option", { value: "", textContent: "—" }));
        for (const choice of this.options.lookupChoices.get(field.target ?? "") ?? []) {
          select.append(el("option", { value: choice.id, textContent: choice.name }));
        }
        select.addEventListener("change", () => {
          const option = select.selectedOptions[0];
          commit(select.value ? lookupValue(field.target ?? "", select.value, option?.textContent ?? "") : null);
        });
        return select;
      }
      case "optionset": {
        const select = el("select", { id });
        select.append(el("option", { value: "", textContent: "—" }));
        for (const option of attribute.metadata.options) {
          select.append(el("option", { value: String(option.value), textContent: option.label }));
        }
        select.addEventListener("change", () => commit(select.value === "" ? null : Number(select.value)));
        return select;
      }
      case "boolean": {
        const select = el("select", { id });
        for (const option of attribute.metadata.options) {
          select.append(el("option", { value: String(option.value), textContent: option.label }));
        }
        select.addEventListener("change", () => commit(select.value === "1"));
        return select;
      }
      default: {
        const input = el("input", { id, type: "text" });
        input.addEventListener("change", () => commit(input.value || null));
        return input;
      }
    }
  }

  private show(column: string, editor: Editor, value: XrmValue): void {
    if (document.activeElement === editor) return;
    const field = this.attribute(column).field;
    if (field.kind === "lookup") {
      const first = Array.isArray(value) ? value[0] : undefined;
      const id = first ? first.id.replace(/[{}]/g, "").toLowerCase() : "";
      const select = editor as HTMLSelectElement;
      if (id && ![...select.options].some((o) => o.value === id)) {
        select.append(el("option", { value: id, textContent: first?.name ?? id }));
      }
      select.value = id;
    } else if (field.kind === "date") {
      editor.value = value instanceof Date ? formatDateOnly(value) : "";
    } else if (field.kind === "boolean") {
      editor.value = value === true ? "1" : "0";
    } else {
      editor.value = value === null || value === undefined ? "" : String(value);
    }
  }

  update(): void {
    const form = this.options.form;
    const name = form.value("name");
    this.title.textContent = typeof name === "string" && name ? name : "(no name)";
    const kind = this.options.lcid === 1042 ? "영업 기회" : "Opportunity";
    const parts = [kind];
    if (form.formType === 3) parts.push(this.options.lcid === 1042 ? "읽기 전용" : "Read-only");
    if (form.formType === 4) parts.push(this.options.lcid === 1042 ? "종료됨, 읽기 전용" : "Closed, read-only");
    if (form.saving) parts.push(this.options.lcid === 1042 ? "저장 중…" : "Saving…");
    else if (form.isDirty()) parts.push(this.options.lcid === 1042 ? "저장되지 않은 변경 내용" : "Unsaved changes");
    else parts.push(this.options.lcid === 1042 ? "저장됨" : "Saved");
    this.subtitle.textContent = parts.join(" · ");
    for (const [column, editor] of this.editors) {
      const attribute = this.attribute(column);
      this.show(column, editor, attribute.getValue());
      const control = attribute.controls[0];
      const disabled = !control || control.getDisabled() || form.locked;
      if (editor instanceof HTMLSelectElement) editor.disabled = disabled;
      else editor.readOnly = disabled;
      editor.setAttribute("aria-readonly", String(disabled));
      this.rows.get(column)?.classList.toggle("locked", disabled);
      const notes = control ? [...control.notifications.values()].map((n) => n.message) : [];
      const note = this.fieldNotes.get(column);
      if (note) note.textContent = notes.join(" ");
      editor.setAttribute("aria-invalid", String(notes.length > 0));
    }
    this.notices.textContent = "";
    for (const [id, notice] of form.notifications) {
      const item = el("li", { className: `notice notice-${notice.level.toLowerCase()}` });
      item.dataset.id = id;
      item.append(
        el("span", {
          className: "notice-level",
          textContent: `${(LEVEL_LABEL[this.options.lcid] ?? LEVEL_LABEL[1033])?.[notice.level] ?? notice.level}: `,
        }),
        notice.message,
      );
      this.notices.append(item);
    }
    for (const command of this.options.commands) {
      const button = this.buttons.get(command.id);
      if (button) button.disabled = !command.enabled();
    }
  }
}
