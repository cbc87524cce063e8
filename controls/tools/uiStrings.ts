/**
 * The controls' own strings in English (1033) and Korean (1042). Not bundled: controls/tools/resx.ts writes
 * them, with the domain's message catalogue and field labels from solution/schema, into each control's resx.
 */

export interface Text {
  en: string;
  ko: string;
}

const STATES = {
  "state.NotSynced": { en: "Not synced", ko: "동기화 안 됨" },
  "state.Pending": { en: "Pending", ko: "대기 중" },
  "state.Synced": { en: "Synced", ko: "동기화됨" },
  "state.Error": { en: "Error", ko: "오류" },
  "state.Blocked": { en: "Blocked", ko: "차단됨" },
  "state.Deferred": { en: "Deferred", ko: "연기됨" },
  "state.label": { en: "Sync state: {state}", ko: "동기화 상태: {state}" },
} satisfies Record<string, Text>;

export const TOGGLE_STRINGS = {
  SyncToggle_Display_Key: { en: "Sync with Partner Center toggle", ko: "파트너 센터 동기화 토글" },
  SyncToggle_Desc_Key: {
    en: "Turns Partner Center co-sell sync on or off for the opportunity, after checking that the deal can be shared.",
    ko: "거래를 공유할 수 있는지 확인한 후 영업 기회의 파트너 센터 공동 판매 동기화를 켜거나 끕니다.",
  },
  syncWithPartnerCenter_Display_Key: { en: "Sync with Partner Center", ko: "파트너 센터와 동기화" },
  syncWithPartnerCenter_Desc_Key: {
    en: "The opportunity's Sync with Partner Center column (Two options).",
    ko: "영업 기회의 '파트너 센터와 동기화' 열(두 가지 옵션).",
  },
  syncState_Display_Key: { en: "Sync state", ko: "동기화 상태" },
  syncState_Desc_Key: {
    en: "Optional: the opportunity's Sync State column (pcs_syncstate). When bound, the badge and link are read again whenever the proxy changes the state and the form shows it.",
    ko: "선택 사항: 영업 기회의 '동기화 상태' 열(pcs_syncstate). 바인딩하면 프록시가 상태를 바꾸고 양식에 표시될 때마다 배지와 링크를 다시 읽습니다.",
  },
  readinessPackUrl_Display_Key: { en: "Readiness rules URL", ko: "준비 상태 규칙 URL" },
  readinessPackUrl_Desc_Key: {
    en: "Where the readiness rules and the ISO country and currency tables are loaded from when sync is turned on (the web resource pcs_/scripts/readinessPack.js).",
    ko: "동기화를 켤 때 준비 상태 규칙과 ISO 국가 및 통화 표를 불러올 위치(웹 리소스 pcs_/scripts/readinessPack.js).",
  },
  "toggle.label": { en: "Sync with Partner Center", ko: "파트너 센터와 동기화" },
  "toggle.on": { en: "On", ko: "켜짐" },
  "toggle.off": { en: "Off", ko: "꺼짐" },
  "toggle.checking": { en: "Checking whether the deal can be shared…", ko: "거래를 공유할 수 있는지 확인하는 중…" },
  "toggle.checkFailed": {
    en: "The deal could not be checked: {error}. Try again.",
    ko: "거래를 확인할 수 없습니다: {error}. 다시 시도하세요.",
  },
  "toggle.unsaved": {
    en: "Save the opportunity before turning on sync.",
    ko: "동기화를 켜기 전에 영업 기회를 저장하세요.",
  },
  "toggle.blocked.title": {
    en: "Sync stays off: fix {count} item(s) before sharing this deal with Microsoft.",
    ko: "동기화가 꺼진 상태로 유지됩니다. 이 거래를 Microsoft와 공유하기 전에 {count}개 항목을 수정하세요.",
  },
  "toggle.blockedNow.title": {
    en: "Sync is blocked: fix {count} item(s) so the deal can be shared.",
    ko: "동기화가 차단되었습니다. 거래를 공유할 수 있도록 {count}개 항목을 수정하세요.",
  },
  "toggle.checklist.label": { en: "What to fix", ko: "수정할 항목" },
  "toggle.checklist.field": { en: "Field: {field}", ko: "필드: {field}" },
  "toggle.checklist.open": { en: "Open {table}", ko: "{table} 열기" },
  "toggle.checklist.recheck": { en: "Check again", ko: "다시 확인" },
  "toggle.ready": {
    en: "All checks passed. Sync is on: save the opportunity to share it with Microsoft.",
    ko: "모든 확인을 통과했습니다. 동기화가 켜졌습니다. 영업 기회를 저장하면 Microsoft와 공유됩니다.",
  },
  "toggle.turnedOff": { en: "Sync is off.", ko: "동기화가 꺼졌습니다." },
  "toggle.offWarning.title": { en: "Partner Center keeps the referral", ko: "파트너 센터에는 추천이 남아 있습니다" },
  "toggle.offWarning.body": {
    en: "Turning sync off stops updates between this opportunity and referral {referral}. The referral is not deleted or closed in Partner Center; close it there or close the opportunity as Won or Lost while sync is on.",
    ko: "동기화를 끄면 이 영업 기회와 추천 {referral} 사이의 업데이트가 중지됩니다. 추천은 파트너 센터에서 삭제되거나 종료되지 않습니다. 파트너 센터에서 종료하거나, 동기화가 켜진 상태에서 영업 기회를 성사 또는 실패로 종료하세요.",
  },
  "toggle.offWarning.confirm": { en: "Turn sync off", ko: "동기화 끄기" },
  "toggle.offWarning.cancel": { en: "Keep syncing", ko: "동기화 유지" },
  "toggle.readOnly.security": {
    en: "You do not have permission to change this setting.",
    ko: "이 설정을 변경할 권한이 없습니다.",
  },
  "toggle.readOnly.disabled": {
    en: "This setting is read-only here.",
    ko: "여기에서는 이 설정을 읽기 전용으로 표시합니다.",
  },
  "toggle.referral": { en: "Referral {referral} in Partner Center", ko: "파트너 센터의 추천 {referral}" },
  "toggle.referral.opens": { en: "(opens in a new tab)", ko: "(새 탭에서 열림)" },
  ...STATES,
} satisfies Record<string, Text>;

