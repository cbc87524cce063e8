import * as React from "react";
import type { ReadinessReport } from "../../domain/readinessRules";
import { readOpportunity, type OpportunityRead } from "../shared/opportunityReader";
import {
  cachedReadinessPack,
  DEFAULT_READINESS_PACK_URL,
  scriptReadinessPack,
  type ReadinessPackLoader,
} from "../shared/readinessPack";
import { readOnlyReason, recordIdOf } from "../shared/record";
import { createTranslator } from "../shared/strings";
import type { IInputs, IOutputs } from "./ManifestTypes";
import { SyncToggleView, type SyncToggleProps } from "./SyncToggleView";

/**
 * "Sync with Partner Center": a virtual control bound to pcs_syncwithpartnercenter. The lifecycle class only
 * turns the context into props; SyncToggleView holds the behaviour.
 */
export class SyncToggle implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  /** Tests may inject the readiness rules instead of loading the web resource. */
  static readinessPackLoader: ReadinessPackLoader | null = null;

  private notifyOutputChanged: () => void = () => undefined;
  private value: boolean | null = null;
  private context: ComponentFramework.Context<IInputs> | null = null;
  private readinessPack: ReadinessPackLoader | null = null;
  private packUrl = "";
  private recordId: string | null = null;
  private load: SyncToggleProps["load"] = () => Promise.reject(new Error("not initialised"));
  private readonly evaluate = async (read: OpportunityRead): Promise<ReadinessReport> => {
    if (!this.readinessPack) throw new Error("not initialised");
    const pack = await this.readinessPack();
    return pack.evaluate(read.snapshot, { now: new Date(), hasReferral: !!read.sync.referralId });
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
    const url = context.parameters.readinessPackUrl?.raw || DEFAULT_READINESS_PACK_URL;
    if (!this.readinessPack || url !== this.packUrl) {
      this.packUrl = url;
      this.readinessPack = cachedReadinessPack(SyncToggle.readinessPackLoader ?? scriptReadinessPack(url));
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
      syncStateValue: context.parameters.syncState?.raw ?? null,
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
