import type { Label } from "../schema";
import { stableGuid } from "./stableGuid";
import { el, textEl, type XmlElement } from "./xmlBuilder";

/**
 * The two roles the solution ships. Privilege names are prv<Action><table schema name> (custom tables keep the
 * schema name's case: prvReadpcs_ReferralSyncAudit), as in the exported sample role. Depth: Basic (own rows),
 * Local (business unit), Deep, Global (organization); organization-owned tables only take Global. Each
 * privilege carries the reason it exists, so a reviewer can remove what a deployment does not need.
 */

export type PrivilegeDepth = "Basic" | "Local" | "Deep" | "Global";

export interface RolePrivilege {
  name: string;
  depth: PrivilegeDepth;
  why: string;
}

export interface SecurityRole {
  key: string;
  name: Label;
  description: Label;
  privileges: readonly RolePrivilege[];
}

const p = (name: string, depth: PrivilegeDepth, why: string): RolePrivilege => ({ name, depth, why });

export const SELLER_ROLE: SecurityRole = {
  key: "seller",
  name: { en: "Co-sell Referral Sync Seller", ko: "공동 판매 추천 동기화 판매자" },
  description: {
    en: "Add to sellers who share opportunities with Microsoft: the toggle, the status panel and Sync now. Use with a Sales role.",
    ko: "Microsoft와 영업 기회를 공유하는 판매자에게 추가합니다. 영업 역할과 함께 사용합니다.",
  },
  privileges: [
    p("prvReadOpportunity", "Local", "the form, toggle and panel read the opportunity and its sync columns"),
    p("prvWriteOpportunity", "Basic", "turning sync on, Sync now/Retry requests (pcs_syncrequestedon) on own deals"),
    p("prvAppendOpportunity", "Basic", "linking Microsoft solutions to own opportunities (N:N)"),
    p("prvAppendToOpportunity", "Basic", "audit rows and solutions attach to the opportunity"),
    p("prvReadpcs_ReferralSyncAudit", "Global", "the status panel lists the sync history (organization-owned table)"),
    p("prvReadpcs_MicrosoftSolution", "Global", "readiness rule R1 and choosing the solutions to link"),
    p("prvAppendTopcs_MicrosoftSolution", "Global", "linking a catalogue solution to an opportunity"),
    p("prvReadpcs_IntegrationState", "Global", "the panel's daily quota meter (quota:<day> row)"),
    p("prvReadAccount", "Local", "readiness rules R2 and R8 read the customer account"),
    p("prvReadContact", "Local", "readiness rule R3 reads the customer contact"),
    p("prvReadTransactionCurrency", "Global", "readiness rule R4 reads the currency code"),
    p("prvReadUser", "Global", "readiness rule R7 reads the owner and sales team users"),
    p("prvReadTeam", "Global", "readiness rule R7 reads the opportunity's sales (access) team"),
    p("prvReadEnvironmentVariableDefinition", "Global", "the form script reads pcs_ProxyUrl and the sign-in settings"),
    p("prvReadEnvironmentVariableValue", "Global", "the same, current values"),
  ],
};

