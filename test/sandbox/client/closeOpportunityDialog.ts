import type { DataverseWebApi } from "../pcfHost/dataverseWebApi";
import { formatDateOnly, type XrmValue } from "../xrmHost/attributeValues";
import type { FieldMetadata } from "../xrmHost/formAttributes";
import type { FieldDefinition } from "../xrmHost/formDefinition";
import { HostedForm, SaveCancelledError } from "../xrmHost/hostedForm";
import { presentModal } from "../xrmHost/modalDialog";

/**
 * "Close as Won / Lost": the Opportunity Close quick create form (the Sales setting the form script's
 * onCloseDialogSave needs), in a modal. Its OnSave runs the registered handler; its save closes the
 * opportunity with WinOpportunity / LoseOpportunity, as the platform does. A save the handler cancels keeps
 * the dialog open with the handler's notification.
 */

export type Outcome = "won" | "lost";

const TEXT = {
  1033: {
    won: "Close as Won",
    lost: "Close as Lost",
    intro: "Closing records the outcome and makes the opportunity read-only in Dynamics 365.",
    status: "Status Reason",
    revenue: "Actual Revenue",
    date: "Close Date",
    description: "Description",
    save: "Close opportunity",
    cancel: "Cancel",
    statuses: { 3: "Won", 4: "Canceled", 5: "Out-Sold" } as Record<number, string>,
  },
  1042: {
    won: "성사로 종료",
    lost: "실패로 종료",
    intro: "종료하면 결과가 기록되고 Dynamics 365에서 영업 기회가 읽기 전용이 됩니다.",
    status: "상태 설명",
    revenue: "실제 수익",
    date: "종료 날짜",
    description: "설명",
    save: "영업 기회 종료",
    cancel: "취소",
    statuses: { 3: "성사", 4: "취소됨", 5: "경쟁사에 빼앗김" } as Record<number, string>,
  },
};

const FIELDS: FieldDefinition[] = [
  { column: "opportunityid", kind: "lookup", target: "opportunity", hidden: true },
  { column: "opportunitystatecode", kind: "integer", hidden: true },
  { column: "statuscode", kind: "optionset" },
  { column: "actualrevenue", kind: "money" },
  { column: "actualend", kind: "date" },
  { column: "description", kind: "memo" },
];

export interface CloseDialogOptions {
  outcome: Outcome;
  opportunity: { id: string; name: string; estimatedValue: number | null };
  lcid: number;
  webApi: DataverseWebApi;
  /** Registers the solution's OnSave handler(s) on the dialog's form. */
  registerHandlers: (form: HostedForm) => void;
  /** Resolves when the form script's background work (its confirmation) is done. */
  whenIdle: () => Promise<void>;
}

