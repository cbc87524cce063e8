import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { formatMessage } from "../../domain/messages";
import { resxEntries } from "../../controls/tools/resx";
import { OPPORTUNITY_ID, readyOpportunity, syncState, teamRows, type Row } from "./fixtures";
import { createReadinessPack } from "../../controls/shared/readinessPackModule";
import { SyncToggle } from "../../controls/SyncToggle";
import { toggleGenerator } from "./harness";

function serve(webAPI: ReturnType<typeof toggleGenerator>["webAPI"], row: Row, team: Row[] = []) {
  const calls: string[] = [];
  webAPI.retrieveRecord.callsFake((entity, id, options) => {
    calls.push(`${entity}(${id})${options ?? ""}`);
    return Promise.resolve(row);
  });
  webAPI.retrieveMultipleRecords.callsFake((entity) => {
    calls.push(entity);
    return Promise.resolve({ entities: entity === "team" ? teamRows(team) : [] });
  });
  return calls;
}

function mount(options: Parameters<typeof toggleGenerator>[0] = {}, row: Row = readyOpportunity(), team: Row[] = []) {
  const { gen, webAPI } = toggleGenerator(options);
  const calls = serve(webAPI, row, team);
  gen.ExecuteInit();
  const view = render(gen.ExecuteUpdateView());
  return { gen, webAPI, calls, view };
}

const toggleSwitch = () => screen.getByRole("switch", { name: /Sync with Partner Center|파트너 센터와 동기화/ });

