/// <reference types="xrm" />
import { XrmMockGenerator } from "xrm-mock";
import * as XrmMock from "xrm-mock";
import {
  MICROSOFT_HELP_VALUES,
  REFERRAL_STATUS_VALUES,
  REFERRAL_SUBSTATUS_VALUES,
  SYNC_STATE_VALUES,
} from "../../domain/choices";
import { configureRuntime } from "../../webresources/src/runtime";
import * as Form from "../../webresources/src/opportunityForm";

/**
 * An Opportunity form on xrm-mock, with what xrm-mock leaves out filled in the way model-driven apps behave:
 * save runs the OnSave handlers (preventDefault cancels it), then OnPostSave and data OnLoad; refresh reloads
 * the row from a small in-memory Dataverse that also answers Xrm.WebApi (xrm-mock does not fake it).
 */

export const OPPORTUNITY_ID = "0bb00000-0000-4000-8000-000000000001";
export const ACCOUNT_ID = "acc00000-0000-4000-8000-000000000001";
export const CONTACT_ID = "c0c00000-0000-4000-8000-000000000001";
export const CURRENCY_ID = "c0000000-0000-4000-8000-000000000001";
export const OWNER_ID = "5e5e0000-0000-4000-8000-000000000003";
export const MEMBER_ID = "5e5e0000-0000-4000-8000-000000000007";
export const USER_ID = "5e5e0000-0000-4000-8000-000000000003";

type Row = Record<string, unknown>;

export interface Notification {
  message: string;
  level: string;
  uniqueId: string;
}

export interface WebApiCall {
  method: "retrieveRecord" | "retrieveMultipleRecords";
  table: string;
  id?: string;
  options?: string;
}

/** Form values by column; lookups as {id, entityType, name}. */
export type FormValues = Record<string, unknown>;

export function readyValues(): FormValues {
  return {
    name: "Contoso Korea – Azure migration",
    description: "Lift-and-shift of 120 VMs.",
    estimatedvalue: 250000,
    estimatedclosedate: new Date(2099, 2, 31),
    transactioncurrencyid: {
      id: `{${CURRENCY_ID.toUpperCase()}}`,
      entityType: "transactioncurrency",
      name: "US Dollar",
    },
    customerid: { id: `{${ACCOUNT_ID.toUpperCase()}}`, entityType: "account", name: "Contoso Korea" },
    parentcontactid: { id: `{${CONTACT_ID.toUpperCase()}}`, entityType: "contact", name: "Ji-woo Kim" },
    ownerid: { id: `{${OWNER_ID.toUpperCase()}}`, entityType: "systemuser", name: "Seo-yeon Lee" },
    statecode: 0,
    statuscode: 1,
    pcs_syncwithpartnercenter: false,
    pcs_syncstate: SYNC_STATE_VALUES.NotSynced,
    pcs_referralid: null,
    pcs_referrallink: null,
    pcs_referralstatus: null,
    pcs_referralsubstatus: null,
    pcs_microsoftcrmid: null,
    pcs_lastsyncerror: null,
    pcs_microsofthelp: MICROSOFT_HELP_VALUES.ProofOfConceptOrDemo,
    pcs_sharewithmicrosoftsellers: false,
  };
}

export class FakeDataverse {
  readonly calls: WebApiCall[] = [];
  readonly rows: Record<string, Record<string, Row>> = {
    account: {
      [ACCOUNT_ID]: {
        name: "Contoso Korea",
        address1_city: "Seoul",
        address1_postalcode: "06236",
        address1_country: "South Korea",
        numberofemployees: 1200,
      },
    },
    contact: {
      [CONTACT_ID]: {
        firstname: "Ji-woo",
        lastname: "Kim",
        emailaddress1: "jiwoo.kim@contoso-korea.example",
        telephone1: null,
      },
    },
    transactioncurrency: { [CURRENCY_ID]: { isocurrencycode: "USD", currencyname: "US Dollar" } },
    systemuser: {
      [OWNER_ID]: {
        fullname: "Seo-yeon Lee",
        firstname: "Seo-yeon",
        lastname: "Lee",
        internalemailaddress: "seoyeon.lee@contoso-partner.example",
        isdisabled: false,
        domainname: "seoyeon.lee@contoso-partner.example",
      },
    },
    opportunity: { [OPPORTUNITY_ID]: {} },
  };
  solutions: Row[] = [
    {
      pcs_microsoftsolutionid: "501c0000-0000-4000-8000-000000000001",
      pcs_solutionid: "SOL-AZ-MIGRATE-001",
      pcs_name: "Azure Migration",
    },
  ];
  teamMembers: Row[] = [
    {
      systemuserid: MEMBER_ID,
      fullname: "Hana Choi",
      firstname: "Hana",
      lastname: "Choi",
      internalemailaddress: "hana.choi@contoso-partner.example",
      isdisabled: false,
    },
  ];
  env: Record<string, string | null> = {};
  /** Makes every request fail (Dataverse unreachable). */
  failWith: string | null = null;

