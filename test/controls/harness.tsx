import {
  ComponentFrameworkMockGeneratorReact,
  OptionSetPropertyMock,
  StringPropertyMock,
  TwoOptionsPropertyMock,
  WholeNumberPropertyMock,
} from "@shko.online/componentframework-mock";
import { createReadinessPack } from "../../controls/shared/readinessPackModule";
import { SyncStatusPanel } from "../../controls/SyncStatusPanel";
import type { IInputs as PanelInputs, IOutputs as PanelOutputs } from "../../controls/SyncStatusPanel/ManifestTypes";
import { SyncToggle } from "../../controls/SyncToggle";
import type { IInputs as ToggleInputs, IOutputs as ToggleOutputs } from "../../controls/SyncToggle/ManifestTypes";
import { OPPORTUNITY_ID, resx, type Row } from "./fixtures";

/** Mock PCF contexts (componentframework-mock) for the two controls, with the real resx loaded. */

type WebApiStubs = {
  retrieveRecord: { callsFake(fn: (entity: string, id: string, options?: string) => Promise<Row>): unknown };
  retrieveMultipleRecords: {
    callsFake(
      fn: (entity: string, options?: string, maxPageSize?: number) => Promise<{ entities: Row[]; nextLink?: string }>,
    ): unknown;
  };
  updateRecord: { callsFake(fn: (entity: string, id: string, data: Row) => Promise<unknown>): unknown };
};

export function setRecord(context: { mode: object }, id: string | null): void {
  (context.mode as { contextInfo?: unknown }).contextInfo = { entityId: id ?? "", entityTypeName: "opportunity" };
}

export function toggleGenerator(
  options: { lcid?: 1033 | 1042; value?: boolean; recordId?: string | null; syncState?: number | null } = {},
) {
  SyncToggle.readinessPackLoader = () => Promise.resolve(createReadinessPack());
  const gen = new ComponentFrameworkMockGeneratorReact<ToggleInputs, ToggleOutputs>(SyncToggle, {
    syncWithPartnerCenter: TwoOptionsPropertyMock,
    syncState: OptionSetPropertyMock,
    readinessPackUrl: StringPropertyMock,
  });
  const lcid = options.lcid ?? 1033;
  gen.context.userSettings.languageId = lcid;
  gen.SetControlResource(resx("SyncToggle", lcid));
  gen.context._SetCanvasItems({
    syncWithPartnerCenter: options.value ?? false,
    syncState: options.syncState ?? undefined,
    readinessPackUrl: "",
  });
  setRecord(gen.context, options.recordId === undefined ? OPPORTUNITY_ID : options.recordId);
  return { gen, webAPI: gen.context.webAPI as unknown as WebApiStubs };
}

export function panelGenerator(options: { lcid?: 1033 | 1042; recordId?: string | null; pageSize?: number } = {}) {
  const gen = new ComponentFrameworkMockGeneratorReact<PanelInputs, PanelOutputs>(SyncStatusPanel, {
    syncState: OptionSetPropertyMock,
    dailyBudget: WholeNumberPropertyMock,
    pageSize: WholeNumberPropertyMock,
  });
  const lcid = options.lcid ?? 1033;
  gen.context.userSettings.languageId = lcid;
  gen.SetControlResource(resx("SyncStatusPanel", lcid));
  gen.context._SetCanvasItems({ syncState: 100_000_002, dailyBudget: 10_000, pageSize: options.pageSize ?? 50 });
  setRecord(gen.context, options.recordId === undefined ? OPPORTUNITY_ID : options.recordId);
  return { gen, webAPI: gen.context.webAPI as unknown as WebApiStubs };
}