export const PANEL_STRINGS = {
  SyncStatusPanel_Display_Key: { en: "Partner Center sync status", ko: "파트너 센터 동기화 상태" },
  SyncStatusPanel_Desc_Key: {
    en: "The referral's status in Partner Center, today's API calls, and every sync attempt with its result, error and fix.",
    ko: "파트너 센터의 추천 상태, 오늘의 API 호출 수, 모든 동기화 시도의 결과·오류·해결 방법을 보여 줍니다.",
  },
  syncState_Display_Key: { en: "Sync state", ko: "동기화 상태" },
  syncState_Desc_Key: {
    en: "The opportunity's Sync State column; the panel refreshes when it changes.",
    ko: "영업 기회의 동기화 상태 열. 값이 바뀌면 패널을 새로 고칩니다.",
  },
  dailyBudget_Display_Key: { en: "Daily API call budget", ko: "일일 API 호출 한도" },
  dailyBudget_Desc_Key: {
    en: "Partner Center calls allowed per UTC day (default 10,000).",
    ko: "UTC 기준 하루에 허용되는 파트너 센터 호출 수(기본값 10,000).",
  },
  pageSize_Display_Key: { en: "Audit rows per page", ko: "페이지당 감사 행 수" },
  pageSize_Desc_Key: {
    en: "How many audit rows are read at a time (default 50).",
    ko: "한 번에 읽는 감사 행 수(기본값 50).",
  },
  "panel.title": { en: "Partner Center sync", ko: "파트너 센터 동기화" },
  "panel.loading": { en: "Loading sync status…", ko: "동기화 상태를 불러오는 중…" },
  "panel.loadFailed": {
    en: "The sync status could not be loaded: {error}",
    ko: "동기화 상태를 불러올 수 없습니다: {error}",
  },
  "panel.retryLoad": { en: "Try again", ko: "다시 시도" },
  "panel.unsaved": {
    en: "Save the opportunity to see its Partner Center sync status.",
    ko: "파트너 센터 동기화 상태를 보려면 영업 기회를 저장하세요.",
  },
  "panel.status": { en: "Referral status", ko: "추천 상태" },
  "panel.substatus": { en: "Substatus", ko: "하위 상태" },
  "panel.crmId": { en: "Microsoft CRM ID", ko: "Microsoft CRM ID" },
  "panel.referral": { en: "Referral", ko: "추천" },
  "panel.lastSync": { en: "Last sync", ko: "마지막 동기화" },
  "panel.lastError": { en: "Last error", ko: "마지막 오류" },
  "panel.never": { en: "Never", ko: "없음" },
  "panel.none": { en: "None", ko: "없음" },
  "panel.quota": { en: "Partner Center API calls today", ko: "오늘의 파트너 센터 API 호출" },
  "panel.quota.value": { en: "{used} of {budget} ({percent}%)", ko: "{budget}회 중 {used}회({percent}%)" },
  "panel.quota.warning": {
    en: "Over 80% of today's Partner Center API calls are used; non-urgent syncs will wait until tomorrow (UTC) once the budget is reached.",
    ko: "오늘의 파트너 센터 API 호출을 80% 넘게 사용했습니다. 한도에 도달하면 급하지 않은 동기화는 내일(UTC)까지 대기합니다.",
  },
  "panel.quota.exhausted": {
    en: "Today's Partner Center API budget is used up; syncs are deferred until tomorrow (UTC).",
    ko: "오늘의 파트너 센터 API 한도를 모두 사용했습니다. 동기화는 내일(UTC)까지 연기됩니다.",
  },
  "panel.syncNow": { en: "Sync now", ko: "지금 동기화" },
  "panel.syncNow.off": {
    en: "Turn on Sync with Partner Center to sync this opportunity.",
    ko: "이 영업 기회를 동기화하려면 '파트너 센터와 동기화'를 켜세요.",
  },
  "panel.requested": {
    en: "Sync requested. The history below updates when it has run.",
    ko: "동기화를 요청했습니다. 실행되면 아래 기록이 업데이트됩니다.",
  },
  "panel.requestFailed": { en: "The sync could not be requested: {error}", ko: "동기화를 요청할 수 없습니다: {error}" },
  "panel.refresh": { en: "Refresh", ko: "새로 고침" },
  "panel.history": { en: "Sync history", ko: "동기화 기록" },
  "panel.filter.failuresOnly": { en: "Failures only", ko: "실패만" },
  "panel.filter.direction": { en: "Direction", ko: "방향" },
  "panel.filter.allDirections": { en: "Both directions", ko: "양방향" },
  "panel.history.empty": { en: "No sync attempts yet.", ko: "아직 동기화 시도가 없습니다." },
  "panel.history.emptyFiltered": {
    en: "No sync attempts match the filters.",
    ko: "필터와 일치하는 동기화 시도가 없습니다.",
  },
  "panel.history.count": { en: "{count} attempts shown", ko: "동기화 시도 {count}건 표시" },
  "panel.history.countMore": {
    en: "{count} attempts shown, more available",
    ko: "동기화 시도 {count}건 표시, 더 있음",
  },
  "panel.history.more": { en: "Load more", ko: "더 보기" },
  "panel.history.loadingMore": { en: "Loading more…", ko: "더 불러오는 중…" },
  "panel.row.apiCalls": { en: "API calls: {count}", ko: "API 호출: {count}" },
  "panel.row.http": { en: "HTTP {status}", ko: "HTTP {status}" },
  "panel.row.fix": { en: "How to fix: {hint}", ko: "해결 방법: {hint}" },
  "panel.row.retry": { en: "Retry", ko: "재시도" },
  "panel.row.retryLabel": { en: "Retry the failed sync of {time}", ko: "{time}의 실패한 동기화 재시도" },
  "panel.row.nextRetry": { en: "Next automatic retry: {time}", ko: "다음 자동 재시도: {time}" },
  "audit.direction.CrmToPartnerCenter": { en: "CRM → Partner Center", ko: "CRM → 파트너 센터" },
  "audit.direction.PartnerCenterToCrm": { en: "Partner Center → CRM", ko: "파트너 센터 → CRM" },
  "audit.trigger.toggle": { en: "Toggle", ko: "토글" },
  "audit.trigger.save": { en: "Save", ko: "저장" },
  "audit.trigger.sync-now": { en: "Sync now", ko: "지금 동기화" },
  "audit.trigger.dataverse-webhook": { en: "Dataverse webhook", ko: "Dataverse 웹후크" },
  "audit.trigger.pc-webhook": { en: "Partner Center webhook", ko: "파트너 센터 웹후크" },
  "audit.trigger.reconcile": { en: "Reconciliation", ko: "조정" },
  "audit.trigger.retry": { en: "Retry", ko: "재시도" },
  "audit.trigger.backfill": { en: "Backfill", ko: "일괄 동기화" },
  "audit.operation.create": { en: "Create", ko: "만들기" },
  "audit.operation.update": { en: "Update", ko: "업데이트" },
  "audit.operation.skip-no-change": { en: "Skipped (no change)", ko: "건너뜀(변경 없음)" },
  "audit.operation.skip-echo": { en: "Skipped (echo)", ko: "건너뜀(에코)" },
  "audit.operation.blocked": { en: "Blocked", ko: "차단됨" },
  "audit.result.succeeded": { en: "Succeeded", ko: "성공" },
  "audit.result.failed": { en: "Failed", ko: "실패" },
  "audit.result.deferred": { en: "Deferred", ko: "연기됨" },
  "audit.result.blocked": { en: "Blocked", ko: "차단됨" },
  "referral.status.New": { en: "New", ko: "신규" },
  "referral.status.Active": { en: "Active", ko: "활성" },
  "referral.status.Closed": { en: "Closed", ko: "종료" },
  "referral.substatus.Pending": { en: "Pending", ko: "보류 중" },
  "referral.substatus.Received": { en: "Received", ko: "받음" },
  "referral.substatus.Accepted": { en: "Accepted", ko: "수락됨" },
  "referral.substatus.Won": { en: "Won", ko: "성공" },
  "referral.substatus.Lost": { en: "Lost", ko: "실패" },
  "referral.substatus.Declined": { en: "Declined", ko: "거절됨" },
  "referral.substatus.Expired": { en: "Expired", ko: "만료됨" },
  // Fix hints for failure classes (pcs_fixhintkey); readiness hints use the domain's readiness.* keys.
  "fix.validation": {
    en: "Partner Center refused the data. Correct the fields named in the message and save again.",
    ko: "파트너 센터가 데이터를 거부했습니다. 메시지에 나온 필드를 수정하고 다시 저장하세요.",
  },
  "fix.auth": {
    en: "The integration user's Partner Center sign-in has expired. Ask your Partner Center admin to sign in again.",
    ko: "통합 사용자의 파트너 센터 로그인이 만료되었습니다. 파트너 센터 관리자에게 다시 로그인하도록 요청하세요.",
  },
  "fix.forbidden": {
    en: "The integration user lacks the Referrals admin role in Partner Center. Ask your Partner Center admin to assign it.",
    ko: "통합 사용자에게 파트너 센터의 추천 관리자 역할이 없습니다. 파트너 센터 관리자에게 할당을 요청하세요.",
  },
  "fix.notFound": {
    en: "The referral no longer exists in Partner Center. Turn sync off and on to share the deal again.",
    ko: "추천이 파트너 센터에 더 이상 없습니다. 동기화를 껐다가 다시 켜서 거래를 다시 공유하세요.",
  },
  "fix.conflict": {
    en: "The referral changed in Partner Center at the same time. Select Retry to apply your change on top of it.",
    ko: "추천이 파트너 센터에서 동시에 변경되었습니다. 재시도를 선택하여 변경 내용을 다시 적용하세요.",
  },
  "fix.throttled": {
    en: "Partner Center asked us to slow down. The sync is retried automatically.",
    ko: "파트너 센터가 요청 속도를 줄이도록 요청했습니다. 동기화는 자동으로 다시 시도됩니다.",
  },
  "fix.transient": {
    en: "Partner Center was temporarily unavailable. The sync is retried automatically; select Retry to try now.",
    ko: "파트너 센터를 일시적으로 사용할 수 없었습니다. 동기화는 자동으로 다시 시도되며, 지금 시도하려면 재시도를 선택하세요.",
  },
  "fix.permanent": {
    en: "This sync cannot succeed as it is. Read the message, correct the opportunity, and select Retry.",
    ko: "이 동기화는 현재 상태로는 성공할 수 없습니다. 메시지를 읽고 영업 기회를 수정한 후 재시도를 선택하세요.",
  },
  "fix.quota": {
    en: "Today's Partner Center API budget is used up. The sync runs automatically tomorrow (UTC).",
    ko: "오늘의 파트너 센터 API 한도를 모두 사용했습니다. 동기화는 내일(UTC) 자동으로 실행됩니다.",
  },
  ...STATES,
} satisfies Record<string, Text>;