  install(webApi: Xrm.WebApi): void {
    const fail = () => Promise.reject({ errorCode: 0x80040217, message: this.failWith });
    webApi.retrieveRecord = ((table: string, id: string, options?: string) => {
      this.calls.push({ method: "retrieveRecord", table, id, options });
      if (this.failWith) return fail();
      const row = this.rows[table]?.[id];
      if (!row) return Promise.reject({ errorCode: 0x80040217, message: `${table} With Id = ${id} Does Not Exist` });
      if (table === "opportunity" && options?.includes("pcs_opportunity_microsoftsolution")) {
        return Promise.resolve({ opportunityid: id, pcs_opportunity_microsoftsolution: this.solutions });
      }
      return Promise.resolve({ ...row });
    }) as unknown as Xrm.WebApi["retrieveRecord"];
    webApi.retrieveMultipleRecords = ((table: string, options?: string) => {
      this.calls.push({ method: "retrieveMultipleRecords", table, options });
      if (this.failWith) return fail();
      if (table === "environmentvariabledefinition") {
        const entities = Object.entries(this.env)
          .filter(([name]) => options?.includes(`'${name}'`))
          .map(([schemaname, value]) => ({
            schemaname,
            defaultvalue: null,
            environmentvariabledefinition_environmentvariablevalue: value === null ? [] : [{ value }],
          }));
        return Promise.resolve({ entities });
      }
      if (table === "team")
        return Promise.resolve({
          entities: [{ teamid: "7ea70000-0000-4000-8000-000000000002", teammembership_association: this.teamMembers }],
        });
      return Promise.resolve({ entities: [] });
    }) as unknown as Xrm.WebApi["retrieveMultipleRecords"];
  }
}

export interface HarnessOptions {
  values?: FormValues;
  /** null: a new, unsaved record. */
  id?: string | null;
  languageId?: number;
  formType?: number;
  canUpdateSync?: boolean;
  /** Model-driven apps before 2021 have no addOnPostSave. */
  withoutPostSave?: boolean;
  entityName?: string;
  /** Extra controls (an audit subgrid). */
  auditGrid?: boolean;
}

const OPTIONS: Record<string, Record<string, number>> = {
  pcs_syncstate: SYNC_STATE_VALUES,
  pcs_referralstatus: REFERRAL_STATUS_VALUES,
  pcs_referralsubstatus: REFERRAL_SUBSTATUS_VALUES,
  pcs_microsofthelp: MICROSOFT_HELP_VALUES,
  statecode: { Open: 0, Won: 1, Lost: 2 },
  statuscode: { InProgress: 1, OnHold: 2, Won: 3, Canceled: 4, OutSold: 5 },
};

export class FormHarness {
  readonly dataverse = new FakeDataverse();
  readonly fc: XrmMock.FormContextMock;
  readonly xrm: XrmMock.XrmStaticMock;
  /** What Dataverse holds for the row; refresh() loads it into the form. */
  serverRow: FormValues;
  confirmAnswer = true;
  readonly confirmCalls: Xrm.Navigation.ConfirmStrings[] = [];
  readonly saveCalls: { saveMode: number }[] = [];
  readonly refreshCalls: boolean[] = [];
  closeCalls = 0;
  ribbonRefreshes = 0;
  gridRefreshes = 0;
  private readonly saveHandlers: ((context: Xrm.Events.SaveEventContext) => void)[] = [];
  private id: string | null;

