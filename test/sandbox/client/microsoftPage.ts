import { presentModal } from "../xrmHost/modalDialog";

/**
 * The "Microsoft side" page: the referrals stored in the Partner Center emulator, and what Microsoft does to
 * them (accept, decline, update, close, share a new one) through the emulator's admin API. Each action makes
 * Partner Center send its webhook, so the effect on the opportunity can be watched on the form.
 */

interface Referral {
  id: string;
  name?: string;
  status?: string;
  substatus?: string;
  direction?: string;
  updatedDateTime?: string;
  externalReferenceId?: string;
  statusReason?: string;
  details?: { dealValue?: number; currency?: string; notes?: string; closingDateTime?: string };
  trackingInfo?: { microsoftMsxId?: string };
  customerProfile?: { name?: string };
}

interface Config {
  adminRoot: string;
  focusReferralId: string | null;
}

const config = JSON.parse(document.getElementById("sandbox-config")?.textContent ?? "{}") as Config;
const root = document.getElementById("microsoft-root") as HTMLElement;
const status = document.createElement("p");
status.id = "microsoft-status";
status.setAttribute("role", "status");

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

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const answer = await fetch(`${config.adminRoot}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  const parsed = text ? (JSON.parse(text) as unknown) : null;
  if (!answer.ok) {
    const error = (parsed as { error?: { message?: string }; message?: string } | null) ?? {};
    throw new Error(error.error?.message ?? error.message ?? `HTTP ${answer.status}`);
  }
  return parsed;
}

interface FieldSpec {
  name: string;
  label: string;
  type?: "text" | "number" | "date" | "textarea" | "select";
  value?: string;
  options?: string[];
  required?: boolean;
}

/** A modal form; resolves with the entered values, or null when cancelled. */
function askFor(title: string, fields: FieldSpec[], submitLabel: string): Promise<Record<string, string> | null> {
  const dialog = el("div", { id: "microsoft-dialog" });
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-labelledby", "microsoft-dialog-title");
  const form = el("form", { className: "fields" });
  const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
  for (const f of fields) {
    const id = `ms-${f.name}`;
    let input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (f.type === "textarea") input = el("textarea", { id, rows: 3, value: f.value ?? "" });
    else if (f.type === "select") {
      input = el("select", { id });
      for (const o of f.options ?? []) input.append(el("option", { value: o, textContent: o }));
      input.value = f.value ?? f.options?.[0] ?? "";
    } else input = el("input", { id, type: f.type ?? "text", value: f.value ?? "" });
    if (f.type === "number") (input as HTMLInputElement).step = "any";
    input.required = !!f.required;
    inputs.set(f.name, input);
    form.append(el("div", { className: "field" }, el("label", { htmlFor: id, textContent: f.label }), input));
  }
  const submit = el("button", { type: "submit", className: "primary", textContent: submitLabel });
  const cancel = el("button", { type: "button", textContent: "Cancel" });
  form.append(el("div", { className: "dialog-buttons" }, submit, cancel));
  dialog.append(el("h2", { id: "microsoft-dialog-title", textContent: title }), form);
  return new Promise((resolve) => {
    const finish = (value: Record<string, string> | null) => {
      dispose();
      resolve(value);
    };
    const dispose = presentModal(dialog, () => finish(null));
    cancel.addEventListener("click", () => finish(null));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      finish(Object.fromEntries([...inputs].map(([k, v]) => [k, v.value])));
    });
  });
}

async function act(label: string, work: () => Promise<unknown>): Promise<void> {
  status.textContent = `${label}…`;
  try {
    await work();
    status.textContent = `${label}: done. Partner Center is sending its webhook to the proxy; refresh the opportunity form to see the effect.`;
  } catch (error) {
    status.textContent = `${label} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  await render();
}