export function openCloseDialog(options: CloseDialogOptions): Promise<boolean> {
  const text = TEXT[options.lcid === 1042 ? 1042 : 1033];
  const statusValues = options.outcome === "won" ? [3] : [4, 5];
  let closed = false;
  let render: () => void = () => undefined;
  const metadata = (field: FieldDefinition): FieldMetadata => ({
    label:
      field.column === "statuscode"
        ? text.status
        : field.column === "actualrevenue"
          ? text.revenue
          : field.column === "actualend"
            ? text.date
            : field.column === "description"
              ? text.description
              : field.column,
    options:
      field.column === "statuscode"
        ? statusValues.map((v) => ({ value: v, label: text.statuses[v] ?? String(v) }))
        : [],
    requiredLevel: field.column === "statuscode" || field.column === "actualend" ? "required" : "none",
  });
  const form = new HostedForm({
    entityName: "opportunityclose",
    id: "",
    fields: FIELDS,
    metadata,
    loadRow: async () => ({}),
    canWrite: true,
    onChange: () => render(),
    onClose: () => undefined,
    refreshRibbon: () => undefined,
    persist: async (f) => {
      const value = (column: string): XrmValue => f.value(column);
      const end = value("actualend");
      await options.webApi.executeAction(options.outcome === "won" ? "WinOpportunity" : "LoseOpportunity", {
        OpportunityClose: {
          subject: `${options.outcome === "won" ? "Won" : "Lost"}: ${options.opportunity.name}`,
          "opportunityid@odata.bind": `/opportunities(${options.opportunity.id})`,
          ...(typeof value("actualrevenue") === "number" ? { actualrevenue: value("actualrevenue") } : {}),
          ...(end instanceof Date ? { actualend: formatDateOnly(end) } : {}),
          ...(typeof value("description") === "string" ? { description: value("description") } : {}),
        },
        Status: value("statuscode"),
      });
      closed = true;
    },
  });

  return (async () => {
    await form.load();
    const set = (column: string, value: XrmValue) => form.attribute(column)?.setValue(value);
    set("opportunityid", [
      { id: `{${options.opportunity.id.toUpperCase()}}`, name: options.opportunity.name, entityType: "opportunity" },
    ]);
    set("opportunitystatecode", options.outcome === "won" ? 1 : 2);
    set("statuscode", statusValues[0] ?? null);
    set("actualrevenue", options.outcome === "won" ? options.opportunity.estimatedValue : null);
    set("actualend", new Date(new Date().getFullYear(), new Date().getMonth(), new Date().getDate()));
    options.registerHandlers(form);

    const dialog = document.createElement("div");
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-labelledby", "close-dialog-title");
    dialog.setAttribute("aria-describedby", "close-dialog-intro");
    dialog.id = "close-dialog";
    const heading = document.createElement("h2");
    heading.id = "close-dialog-title";
    heading.textContent = options.outcome === "won" ? text.won : text.lost;
    const intro = document.createElement("p");
    intro.id = "close-dialog-intro";
    intro.textContent = `${options.opportunity.name}. ${text.intro}`;
    const notices = document.createElement("ul");
    notices.className = "form-notifications";
    notices.setAttribute("aria-live", "polite");
    const fields = document.createElement("div");
    fields.className = "fields";
    for (const field of FIELDS.filter((f) => !f.hidden)) {
      const attribute = form.attribute(field.column);
      if (!attribute) continue;
      const id = `close-${field.column}`;
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = attribute.metadata.label;
      let editor: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
      if (field.kind === "optionset") {
        const select = document.createElement("select");
        for (const o of attribute.metadata.options) select.append(new Option(o.label, String(o.value)));
        select.value = String(attribute.getValue() ?? "");
        select.addEventListener("change", () => attribute.userChanged(Number(select.value)));
        editor = select;
      } else if (field.kind === "memo") {
        const area = document.createElement("textarea");
        area.addEventListener("change", () => attribute.userChanged(area.value || null));
        editor = area;
      } else {
        const input = document.createElement("input");
        input.type = field.kind === "date" ? "date" : "number";
        const v = attribute.getValue();
        input.value = v instanceof Date ? formatDateOnly(v) : v === null ? "" : String(v);
        input.addEventListener("change", () => {
          if (field.kind === "date") {
            const [y, m, d] = input.value.split("-").map(Number);
            attribute.userChanged(y && m && d ? new Date(y, m - 1, d) : null);
          } else attribute.userChanged(input.value === "" ? null : Number(input.value));
        });
        editor = input;
      }
      editor.id = id;
      const row = document.createElement("div");
      row.className = "field";
      row.append(label, editor);
      fields.append(row);
    }
    const buttons = document.createElement("div");
    buttons.className = "dialog-buttons";
    const save = document.createElement("button");
    save.type = "button";
    save.className = "primary";
    save.textContent = text.save;
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = text.cancel;
    buttons.append(save, cancel);
    dialog.append(heading, intro, notices, fields, buttons);
    render = () => {
      notices.textContent = "";
      for (const [, notice] of form.notifications) {
        const item = document.createElement("li");
        item.className = `notice notice-${notice.level.toLowerCase()}`;
        item.textContent = notice.message;
        notices.append(item);
      }
      save.disabled = form.saving;
    };
    render();

    return new Promise<boolean>((resolve) => {
      const finish = (result: boolean) => {
        dispose();
        resolve(result);
      };
      const dispose = presentModal(dialog, () => finish(false));
      cancel.addEventListener("click", () => finish(false));
      save.addEventListener("click", () => {
        void (async () => {
          try {
            await form.save(1);
          } catch (error) {
            // The closing guard cancels the first save and saves again itself once the seller confirms.
            if (!(error instanceof SaveCancelledError)) return;
            await options.whenIdle();
          }
          if (closed) finish(true);
        })();
      });
    });
  })();
}
