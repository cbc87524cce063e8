import {
  AUDIT_DIRECTION_VALUES,
  AUDIT_OPERATION_VALUES,
  AUDIT_RESULT_VALUES,
  AUDIT_TRIGGER_VALUES,
  MICROSOFT_HELP_VALUES,
  REFERRAL_STATUS_VALUES,
  REFERRAL_SUBSTATUS_VALUES,
  SYNC_STATE_VALUES,
  type AuditDirection,
  type AuditOperation,
  type AuditResult,
  type AuditTrigger,
} from "../../domain/choices";
import { label, optionsFrom } from "./columns";
import type { ChoiceOption } from "./types";

/**
 * Labels for the product's choice columns. Values come from domain/choices.ts, the single source.
 */

export const SYNC_STATE_OPTIONS = optionsFrom(SYNC_STATE_VALUES, {
  NotSynced: label("Not synced", "동기화 안 됨"),
  Pending: label("Pending", "대기 중"),
  Synced: label("Synced", "동기화됨"),
  Error: label("Error", "오류"),
  Blocked: label("Blocked (not ready)", "차단됨(준비 안 됨)"),
  Deferred: label("Deferred (quota)", "연기됨(할당량)"),
});

export const REFERRAL_STATUS_OPTIONS = optionsFrom(REFERRAL_STATUS_VALUES, {
  New: label("New", "신규"),
  Active: label("Active", "활성"),
  Closed: label("Closed", "종료"),
});

export const REFERRAL_SUBSTATUS_OPTIONS = optionsFrom(REFERRAL_SUBSTATUS_VALUES, {
  Pending: label("Pending", "보류 중"),
  Received: label("Received", "받음"),
  Accepted: label("Accepted", "수락됨"),
  Won: label("Won", "성공"),
  Lost: label("Lost", "실패"),
  Declined: label("Declined", "거절됨"),
  Expired: label("Expired", "만료됨"),
});

export const MICROSOFT_HELP_OPTIONS = optionsFrom(MICROSOFT_HELP_VALUES, {
  GeneralOrOther: label("General or other", "일반 또는 기타"),
  CustomerTechnicalArchitecture: label("Customer technical architecture", "고객 기술 아키텍처"),
  ProofOfConceptOrDemo: label("Proof of concept or demo", "개념 증명 또는 데모"),
  QuotesOrLicensing: label("Quotes or licensing", "견적 또는 라이선스"),
  PostSalesCustomerSuccess: label("Post-sales customer success", "판매 후 고객 성공"),
  WorkloadSpecificValueProposition: label("Workload-specific value proposition", "워크로드별 가치 제안"),
});

export {
  AUDIT_DIRECTION_VALUES,
  AUDIT_OPERATION_VALUES,
  AUDIT_RESULT_VALUES,
  AUDIT_TRIGGER_VALUES,
  type AuditDirection,
  type AuditOperation,
  type AuditResult,
  type AuditTrigger,
};

export const AUDIT_DIRECTION_OPTIONS: ChoiceOption[] = optionsFrom(AUDIT_DIRECTION_VALUES, {
  CrmToPartnerCenter: label("CRM → Partner Center", "CRM → 파트너 센터"),
  PartnerCenterToCrm: label("Partner Center → CRM", "파트너 센터 → CRM"),
});
export const AUDIT_TRIGGER_OPTIONS: ChoiceOption[] = optionsFrom(AUDIT_TRIGGER_VALUES, {
  toggle: label("Toggle", "토글"),
  save: label("Save", "저장"),
  "sync-now": label("Sync now", "지금 동기화"),
  "dataverse-webhook": label("Dataverse webhook", "Dataverse 웹후크"),
  "pc-webhook": label("Partner Center webhook", "파트너 센터 웹후크"),
  reconcile: label("Reconciliation", "조정"),
  retry: label("Retry", "재시도"),
  backfill: label("Backfill", "일괄 동기화"),
});
export const AUDIT_OPERATION_OPTIONS: ChoiceOption[] = optionsFrom(AUDIT_OPERATION_VALUES, {
  create: label("Create", "만들기"),
  update: label("Update", "업데이트"),
  "skip-no-change": label("Skipped (no change)", "건너뜀(변경 없음)"),
  "skip-echo": label("Skipped (echo)", "건너뜀(에코)"),
  blocked: label("Blocked", "차단됨"),
});
export const AUDIT_RESULT_OPTIONS: ChoiceOption[] = optionsFrom(AUDIT_RESULT_VALUES, {
  succeeded: label("Succeeded", "성공"),
  failed: label("Failed", "실패"),
  deferred: label("Deferred", "연기됨"),
  blocked: label("Blocked", "차단됨"),
});
