import type { Label } from "../schema";
import { FORM_SCRIPT } from "./webResources";
import { el, type XmlElement } from "./xmlBuilder";
import { LANGUAGES } from "./solutionIdentity";

/**
 * "Sync now" on the Opportunity form's command bar (webresources/README.md, "Sync now" command): the action
 * and the enable rule are functions of the form library, each given the form context (PrimaryControl).
 */

export const SYNC_NOW = {
  customActionId: "pcs.opportunity.SyncNow.CustomAction",
  buttonId: "pcs.opportunity.SyncNow.Button",
  commandId: "pcs.opportunity.SyncNow.Command",
  enableRuleId: "pcs.opportunity.SyncNow.EnableRule",
  location: "Mscrm.Form.opportunity.MainTab.Save.Controls._children",
  actionFunction: "Pcs.OpportunityForm.syncNow",
  enableFunction: "Pcs.OpportunityForm.isSyncNowEnabled",
  label: { en: "Sync now", ko: "지금 동기화" } as Label,
  tooltip: {
    en: "Send this opportunity to Partner Center now.",
    ko: "이 영업 기회를 지금 파트너 센터로 보냅니다.",
  } as Label,
} as const;

const LABEL_ID = `${SYNC_NOW.buttonId}.LabelText`;
const TOOLTIP_ID = `${SYNC_NOW.buttonId}.ToolTipDescription`;

function locLabel(id: string, label: Label): XmlElement {
  return el(
    "LocLabel",
    { Id: id },
    el(
      "Titles",
      {},
      LANGUAGES.map((l) => el("Title", { description: label[l.key], languagecode: l.code })),
    ),
  );
}

const library = `$webresource:${FORM_SCRIPT.name}`;

export function opportunityRibbonDiffXml(): XmlElement {
  return el(
    "RibbonDiffXml",
    {},
    el(
      "CustomActions",
      {},
      el(
        "CustomAction",
        { Id: SYNC_NOW.customActionId, Location: SYNC_NOW.location, Sequence: 75 },
        el(
          "CommandUIDefinition",
          {},
          el("Button", {
            Id: SYNC_NOW.buttonId,
            Command: SYNC_NOW.commandId,
            Sequence: 75,
            LabelText: `$LocLabels:${LABEL_ID}`,
            Alt: `$LocLabels:${LABEL_ID}`,
            ToolTipTitle: `$LocLabels:${LABEL_ID}`,
            ToolTipDescription: `$LocLabels:${TOOLTIP_ID}`,
            TemplateAlias: "o1",
          }),
        ),
      ),
    ),
    el("Templates", {}, el("RibbonTemplates", { Id: "Mscrm.Templates" })),
    el(
      "CommandDefinitions",
      {},
      el(
        "CommandDefinition",
        { Id: SYNC_NOW.commandId },
        el("EnableRules", {}, el("EnableRule", { Id: SYNC_NOW.enableRuleId })),
        el("DisplayRules"),
        el(
          "Actions",
          {},
          el(
            "JavaScriptFunction",
            { Library: library, FunctionName: SYNC_NOW.actionFunction },
            el("CrmParameter", { Value: "PrimaryControl" }),
          ),
        ),
      ),
    ),
    el(
      "RuleDefinitions",
      {},
      el("TabDisplayRules"),
      el("DisplayRules"),
      el(
        "EnableRules",
        {},
        el(
          "EnableRule",
          { Id: SYNC_NOW.enableRuleId },
          el(
            "CustomRule",
            { Library: library, FunctionName: SYNC_NOW.enableFunction, Default: "false" },
            el("CrmParameter", { Value: "PrimaryControl" }),
          ),
        ),
      ),
    ),
    el("LocLabels", {}, locLabel(LABEL_ID, SYNC_NOW.label), locLabel(TOOLTIP_ID, SYNC_NOW.tooltip)),
  );
}