function actions(r: Referral): HTMLElement {
  const cell = el("div", { className: "row-actions" });
  const name = r.name ?? r.id;
  const button = (label: string, enabled: boolean, run: () => void) => {
    const b = el("button", { type: "button", textContent: label, disabled: !enabled });
    b.setAttribute("aria-label", `${label}: ${name}`);
    b.addEventListener("click", run);
    cell.append(b);
  };
  const open = r.status !== "Closed";
  button("Accept", r.status === "New", () => {
    void askFor(
      `Accept "${name}"`,
      [
        {
          name: "msx",
          label: "Microsoft CRM id (optional)",
          value: `MSX-${Math.floor(Math.random() * 900000 + 100000)}`,
        },
      ],
      "Accept",
    ).then(
      (v) =>
        v &&
        act(`Accept ${name}`, () => admin("POST", `referrals/${r.id}/accept`, v.msx ? { microsoftMsxId: v.msx } : {})),
    );
  });
  button("Decline", open, () => {
    void askFor(
      `Decline "${name}"`,
      [{ name: "reason", label: "Reason", value: "Not a fit for co-sell" }],
      "Decline",
    ).then(
      (v) =>
        v &&
        act(`Decline ${name}`, () => admin("POST", `referrals/${r.id}/decline`, v.reason ? { reason: v.reason } : {})),
    );
  });
  button("Update", open, () => {
    void askFor(
      `Update "${name}"`,
      [
        { name: "dealValue", label: "Deal value", type: "number", value: String(r.details?.dealValue ?? "") },
        { name: "currency", label: "Currency (ISO 4217)", value: r.details?.currency ?? "" },
        {
          name: "closingDate",
          label: "Closing date",
          type: "date",
          value: (r.details?.closingDateTime ?? "").slice(0, 10),
        },
        { name: "notes", label: "Notes", type: "textarea", value: r.details?.notes ?? "" },
        { name: "msx", label: "Microsoft CRM id", value: r.trackingInfo?.microsoftMsxId ?? "" },
      ],
      "Update",
    ).then(
      (v) =>
        v &&
        act(`Update ${name}`, async () => {
          const details: Record<string, unknown> = {};
          if (v.dealValue !== "" && Number(v.dealValue) !== r.details?.dealValue)
            details.dealValue = Number(v.dealValue);
          if (v.currency && v.currency !== r.details?.currency) details.currency = v.currency;
          if (v.closingDate && v.closingDate !== (r.details?.closingDateTime ?? "").slice(0, 10)) {
            details.closingDateTime = `${v.closingDate}T00:00:00Z`;
          }
          if ((v.notes ?? "") !== (r.details?.notes ?? "")) details.notes = v.notes;
          if (Object.keys(details).length > 0) await admin("PATCH", `referrals/${r.id}/details`, details);
          if (v.msx && v.msx !== r.trackingInfo?.microsoftMsxId) {
            await admin("PUT", `referrals/${r.id}/tracking`, { microsoftMsxId: v.msx });
          }
        }),
    );
  });
  for (const outcome of ["Won", "Lost"] as const) {
    button(`Close ${outcome}`, open, () => {
      void act(`Close ${name} as ${outcome}`, () => admin("POST", `referrals/${r.id}/close`, { outcome }));
    });
  }
  return cell;
}

/** Referral id → the CRM opportunity that holds it (the proxy links both ways; Microsoft-initiated ones too). */
async function linkedOpportunities(): Promise<Map<string, string>> {
  const answer = await fetch(
    "/api/data/v9.2/opportunities?$select=opportunityid,pcs_referralid&$filter=pcs_referralid ne null",
    { headers: { Accept: "application/json" } },
  );
  if (!answer.ok) return new Map();
  const body = (await answer.json()) as { value?: { opportunityid: string; pcs_referralid: string }[] };
  return new Map((body.value ?? []).map((row) => [row.pcs_referralid, row.opportunityid]));
}

async function render(): Promise<void> {
  const linked = await linkedOpportunities().catch(() => new Map<string, string>());
  let referrals: Referral[];
  try {
    referrals = ((await admin("GET", "referrals")) as { value: Referral[] }).value;
  } catch (error) {
    status.textContent = `Could not read the referrals: ${error instanceof Error ? error.message : String(error)}`;
    return;
  }
  referrals.sort((a, b) => String(b.updatedDateTime ?? "").localeCompare(String(a.updatedDateTime ?? "")));
  const table = el("table", { className: "grid", id: "referrals" });
  table.append(
    el("caption", {
      textContent: `${referrals.length} referral${referrals.length === 1 ? "" : "s"} in Partner Center`,
    }),
  );
  const head = el("tr");
  for (const h of [
    "Referral",
    "Direction",
    "Status",
    "Deal",
    "Updated (UTC)",
    "CRM opportunity",
    "Microsoft CRM id",
    "Actions",
  ]) {
    head.append(el("th", { scope: "col", textContent: h }));
  }
  table.append(el("thead", {}, head));
  const body = el("tbody");
  for (const r of referrals) {
    const row = el("tr", { id: `referral-${r.id}` });
    row.dataset.referralId = r.id;
    if (r.id === config.focusReferralId) row.className = "focused";
    const opportunityId = linked.get(r.id) ?? r.externalReferenceId;
    const crm = opportunityId
      ? el("a", { href: `/opportunity/${encodeURIComponent(opportunityId)}`, textContent: opportunityId })
      : "—";
    if (crm !== "—") crm.setAttribute("aria-label", `Open the opportunity of ${r.name ?? r.id}`);
    const nameCell = el(
      "th",
      { scope: "row" },
      el("span", { className: "referral-name", textContent: r.name ?? "(no name)" }),
    );
    nameCell.append(el("br"), el("small", { textContent: r.id }));
    row.append(
      nameCell,
      el("td", { textContent: r.direction ?? "" }),
      el("td", {
        className: "referral-status",
        textContent:
          [r.status, r.substatus].filter(Boolean).join(" / ") + (r.statusReason ? ` (${r.statusReason})` : ""),
      }),
      el("td", {
        className: "num",
        textContent:
          r.details?.dealValue !== undefined
            ? `${r.details.dealValue.toLocaleString("en-US")} ${r.details.currency ?? ""}`
            : "",
      }),
      el("td", { textContent: (r.updatedDateTime ?? "").replace("T", " ").slice(0, 19) }),
      el("td", {}, crm),
      el("td", { textContent: r.trackingInfo?.microsoftMsxId ?? "—" }),
      el("td", {}, actions(r)),
    );
    body.append(row);
  }
  if (referrals.length === 0) {
    const empty = el("td", {
      colSpan: 8,
      textContent: "No referrals yet. Turn on sync on a ready opportunity, or share one from Microsoft below.",
    });
    body.append(el("tr", {}, empty));
  }
  table.append(body);
  document.getElementById("referrals")?.replaceWith(table);
  if (!document.getElementById("referrals")) root.insertBefore(table, document.getElementById("create-section"));
  if (config.focusReferralId) document.getElementById(`referral-${config.focusReferralId}`)?.scrollIntoView();
}

