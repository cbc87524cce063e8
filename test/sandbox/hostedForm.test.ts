import type { FormAttribute } from "./xrmHost/formAttributes";
import type { FieldDefinition } from "./xrmHost/formDefinition";
import { HostedForm, SaveCancelledError } from "./xrmHost/hostedForm";

/** The form event pipeline the form script relies on, without a browser. */

const FIELDS: FieldDefinition[] = [
  { column: "name", kind: "string" },
  { column: "description", kind: "memo" },
  { column: "pcs_syncstate", kind: "optionset" },
  { column: "statecode", kind: "optionset", readOnly: true },
];

interface Harness {
  form: HostedForm;
  row: Record<string, unknown>;
  writes: Record<string, unknown>[];
  events: string[];
  fail: { next: Error | null };
}

type Ctx = {
  getFormContext(): {
    getAttribute(n: string): FormAttribute;
    data: { entity: { addOnPostSave(h: (c: Ctx) => void): void }; addOnLoad(h: (c: Ctx) => void): void };
    ui: { getFormType(): number };
  };
  getEventArgs(): { preventDefault(): void; getSaveMode(): number; getIsSaveSuccess(): boolean };
};

async function harness(options: { canWrite?: boolean; statecode?: number } = {}): Promise<Harness> {
  const row: Record<string, unknown> = {
    name: "Deal",
    description: null,
    pcs_syncstate: null,
    statecode: options.statecode ?? 0,
  };
  const writes: Record<string, unknown>[] = [];
  const fail = { next: null as Error | null };
  const form = new HostedForm({
    entityName: "opportunity",
    id: "0bb00000-0000-4000-8000-000000000001",
    fields: FIELDS,
    metadata: () => ({ label: "", options: [], requiredLevel: "none" }),
    loadRow: async () => ({ ...row }),
    canWrite: options.canWrite ?? true,
    isActive: (r) => r.statecode === 0,
    persist: async (_f, changed: FormAttribute[]) => {
      if (fail.next) {
        const error = fail.next;
        fail.next = null;
        throw error;
      }
      const body = Object.fromEntries(changed.map((a) => [a.getName(), a.getValue()]));
      writes.push(body);
      Object.assign(row, body);
    },
    onChange: () => undefined,
    onClose: () => undefined,
    refreshRibbon: () => undefined,
  });
  await form.load();
  const events: string[] = [];
  const fc = (
    form.formContext as {
      data: { entity: { addOnPostSave(h: (c: Ctx) => void): void }; addOnLoad(h: (c: Ctx) => void): void };
    }
  ).data;
  fc.entity.addOnPostSave((c) => events.push(`postSave:${String(c.getEventArgs().getIsSaveSuccess())}`));
  fc.addOnLoad(() => events.push("dataLoad"));
  form.addOnSave(() => events.push("onSave"));
  return { form, row, writes, events, fail };
}

test("a save sends only the dirty columns, reloads the row, then runs data OnLoad and OnPostSave", async () => {
  const h = await harness();
  h.form.attribute("description")?.setValue("new text");
  expect(h.form.isDirty()).toBe(true);
  await h.form.save();
  expect(h.writes).toEqual([{ description: "new text" }]);
  expect(h.form.isDirty()).toBe(false);
  expect(h.events).toEqual(["onSave", "dataLoad", "postSave:true"]);
});

test("submit modes: never is not sent even when dirty; always is sent when clean", async () => {
  const h = await harness();
  const state = h.form.attribute("pcs_syncstate");
  state?.setValue(100000002);
  state?.setSubmitMode("never");
  h.form.attribute("name")?.setSubmitMode("always");
  await h.form.save();
  expect(h.writes).toEqual([{ name: "Deal" }]);
});

test("an OnSave handler that prevents the save stops the write", async () => {
  const h = await harness();
  h.form.addOnSave((context) => (context as Ctx).getEventArgs().preventDefault());
  h.form.attribute("description")?.setValue("x");
  await expect(h.form.save()).rejects.toBeInstanceOf(SaveCancelledError);
  expect(h.writes).toEqual([]);
  expect(h.form.isDirty()).toBe(true);
  expect(h.events).toEqual(["onSave"]);
});

test("a failed write keeps the edits, shows the error on the form and reports an unsuccessful save", async () => {
  const h = await harness();
  h.form.attribute("description")?.setValue("x");
  h.fail.next = new Error("missing prvWriteOpportunity privilege");
  await expect(h.form.save()).rejects.toThrow("missing prvWriteOpportunity privilege");
  expect(h.form.isDirty()).toBe(true);
  expect(h.form.notifications.get("sandbox-save-error")).toEqual({
    message: "Could not save: missing prvWriteOpportunity privilege",
    level: "ERROR",
  });
  expect(h.events).toEqual(["onSave", "postSave:false"]);
});

test("form types: Update, Read Only without write access, Disabled once closed; neither of the last two saves", async () => {
  expect((await harness()).form.formType).toBe(2);
  const readOnly = await harness({ canWrite: false });
  expect(readOnly.form.formType).toBe(3);
  await expect(readOnly.form.save()).rejects.toThrow(/read-only for you/);
  const closed = await harness({ statecode: 1 });
  expect(closed.form.formType).toBe(4);
  await expect(closed.form.save()).rejects.toThrow(/inactive \(closed\)/);
});

test("OnChange runs on fireOnChange and user edits, not on setValue", async () => {
  const h = await harness();
  const attribute = h.form.attribute("name");
  const seen: unknown[] = [];
  attribute?.addOnChange(() => seen.push(attribute.getValue()));
  attribute?.setValue("a");
  attribute?.fireOnChange();
  attribute?.userChanged("b");
  expect(seen).toEqual(["a", "b"]);
});
