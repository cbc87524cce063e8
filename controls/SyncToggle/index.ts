import * as React from "react";
import { evaluateReadiness, type ReadinessReport } from "../../domain/readinessRules";
import type { ReferenceData } from "../../domain/referenceData";
import {
  cachedReferenceData,
  DEFAULT_ISO_TABLES_URL,
  fetchIsoTables,
  type IsoTablesLoader,
} from "../shared/isoTablesLoader";
import { readOpportunity, type OpportunityRead } from "../shared/opportunityReader";
import { readOnlyReason, recordIdOf } from "../shared/record";
import { createTranslator } from "../shared/strings";
import type { IInputs, IOutputs } from "./ManifestTypes";
import { SyncToggleView, type SyncToggleProps } from "./SyncToggleView";

/**
 * "Sync with Partner Center": a virtual control bound to pcs_syncwithpartnercenter. The lifecycle class only
 * turns the context into props; SyncToggleView holds the behaviour.
 */
export class SyncToggle implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  /** Tests (and the sandbox) may inject the ISO tables instead of fetching the web resource. */
  static isoTablesLoader: IsoTablesLoader | null = null;

  private notifyOutputChanged: () => void = () => undefined;
  private value: boolean | null = null;
  private context: ComponentFramework.Context<IInputs> | null = null;
  private referenceData: (() => Promise<ReferenceData>) | null = null;
  private tablesUrl = "";
  private recordId: string | null = null;
  private load: SyncToggleProps["load"] = () => Promise.reject(new Error("not initialised"));
  private readonly evaluate = async (read: OpportunityRead): Promise<ReadinessReport> => {
    if (!this.referenceData) throw new Error("not initialised");
    const reference = await this.referenceData();
    return evaluateReadiness(read.snapshot, { now: new Date(), hasReferral: !!read.sync.referralId, reference });
  };
  private readonly onChange = (value: boolean): void => {
    this.value = value;
    this.notifyOutputChanged();
  };
  private readonly openRecord = (table: string, id: string): void => {
    void this.context?.navigation.openForm({ entityName: table, entityId: id });
  };

  init(context: ComponentFramework.Context<IInputs>, notifyOutputChanged: () => void): void {
    this.notifyOutputChanged = notifyOutputChanged;
    this.context = context;
  }

  updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.context = context;
    const url = context.parameters.isoTablesUrl?.raw || DEFAULT_ISO_TABLES_URL;
    if (!this.referenceData || url !== this.tablesUrl) {
      this.tablesUrl = url;
      this.referenceData = cachedReferenceData(SyncToggle.isoTablesLoader ?? fetchIsoTables(url));
    }
    const recordId = recordIdOf(context);
    if (recordId !== this.recordId) {
      // A stable function per record, so the view re-reads only when the record changes.
      this.recordId = recordId;
      const webApi = context.webAPI;
      this.load = () => (recordId ? readOpportunity(webApi, recordId) : Promise.reject(new Error("unsaved")));
    }
    const property = context.parameters.syncWithPartnerCenter;
    const props: SyncToggleProps = {
      checked: property.raw === true,
      readOnly: readOnlyReason(context, property),
      recordId,
      t: createTranslator(context.resources),
      load: this.load,
      evaluate: this.evaluate,
      onChange: this.onChange,
      openRecord: this.openRecord,
    };
    return React.createElement(SyncToggleView, props);
  }

  getOutputs(): IOutputs {
    return this.value === null ? {} : { syncWithPartnerCenter: this.value };
  }

  destroy(): void {
    this.context = null;
  }
}