describe("SyncToggle lifecycle", () => {
  it("init, updateView, getOutputs and destroy: turning on a ready deal writes true to the bound column", async () => {
    const { gen, calls } = mount();
    expect(gen.control.init.calledOnce).toBe(true);
    expect(toggleSwitch().getAttribute("aria-checked")).toBe("false");
    await waitFor(() => expect(calls.some((c) => c.startsWith(`opportunity(${OPPORTUNITY_ID})`))).toBe(true));

    fireEvent.click(toggleSwitch());
    await waitFor(() => expect(gen.notifyOutputChanged.called).toBe(true));
    expect(gen.control.getOutputs?.()).toEqual({ syncWithPartnerCenter: true });
    await waitFor(() => expect(toggleSwitch().getAttribute("aria-checked")).toBe("true"));
    expect(await screen.findByText(/All checks passed/)).toBeTruthy();

    gen.control.destroy();
    expect(gen.control.destroy.calledOnce).toBe(true);
  });

  it("reads the record through context.webAPI with the columns the rules need", async () => {
    const { calls } = mount();
    await waitFor(() => expect(calls.length).toBeGreaterThanOrEqual(2));
    const opportunity = calls.find((c) => c.startsWith("opportunity("));
    expect(opportunity).toContain("customerid_account($select=name,address1_country)");
    expect(opportunity).toContain("pcs_opportunity_microsoftsolution");
    expect(calls).toContain("team");
  });

  it("shows the state badge and the referral link once there is one", async () => {
    mount(
      {},
      readyOpportunity({
        pcs_syncwithpartnercenter: true,
        pcs_syncstate: syncState("Synced"),
        pcs_referralid: "ref-42",
        pcs_referrallink: "https://partner.microsoft.com/referrals/ref-42",
      }),
    );
    await waitFor(() => expect(screen.getByTestId("state-badge").textContent).toBe("Synced"));
    const link = screen.getByRole("link", { name: /Referral ref-42 in Partner Center/ });
    expect(link.getAttribute("href")).toBe("https://partner.microsoft.com/referrals/ref-42");
    expect(link.getAttribute("rel")).toBe("noopener noreferrer");
  });

  it("stays off and says why when the readiness rules cannot be loaded, and loads them again on the next try", async () => {
    const { gen, view } = mount();
    const loader = jest
      .fn()
      .mockRejectedValueOnce(new Error("/WebResources/pcs_/scripts/readinessPack.js could not be loaded."))
      .mockResolvedValue(createReadinessPack());
    SyncToggle.readinessPackLoader = loader;
    // A new URL makes the control build a new (cached) loader, which picks up the injected one.
    gen.context._parameters.readinessPackUrl._SetValue("/WebResources/pcs_/scripts/readinessPack.js?v=2");
    view.rerender(gen.ExecuteUpdateView());
    fireEvent.click(toggleSwitch());
    expect(await screen.findByText(/readinessPack\.js could not be loaded/)).toBeTruthy();
    expect(gen.notifyOutputChanged.called).toBe(false);
    expect(toggleSwitch().getAttribute("aria-checked")).toBe("false");

    fireEvent.click(toggleSwitch());
    await waitFor(() => expect(gen.control.getOutputs?.()).toEqual({ syncWithPartnerCenter: true }));
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it("reads the badge and link again when the bound sync state changes (the proxy's write, after a save)", async () => {
    const { gen, view, webAPI } = mount({ syncState: syncState("NotSynced") });
    fireEvent.click(toggleSwitch());
    expect(await screen.findByText(/All checks passed/)).toBeTruthy();
    // The seller saves; the proxy shares the deal and writes the state; the form shows the saved row.
    serve(
      webAPI,
      readyOpportunity({
        pcs_syncwithpartnercenter: true,
        pcs_syncstate: syncState("Synced"),
        pcs_referralid: "ref-77",
        pcs_referrallink: "https://partner.microsoft.com/referrals/ref-77",
      }),
    );
    gen.context._parameters.syncWithPartnerCenter._SetValue(true);
    gen.context._parameters.syncState._SetValue(syncState("Synced"));
    view.rerender(gen.ExecuteUpdateView());
    await waitFor(() => expect(screen.getByTestId("state-badge").textContent).toBe("Synced"));
    expect(screen.getByRole("link", { name: /Referral ref-77/ })).toBeTruthy();
    // "Save to share" no longer applies.
    expect(screen.queryByText(/All checks passed/)).toBeNull();
  });

  it("never renders a referral link that is not http(s)", async () => {
    mount({}, readyOpportunity({ pcs_referralid: "ref-9", pcs_referrallink: "javascript:alert(1)" }));
    await waitFor(() => expect(screen.getByTestId("referral-id").textContent).toContain("ref-9"));
    expect(screen.queryByRole("link")).toBeNull();
  });
});

const entries = resxEntries("SyncToggle");
const label = (key: string) => {
  const entry = entries[key];
  if (!entry) throw new Error(`no resx entry ${key}`);
  return entry.en;
};

/** One row per failure kind the rules produce: the row, the message key, its params, and the field label. */
const FAILURES: [string, Row, Row[], string, Record<string, string | number>, string][] = [
  [
    "no solution",
    { pcs_opportunity_microsoftsolution: [] },
    [],
    "readiness.solution.missing",
    {},
    label("field.opportunity.pcs_opportunity_microsoftsolution"),
  ],
  [
    "solution id not SOL-",
    {
      pcs_opportunity_microsoftsolution: [{ pcs_microsoftsolutionid: "s1", pcs_solutionid: "AZ-1", pcs_name: "Azure" }],
    },
    [],
    "readiness.solution.invalidId",
    { name: "Azure", value: "AZ-1" },
    `${label("table.pcs_microsoftsolution")} › ${label("field.pcs_microsoftsolution.pcs_solutionid")}`,
  ],
  [
    "no account",
    { customerid_account: null },
    [],
    "readiness.account.missing",
    {},
    label("field.opportunity.customerid"),
  ],
  [
    "no country",
    { customerid_account: { accountid: "a1", name: "Contoso Korea", address1_country: null } },
    [],
    "readiness.country.missing",
    { account: "Contoso Korea" },
    `${label("table.account")} › ${label("field.account.address1_country")}`,
  ],
  [
    "ambiguous country",
    { customerid_account: { accountid: "a1", name: "Contoso Korea", address1_country: "Korea" } },
    [],
    "readiness.country.ambiguous",
    { account: "Contoso Korea", value: "Korea", candidates: "KP, KR" },
    `${label("table.account")} › ${label("field.account.address1_country")}`,
  ],
  [
    "unknown country",
    { customerid_account: { accountid: "a1", name: "Contoso Korea", address1_country: "Atlantis" } },
    [],
    "readiness.country.unknown",
    { account: "Contoso Korea", value: "Atlantis" },
    `${label("table.account")} › ${label("field.account.address1_country")}`,
  ],
  [
    "help without contact",
    { pcs_microsofthelp: 100_000_000 },
    [],
    "readiness.contact.missing",
    {},
    label("field.opportunity.parentcontactid"),
  ],
  [
    "contact without email",
    {
      pcs_microsofthelp: 100_000_000,
      parentcontactid: { contactid: "c1", firstname: "Ji-woo", lastname: "Kim", emailaddress1: null },
    },
    [],
    "readiness.contact.email",
    { contact: "Ji-woo Kim" },
    `${label("table.contact")} › ${label("field.contact.emailaddress1")}`,
  ],
  [
    "contact without first name",
    {
      pcs_microsofthelp: 100_000_000,
      parentcontactid: { contactid: "c1", firstname: "", lastname: "Kim", emailaddress1: "kim@contoso.example" },
    },
    [],
    "readiness.contact.firstName",
    { contact: "Kim" },
    `${label("table.contact")} › ${label("field.contact.firstname")}`,
  ],
  [
    "no currency",
    { transactioncurrencyid: null },
    [],
    "readiness.currency.missing",
    {},
    label("field.opportunity.transactioncurrencyid"),
  ],
  [
    "currency WON",
    { transactioncurrencyid: { transactioncurrencyid: "cur", isocurrencycode: "WON" } },
    [],
    "readiness.currency.suggest",
    { value: "WON", candidates: "KPW, KRW" },
    `${label("table.transactioncurrency")} › ${label("field.transactioncurrency.isocurrencycode")}`,
  ],
  [
    "closed as won",
    { statecode: 1 },
    [],
    "readiness.state.closed",
    { state: "Won" },
    label("field.opportunity.statecode"),
  ],
  ["no value", { estimatedvalue: null }, [], "readiness.value.missing", {}, label("field.opportunity.estimatedvalue")],
  [
    "value zero",
    { estimatedvalue: 0 },
    [],
    "readiness.value.notPositive",
    { value: 0 },
    label("field.opportunity.estimatedvalue"),
  ],
  [
    "no close date",
    { estimatedclosedate: null },
    [],
    "readiness.closeDate.missing",
    {},
    label("field.opportunity.estimatedclosedate"),
  ],
  [
    "close date past",
    { estimatedclosedate: "2020-01-31" },
    [],
    "readiness.closeDate.past",
    { value: "2020-01-31" },
    label("field.opportunity.estimatedclosedate"),
  ],
  [
    "team owner",
    { owninguser: null, owningteam: { teamid: "t1", name: "Seoul sales" } },
    [],
    "readiness.owner.notUser",
    { name: "Seoul sales", kind: "team" },
    label("field.opportunity.ownerid"),
  ],
  ["no owner", { owninguser: null }, [], "readiness.owner.missing", {}, label("field.opportunity.ownerid")],
  [
    "owner without email",
    { owninguser: { systemuserid: "u1", fullname: "Emily Carter", internalemailaddress: null, isdisabled: false } },
    [],
    "readiness.person.noEmail",
    { name: "Emily Carter" },
    `${label("table.systemuser")} › ${label("field.systemuser.internalemailaddress")}`,
  ],
  [
    "disabled team member",
    {},
    [
      {
        systemuserid: "u2",
        fullname: "Daniel Lee",
        internalemailaddress: "daniel.lee@contoso.example",
        isdisabled: true,
      },
    ],
    "readiness.person.disabled",
    { name: "Daniel Lee" },
    `${label("table.systemuser")} › ${label("field.systemuser.isdisabled")}`,
  ],
  ["no name", { name: "" }, [], "readiness.name.missing", {}, label("field.opportunity.name")],
  [
    "notes too long",
    { description: "x".repeat(2001) },
    [],
    "readiness.description.tooLong",
    { length: 2001, max: 2000 },
    label("field.opportunity.description"),
  ],
];

describe("SyncToggle readiness checklist", () => {
  beforeAll(() => {
    jest.useFakeTimers({
      doNotFake: ["nextTick", "setImmediate", "queueMicrotask"],
      now: new Date("2026-11-25T09:00:00Z"),
    });
  });
  afterAll(() => jest.useRealTimers());

  it.each(FAILURES)("%s: stays off and names the field to fix", async (_name, overrides, team, key, params, field) => {
    const { gen } = mount({}, readyOpportunity(overrides), team);
    fireEvent.click(toggleSwitch());
    const checklist = await screen.findByRole("list", { name: "What to fix" });
    const expected = formatMessage(key as Parameters<typeof formatMessage>[0], "en", params);
    const item = within(checklist)
      .getAllByRole("listitem")
      .find((li) => li.textContent?.includes(expected));
    expect(item).toBeDefined();
    expect(item?.textContent).toContain(`Field: ${field}`);
    expect(toggleSwitch().getAttribute("aria-checked")).toBe("false");
    expect(gen.notifyOutputChanged.called).toBe(false);
    expect(gen.control.getOutputs?.()).toEqual({});
    expect(screen.getByTestId("announcer").textContent).toMatch(/Sync stays off: fix \d+ item/);
  });

  it("lists every failure of a deal with several gaps, and links to the related row to fix", async () => {
    const { gen } = mount(
      {},
      readyOpportunity({
        pcs_opportunity_microsoftsolution: [],
        customerid_account: {
          accountid: "a0000000-0000-4000-8000-0000000000ff",
          name: "Fabrikam",
          address1_country: "",
        },
        estimatedvalue: null,
      }),
    );
    fireEvent.click(toggleSwitch());
    const checklist = await screen.findByRole("list", { name: "What to fix" });
    expect(
      within(checklist)
        .getAllByRole("listitem")
        .map((li) => li.getAttribute("data-rule")),
    ).toEqual(["R1", "R2", "R6"]);
    fireEvent.click(within(checklist).getByRole("button", { name: "Open Account" }));
    expect(gen.context.navigation.openForm.calledOnce).toBe(true);
    expect(gen.context.navigation.openForm.firstCall.args[0]).toEqual({
      entityName: "account",
      entityId: "a0000000-0000-4000-8000-0000000000ff",
    });
  });

  it("shows the checklist without a click when sync is on but the proxy blocked the deal", async () => {
    mount(
      { value: true },
      readyOpportunity({ pcs_syncwithpartnercenter: true, pcs_syncstate: syncState("Blocked"), estimatedvalue: 0 }),
    );
    const checklist = await screen.findByRole("list", { name: "What to fix" });
    expect(checklist.textContent).toContain("The estimated revenue is 0; it must be greater than 0.");
    expect(screen.getByText(/Sync is blocked: fix 1 item/)).toBeTruthy();
  });

  it("ignores clicks while a check runs, and keeps keyboard focus on the switch", async () => {
    const { gen, webAPI, calls } = mount();
    await waitFor(() => expect(calls).toHaveLength(2)); // the badge's read: the row and the sales team
    let reads = 0;
    let release: () => void = () => undefined;
    webAPI.retrieveRecord.callsFake(() => {
      reads += 1;
      return new Promise((resolve) => (release = () => resolve(readyOpportunity())));
    });
    toggleSwitch().focus();
    fireEvent.click(toggleSwitch());
    fireEvent.click(toggleSwitch());
    expect(reads).toBe(1);
    expect(document.activeElement).toBe(toggleSwitch());
    expect(screen.getByTestId("announcer").textContent).toBe("Checking whether the deal can be shared…");
    release();
    await waitFor(() => expect(gen.control.getOutputs?.()).toEqual({ syncWithPartnerCenter: true }));
    expect(gen.notifyOutputChanged.callCount).toBe(1);
  });

  it("reports a failed check and stays off", async () => {
    const { gen, webAPI } = mount();
    webAPI.retrieveRecord.callsFake(() =>
      Promise.reject({ errorCode: 0x80040220, message: "Principal user is missing prvReadOpportunity" }),
    );
    fireEvent.click(toggleSwitch());
    expect(
      await screen.findByText(/The deal could not be checked: Principal user is missing prvReadOpportunity/),
    ).toBeTruthy();
    expect(gen.notifyOutputChanged.called).toBe(false);
  });

  it("asks to save a new opportunity first and reads nothing", async () => {
    const { calls, gen } = mount({ recordId: null });
    fireEvent.click(toggleSwitch());
    expect(await screen.findByText("Save the opportunity before turning on sync.")).toBeTruthy();
    expect(calls).toEqual([]);
    expect(gen.notifyOutputChanged.called).toBe(false);
  });
});

describe("SyncToggle in Korean (1042)", () => {
  it("shows the label, the checklist and the field in Korean", async () => {
    mount({ lcid: 1042 }, readyOpportunity({ transactioncurrencyid: null }));
    fireEvent.click(toggleSwitch());
    const checklist = await screen.findByRole("list", { name: "수정할 항목" });
    expect(checklist.textContent).toContain(formatMessage("readiness.currency.missing", "ko"));
    expect(checklist.textContent).toContain(`필드: ${entries["field.opportunity.transactioncurrencyid"]?.ko}`);
    expect(screen.getByText("파트너 센터와 동기화")).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/What to fix|Field:/);
  });
});

describe("SyncToggle read-only and disabled", () => {
  it.each([
    ["security", "You do not have permission to change this setting."],
    ["disabled", "This setting is read-only here."],
  ])("%s: the switch is disabled, clicking does nothing", async (mode, reason) => {
    const { gen, webAPI } = toggleGenerator();
    serve(webAPI, readyOpportunity());
    if (mode === "security")
      gen.context._parameters.syncWithPartnerCenter.security = { editable: false, readable: true, secured: true };
    else gen.context.mode.isControlDisabled = true;
    gen.ExecuteInit();
    render(gen.ExecuteUpdateView());
    const toggle = toggleSwitch();
    expect(toggle.hasAttribute("disabled")).toBe(true);
    expect(screen.getByTestId("read-only-reason").textContent).toBe(reason);
    expect(toggle.getAttribute("aria-describedby")).toBe(screen.getByTestId("read-only-reason").id);
    fireEvent.click(toggle);
    await act(async () => Promise.resolve());
    expect(gen.notifyOutputChanged.called).toBe(false);
    expect(screen.queryByRole("list")).toBeNull();
  });
});

describe("SyncToggle turning off", () => {
  const synced = readyOpportunity({
    pcs_syncwithpartnercenter: true,
    pcs_syncstate: syncState("Synced"),
    pcs_referralid: "ref-77",
    pcs_referrallink: "https://partner.microsoft.com/referrals/ref-77",
  });

  it("after a referral exists: explains that Partner Center keeps it, and turns off only when confirmed", async () => {
    const { gen } = mount({ value: true }, synced);
    await screen.findByRole("link", { name: /ref-77/ });
    fireEvent.click(toggleSwitch());
    const dialog = screen.getByRole("alertdialog", { name: "Partner Center keeps the referral" });
    expect(dialog.textContent).toContain("referral ref-77");
    expect(dialog.textContent).toContain("not deleted or closed in Partner Center");
    expect(document.activeElement?.textContent).toBe("Keep syncing");
    expect(gen.notifyOutputChanged.called).toBe(false);

    fireEvent.click(within(dialog).getByRole("button", { name: "Turn sync off" }));
    await waitFor(() => expect(gen.control.getOutputs?.()).toEqual({ syncWithPartnerCenter: false }));
    expect(screen.getByTestId("announcer").textContent).toBe("Sync is off.");
  });

  it("Keep syncing (or Escape) leaves it on", async () => {
    const { gen } = mount({ value: true }, synced);
    await screen.findByRole("link", { name: /ref-77/ });
    fireEvent.click(toggleSwitch());
    fireEvent.click(screen.getByRole("button", { name: "Keep syncing" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    fireEvent.click(toggleSwitch());
    fireEvent.keyDown(screen.getByRole("alertdialog"), { key: "Escape" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(gen.notifyOutputChanged.called).toBe(false);
    expect(toggleSwitch().getAttribute("aria-checked")).toBe("true");
  });

  it("without a referral turns off at once", async () => {
    const { gen, calls } = mount(
      { value: true },
      readyOpportunity({ pcs_syncwithpartnercenter: true, pcs_syncstate: syncState("Pending") }),
    );
    await waitFor(() => expect(calls.length).toBeGreaterThan(0));
    await screen.findByText("Pending");
    fireEvent.click(toggleSwitch());
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(gen.control.getOutputs?.()).toEqual({ syncWithPartnerCenter: false }));
  });
});