  constructor(options: HarnessOptions = {}) {
    const values = options.values ?? readyValues();
    this.id = options.id === undefined ? OPPORTUNITY_ID : options.id;
    const context = new XrmMock.ContextMock({
      clientContext: new XrmMock.ClientContextMock("Web", "Online"),
      clientUrl: "https://contoso.crm5.dynamics.com",
      orgUniqueName: "contoso",
      userSettings: new XrmMock.UserSettingsMock({
        isGuidedHelpEnabled: false,
        isHighContrastEnabled: false,
        isRTL: false,
        languageId: options.languageId ?? 1033,
        userId: `{${USER_ID.toUpperCase()}}`,
        userName: "Seo-yeon Lee",
      }) as unknown as Xrm.UserSettings,
    });
    this.xrm = XrmMockGenerator.initialise({
      context,
      entity: { id: this.id ? `{${this.id.toUpperCase()}}` : "", entityName: options.entityName ?? "opportunity" },
    });
    this.fc = XrmMockGenerator.getFormContext();
    for (const [name, value] of Object.entries(values)) this.addAttribute(name, value);
    this.serverRow = { ...values };
    this.dataverse.install(this.xrm.WebApi);
    this.patchGaps(options);
    if (options.auditGrid) {
      const grid = XrmMockGenerator.Control.createGrid("Subgrid_audit", true, "Sync history");
      grid.getEntityName = () => "pcs_referralsyncaudit";
      grid.refresh = () => {
        this.gridRefreshes += 1;
      };
    }
  }

  private addAttribute(name: string, value: unknown): void {
    const A = XrmMockGenerator.Attribute;
    if (name in OPTIONS) {
      const options = Object.entries(OPTIONS[name]!).map(([text, v]) => ({ text, value: v }));
      A.createOptionSet(name, (value as number | null) ?? undefined, options);
    } else if (typeof value === "boolean") A.createBoolean(name, value);
    else if (typeof value === "number") A.createNumber(name, value);
    else if (value instanceof Date) A.createDate(name, value);
    else if (value && typeof value === "object") A.createLookup(name, value as Xrm.LookupValue);
    else A.createString(name, (value as string | null) ?? undefined);
    if (value === null) (this.attribute(name) as unknown as { value: unknown }).value = null;
  }

  private patchGaps(options: HarnessOptions): void {
    const fc = this.fc;
    fc.ui.getFormType = () => (options.formType ?? (this.id ? 2 : 1)) as XrmEnum.FormType;
    fc.ui.refreshRibbon = () => {
      this.ribbonRefreshes += 1;
    };
    fc.ui.close = () => {
      this.closeCalls += 1;
    };
    fc.data.save = ((saveOptions?: Xrm.SaveOptions) =>
      this.save(saveOptions?.saveMode ?? 1)) as unknown as Xrm.Data["save"];
    fc.data.refresh = ((save: boolean) => {
      this.refreshCalls.push(save);
      this.load(this.serverRow);
      return Promise.resolve(undefined);
    }) as unknown as Xrm.Data["refresh"];
    const sync = this.attribute("pcs_syncwithpartnercenter");
    if (sync)
      sync.getUserPrivilege = () => ({ canRead: true, canCreate: true, canUpdate: options.canUpdateSync !== false });
    if (options.withoutPostSave) (fc.data.entity as unknown as { addOnPostSave?: unknown }).addOnPostSave = undefined;
    this.xrm.Navigation.openConfirmDialog = ((strings: Xrm.Navigation.ConfirmStrings) => {
      this.confirmCalls.push(strings);
      return Promise.resolve({ confirmed: this.confirmAnswer });
    }) as unknown as Xrm.Navigation["openConfirmDialog"];
  }

  attribute(name: string): Xrm.Attributes.Attribute | null {
    return this.fc.getAttribute(name) as Xrm.Attributes.Attribute | null;
  }

  value(name: string): unknown {
    return this.attribute(name)?.getValue();
  }

  /** A seller's edit: marks the column dirty. */
  setValue(name: string, value: unknown): void {
    this.attribute(name)!.setValue(value as never);
  }

  disabled(name: string): boolean {
    return (this.fc.getControl(name) as Xrm.Controls.StandardControl).getDisabled();
  }

  get webApiCalls(): WebApiCall[] {
    return this.dataverse.calls;
  }

  notifications(): Notification[] {
    return [...((this.fc.ui as unknown as { formNotifications?: Notification[] }).formNotifications ?? [])];
  }

  messages(): string[] {
    return this.notifications().map((n) => n.message);
  }

  notification(uniqueId: string): Notification | undefined {
    return this.notifications().find((n) => n.uniqueId === uniqueId);
  }

  eventContext(): Xrm.Events.EventContext {
    return { getFormContext: () => this.fc } as unknown as Xrm.Events.EventContext;
  }