/**
 * Fields a readiness failure can name that are not plain columns in solution/schema (relationships, the
 * sales team). Everything else is labelled from the schema.
 */
export const FIELD_LABEL_OVERRIDES: Record<string, Text> = {
  "field.opportunity.pcs_opportunity_microsoftsolution": { en: "Microsoft Solutions", ko: "Microsoft 솔루션" },
  "field.team.teammembership_association": { en: "Sales Team members", ko: "영업 팀 구성원" },
  "field.opportunity.statecode": { en: "Status", ko: "상태" },
};

/** Every (table, column) a readiness failure can point at (domain/readinessRules.ts). */
export const READINESS_FIELDS: readonly [string, string][] = [
  ["opportunity", "pcs_opportunity_microsoftsolution"],
  ["opportunity", "customerid"],
  ["opportunity", "parentcontactid"],
  ["opportunity", "transactioncurrencyid"],
  ["opportunity", "statecode"],
  ["opportunity", "estimatedvalue"],
  ["opportunity", "estimatedclosedate"],
  ["opportunity", "ownerid"],
  ["team", "teammembership_association"],
  ["opportunity", "name"],
  ["opportunity", "description"],
  ["pcs_microsoftsolution", "pcs_solutionid"],
  ["account", "address1_country"],
  ["account", "name"],
  ["contact", "firstname"],
  ["contact", "lastname"],
  ["contact", "emailaddress1"],
  ["transactioncurrency", "isocurrencycode"],
  ["systemuser", "internalemailaddress"],
  ["systemuser", "isdisabled"],
];
