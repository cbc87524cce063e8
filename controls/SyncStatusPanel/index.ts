import * as React from "react";
import { createPanelData, type PanelData } from "./panelData";
import { recordIdOf } from "../shared/record";
import { createTranslator, hasString, inUserZone, localeOf, type Translate } from "../shared/strings";
import type { IInputs, IOutputs } from "./ManifestTypes";
import { SyncStatusPanelView, type SyncStatusPanelProps } from "./SyncStatusPanelView";

/**
 * The sync status and audit panel: a virtual control bound to pcs_syncstate (which it only reads). The
 * lifecycle class turns the context into props; SyncStatusPanelView holds the behaviour.
 */
export class SyncStatusPanel implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private recordId: string | null = null;
  private data: PanelData | null = null;
  private resources: ComponentFramework.Resources | null = null;
  private t: Translate = (key) => key;

  init(context: ComponentFramework.Context<IInputs>): void {
    context.mode.trackContainerResize(false);
  }

  updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const recordId = recordIdOf(context);
    if (recordId !== this.recordId) {
      // One data source per record, so the view re-reads only when the record changes.
      this.recordId = recordId;
      this.data = recordId ? createPanelData(context.webAPI, recordId, () => new Date()) : null;
    }
    const budget = context.parameters.dailyBudget?.raw;
    const pageSize = context.parameters.pageSize?.raw;
    const locale = localeOf(context.userSettings.languageId);
    const props: SyncStatusPanelProps = {
      recordId,
      t: this.translator(context.resources),
      hasString: (key) => hasString(context.resources, key),
      data: this.data,
      syncStateValue: context.parameters.syncState.raw ?? null,
      dailyBudget: budget && budget > 0 ? budget : 10_000,
      pageSize: pageSize && pageSize > 0 ? Math.min(pageSize, 5000) : 50,
      // Not isControlDisabled: pcs_syncstate is read-only on the form, which disables every control bound to
      // it. Sync now and Retry need only Write on the opportunity, and a refused write is shown as an error.
      readOnly: false,
      formatDateTime: (iso) => {
        const instant = new Date(iso);
        if (Number.isNaN(instant.getTime())) return iso;
        // Dataverse returns UTC; the seller reads times in their Dataverse time zone, not the browser's.
        const date = inUserZone(instant, context.userSettings.getTimeZoneOffsetMinutes(instant));
        try {
          return context.formatting.formatDateShort(date, true);
        } catch {
          return date.toLocaleString(locale);
        }
      },
    };
    return React.createElement(SyncStatusPanelView, props);
  }

  /** One translator per resx, so the view does not see a "new" t on every updateView. */
  private translator(resources: ComponentFramework.Resources): Translate {
    if (resources !== this.resources) {
      this.resources = resources;
      this.t = createTranslator(resources);
    }
    return this.t;
  }

  getOutputs(): IOutputs {
    return {};
  }

  destroy(): void {
    this.data = null;
  }
}