export const INTEGRATION_ROLE: SecurityRole = {
  key: "integration",
  name: { en: "Co-sell Referral Sync Integration", ko: "공동 판매 추천 동기화 통합" },
  description: {
    en: "For the referral proxy's application user only: syncs opportunities with Partner Center, writes audit and state rows.",
    ko: "추천 프록시의 애플리케이션 사용자 전용: 영업 기회를 파트너 센터와 동기화하고 감사 및 상태 행을 씁니다.",
  },
  privileges: [
    p("prvCreateOpportunity", "Global", "a referral Microsoft started becomes a new opportunity"),
    p(
      "prvReadOpportunity",
      "Global",
      "every sync reads the opportunity; reconciliation and backfill query all of them",
    ),
    p("prvWriteOpportunity", "Global", "status, Microsoft CRM id, fingerprint, retry schedule written back"),
    p("prvAppendOpportunity", "Global", "linking solutions and the customer to an opportunity it creates"),
    p("prvAppendToOpportunity", "Global", "audit rows point to the opportunity"),
    p("prvCreateAccount", "Global", "an inbound referral's customer is created when no account matches"),
    p("prvReadAccount", "Global", "the referral's customer name and address come from the account"),
    p("prvWriteAccount", "Global", "owner set on an account it created"),
    p("prvAppendAccount", "Global", "accounts it creates get their owner"),
    p("prvAppendToAccount", "Global", "a new opportunity and contact point to the account"),
    p("prvCreateContact", "Global", "an inbound referral's contact is created when no e-mail matches"),
    p("prvReadContact", "Global", "the customer contact of a co-sell referral"),
    p("prvWriteContact", "Global", "owner set on a contact it created"),
    p("prvAppendContact", "Global", "a contact it creates points to its account"),
    p("prvAppendToContact", "Global", "a new opportunity points to the contact"),
    p("prvCreatepcs_ReferralSyncAudit", "Global", "one audit row per sync attempt"),
    p("prvReadpcs_ReferralSyncAudit", "Global", "retries read the attempt they repeat"),
    p("prvWritepcs_ReferralSyncAudit", "Global", "an attempt's result is completed on its row"),
    p("prvAppendpcs_ReferralSyncAudit", "Global", "an audit row's opportunity lookup is set"),
    p("prvCreatepcs_IntegrationState", "Global", "first watermark and first quota row of a day"),
    p("prvReadpcs_IntegrationState", "Global", "reconciliation watermark and quota counter"),
    p("prvWritepcs_IntegrationState", "Global", "advancing the watermark and counting calls (If-Match)"),
    p("prvReadpcs_MicrosoftSolution", "Global", "the referral's solutions come from the linked catalogue rows"),
    p("prvAppendTopcs_MicrosoftSolution", "Global", "an inbound referral's solutions are linked to its opportunity"),
    p("prvReadTransactionCurrency", "Global", "ISO currency code of the deal value"),
    p("prvReadUser", "Global", "owner and sales team members (R7), and the caller a seller's token names"),
    p("prvReadTeam", "Global", "the opportunity's sales (access) team"),
    p("prvReadRole", "Global", "doctor reports which roles users hold"),
    p("prvReadEnvironmentVariableDefinition", "Global", "the proxy reads the portal link base and other settings"),
    p("prvReadEnvironmentVariableValue", "Global", "the same, current values"),
    p(
      "prvActOnBehalfOfAnotherUser",
      "Global",
      "POST /api/sync acts as the calling seller (CallerObjectId) so Dataverse decides whether the seller may write",
    ),
    p("prvReadAsyncOperation", "Global", "doctor and /api/health list failed webhook deliveries (system jobs)"),
    p("prvReadSdkMessage", "Global", "doctor checks the webhook steps' messages (Create, Update)"),
    p("prvReadServiceEndpoint", "Global", "doctor checks that the webhook endpoint exists and is ours"),
    p("prvReadSdkMessageProcessingStep", "Global", "doctor checks the webhook steps"),
    p(
      "prvCreateServiceEndpoint",
      "Global",
      "setup registers the webhook as the application user when no administrator is named",
    ),
    p("prvWriteServiceEndpoint", "Global", "setup updates the endpoint URL and key idempotently"),
    p("prvCreateSdkMessageProcessingStep", "Global", "setup registers the Create/Update steps"),
    p("prvWriteSdkMessageProcessingStep", "Global", "setup updates filtering attributes idempotently"),
    p("prvCreateSdkMessageProcessingStepImage", "Global", "setup registers the post-image of the Update step"),
    p("prvReadSdkMessageProcessingStepImage", "Global", "setup and doctor check the post-image"),
  ],
};

export const SECURITY_ROLES: readonly SecurityRole[] = [SELLER_ROLE, INTEGRATION_ROLE];

export function roleId(role: Pick<SecurityRole, "key">): string {
  return stableGuid("role", role.key);
}

export function roleXml(role: SecurityRole): XmlElement {
  const names = role.privileges.map((x) => x.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`Role "${role.name.en}" lists ${duplicate} twice`);
  return el(
    "Role",
    { id: roleId(role), name: role.name.en },
    textEl("IsCustomizable", 1),
    textEl("IntroducedVersion", "1.0.0.0"),
    el(
      "RolePrivileges",
      {},
      [...role.privileges]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((x) => el("RolePrivilege", { name: x.name, level: x.depth })),
    ),
  );
}