function createSection(): HTMLElement {
  const section = el("section", { id: "create-section" });
  section.setAttribute("aria-labelledby", "create-title");
  const button = el("button", {
    type: "button",
    className: "primary",
    textContent: "Share a referral from Microsoft…",
  });
  button.addEventListener("click", () => {
    void askFor(
      "Microsoft-initiated referral",
      [
        { name: "name", label: "Referral name", value: "Microsoft lead: Azure landing zone", required: true },
        { name: "customer", label: "Customer name", value: "Woodgrove Bank Korea", required: true },
        { name: "country", label: "Customer country (ISO 3166-1 alpha-2)", value: "KR", required: true },
        { name: "city", label: "City", value: "Seoul" },
        { name: "contactFirst", label: "Customer contact first name", value: "Min-seo" },
        { name: "contactLast", label: "Customer contact last name", value: "Han" },
        { name: "contactEmail", label: "Customer contact e-mail", type: "text", value: "minseo.han@woodgrove.example" },
        { name: "dealValue", label: "Deal value", type: "number", value: "120000", required: true },
        { name: "currency", label: "Currency", type: "select", options: ["USD", "KRW", "EUR"], value: "USD" },
        {
          name: "closingDate",
          label: "Closing date",
          type: "date",
          value: `${new Date().getUTCFullYear() + 1}-06-30`,
          required: true,
        },
        { name: "notes", label: "Notes", type: "textarea", value: "Customer asked Microsoft for a partner." },
      ],
      "Share",
    ).then(
      (v) =>
        v &&
        act(`Share ${v.name ?? ""}`, () =>
          admin("POST", "referrals", {
            name: v.name,
            customerProfile: {
              name: v.customer,
              address: {
                addressLine1: "1 Main Street",
                city: v.city || "Seoul",
                postalCode: "00000",
                country: v.country,
              },
              team: v.contactEmail
                ? [{ firstName: v.contactFirst, lastName: v.contactLast, email: v.contactEmail }]
                : [],
            },
            consent: { consentToShareReferralWithMicrosoftSellers: true },
            details: {
              dealValue: Number(v.dealValue),
              currency: v.currency,
              closingDateTime: `${v.closingDate}T00:00:00Z`,
              notes: v.notes,
            },
          }),
        ),
    );
  });
  section.append(
    el("h2", { id: "create-title", textContent: "Microsoft shares a referral with you" }),
    el("p", {
      textContent:
        "A Microsoft seller shares a lead: Partner Center notifies the proxy, which creates the opportunity in Dynamics 365.",
    }),
    button,
  );
  return section;
}

async function main(): Promise<void> {
  root.textContent = "";
  root.append(
    el("h1", { textContent: "Microsoft side: Partner Center referrals" }),
    el("p", {
      className: "lead",
      textContent:
        "What Microsoft sees and does in Partner Center (the emulator's admin API). Accepting, declining, updating or closing a referral sends Partner Center's webhook to the proxy, which updates the opportunity.",
    }),
    status,
    createSection(),
  );
  const refresh = el("button", { type: "button", textContent: "Refresh list" });
  refresh.addEventListener("click", () => void render());
  root.insertBefore(refresh, status);
  await render();
  root.setAttribute("aria-busy", "false");
  document.body.dataset.pageReady = "true";
}

void main();