  /** Registers the library as the solution does on the form. */
  registerHandlers(form: typeof Form = Form): void {
    this.saveHandlers.push((context) => form.onSave(context));
    this.attribute("pcs_syncwithpartnercenter")?.addOnChange((context) => form.onSyncChange(context));
  }

  /** Registers an OnSave handler of another form (the close dialog). */
  addSaveHandler(handler: (context: Xrm.Events.SaveEventContext) => void): void {
    this.saveHandlers.push(handler);
  }

  load(values: FormValues): void {
    for (const [name, value] of Object.entries(values)) {
      const attribute = this.attribute(name) as unknown as {
        value: unknown;
        isDirty: boolean;
        getAttributeType(): string;
      } | null;
      if (!attribute) continue;
      // A lookup holds an array of LookupValue, as the platform loads it.
      const isLookup = attribute.getAttributeType() === "lookup";
      attribute.value = isLookup && value && !Array.isArray(value) ? [value] : value;
      attribute.isDirty = false;
    }
    for (const handler of (this.fc.data as unknown as { loadEventHandlers: ((c: unknown) => void)[] })
      .loadEventHandlers) {
      handler(this.eventContext());
    }
  }

  /** The seller flips the toggle (value and OnChange, as the platform does). */
  toggleSync(on: boolean): void {
    const attribute = this.attribute("pcs_syncwithpartnercenter")!;
    attribute.setValue(on);
    attribute.fireOnChange();
  }

  /** Like formContext.data.save: OnSave handlers (may cancel), the write, then OnPostSave and data OnLoad. */
  save(saveMode = 1): Promise<undefined> {
    this.saveCalls.push({ saveMode });
    let prevented = false;
    const args = {
      getSaveMode: () => saveMode,
      preventDefault: () => {
        prevented = true;
      },
      isDefaultPrevented: () => prevented,
      preventDefaultOnError: () => undefined,
    };
    const context = {
      getFormContext: () => this.fc,
      getEventArgs: () => args,
    } as unknown as Xrm.Events.SaveEventContext;
    for (const handler of this.saveHandlers) handler(context);
    if (prevented) return Promise.reject(new Error("Save was cancelled by an OnSave handler."));
    const written: FormValues = {};
    this.fc.data.entity.attributes.forEach((attribute) => {
      const a = attribute as unknown as {
        isDirty: boolean;
        getName(): string;
        getValue(): unknown;
        getSubmitMode(): string;
      };
      if (a.isDirty && a.getSubmitMode() !== "never") written[a.getName()] = a.getValue();
      a.isDirty = false;
    });
    Object.assign(this.serverRow, written);
    if (!this.id) this.id = OPPORTUNITY_ID;
    (this.fc.data.entity as unknown as { id: string }).id = `{${this.id}}`;
    const postArgs = {
      getIsSaveSuccess: () => true,
      getEntityReference: () => ({ id: this.id, entityType: "opportunity" }),
    };
    const postContext = {
      getFormContext: () => this.fc,
      getEventArgs: () => postArgs,
    } as unknown as Xrm.Events.PostSaveEventContext;
    for (const handler of (this.fc.data.entity as unknown as { postSaveEventHandlers: ((c: unknown) => void)[] })
      .postSaveEventHandlers) {
      handler(postContext);
    }
    this.load({});
    return Promise.resolve(undefined);
  }

  /** A save the server refused: OnPostSave reports failure. */
  failedSave(): void {
    const postArgs = { getIsSaveSuccess: () => false };
    const postContext = {
      getFormContext: () => this.fc,
      getEventArgs: () => postArgs,
    } as unknown as Xrm.Events.PostSaveEventContext;
    for (const handler of (this.fc.data.entity as unknown as { postSaveEventHandlers: ((c: unknown) => void)[] })
      .postSaveEventHandlers) {
      handler(postContext);
    }
  }

  /** Environment variables pointing at a fake proxy, with the development issuer. */
  useProxy(url: string): void {
    this.dataverse.env = {
      pcs_ProxyUrl: url,
      pcs_DevelopmentIssuerUrl: `${url}/dev/token`,
      pcs_SignInScope: "api://referral-proxy/user_impersonation",
      pcs_SignInTenantId: null,
      pcs_SignInClientId: null,
    };
  }
}

export function fastRuntime(): void {
  configureRuntime({ timeoutMs: 400, retryDelayMs: 10, now: () => new Date("2026-11-25T12:00:00Z") });
}
