import {
  ACTIVE_INACTIVE,
  ACTIVE_INACTIVE_STATUS,
  bool,
  choice,
  dateTime,
  decimal,
  integer,
  label,
  lookup,
  memo,
  money,
  primaryKey,
  stateAndStatus,
  systemColumns,
  target,
  text,
  uniqueIdentifier,
} from "./columns";
import {
  AUDIT_DIRECTION_OPTIONS,
  AUDIT_OPERATION_OPTIONS,
  AUDIT_RESULT_OPTIONS,
  AUDIT_TRIGGER_OPTIONS,
  MICROSOFT_HELP_OPTIONS,
  REFERRAL_STATUS_OPTIONS,
  REFERRAL_SUBSTATUS_OPTIONS,
  SYNC_STATE_OPTIONS,
} from "./productChoices";
import { SYNC_STATE_VALUES } from "../../domain/choices";
import type { ManyToManyRelationship, TableDefinition } from "./types";

/** Publisher prefix of the product's solution. */
export const PUBLISHER_PREFIX = "pcs";

const opportunity: TableDefinition = {
  logicalName: "opportunity",
  schemaName: "Opportunity",
  entitySetName: "opportunities",
  displayName: label("Opportunity", "영업 기회"),
  displayCollectionName: label("Opportunities", "영업 기회"),
  primaryIdAttribute: "opportunityid",
  primaryNameAttribute: "name",
  objectTypeCode: 3,
  ownership: "UserOwned",
  origin: "standard",
  columns: [
    primaryKey("opportunity", label("Opportunity", "영업 기회")),
    text("name", 300, label("Topic", "항목"), false, { requiredLevel: "required" }),
    memo("description", 2000, label("Description", "설명")),
    money("estimatedvalue", label("Est. Revenue", "예상 수익")),
    dateTime("estimatedclosedate", label("Est. Close Date", "예상 마감일"), "DateOnly"),
    ...stateAndStatus(
      "opportunity",
      [
        { value: 0, label: label("Open", "열림") },
        { value: 1, label: label("Won", "성사") },
        { value: 2, label: label("Lost", "실패") },
      ],
      [
        { value: 1, label: label("In Progress", "진행 중") },
        { value: 2, label: label("On Hold", "보류") },
        { value: 3, label: label("Won", "성사") },
        { value: 4, label: label("Canceled", "취소됨") },
        { value: 5, label: label("Out-Sold", "경쟁 실패") },
      ],
    ),
    lookup(
      "customerid",
      label("Potential Customer", "잠재 고객"),
      [
        target("account", "customerid_account", "opportunity_customer_accounts"),
        target("contact", "customerid_contact", "opportunity_customer_contacts"),
      ],
      false,
      { type: "customer" },
    ),
    lookup("parentaccountid", label("Account", "거래처"), [
      target("account", "parentaccountid", "opportunity_parent_account"),
    ]),
    lookup("parentcontactid", label("Contact", "연락처"), [
      target("contact", "parentcontactid", "opportunity_parent_contact"),
    ]),
    lookup("transactioncurrencyid", label("Currency", "통화"), [
      target("transactioncurrency", "transactioncurrencyid", "TransactionCurrency_Opportunity"),
    ]),
    // Product columns (spec §3).
    bool("pcs_syncwithpartnercenter", label("Sync with Partner Center", "파트너 센터와 동기화"), true, {
      schemaName: "pcs_SyncWithPartnerCenter",
    }),
    text("pcs_referralid", 100, label("Referral ID", "추천 ID"), true, {
      schemaName: "pcs_ReferralId",
      formReadOnly: true,
    }),
    text("pcs_referrallink", 500, label("Referral Link", "추천 링크"), true, {
      schemaName: "pcs_ReferralLink",
      format: "url",
      formReadOnly: true,
    }),
    choice("opportunity", "pcs_referralstatus", label("Referral Status", "추천 상태"), REFERRAL_STATUS_OPTIONS, true, {
      schemaName: "pcs_ReferralStatus",
      formReadOnly: true,
    }),
    choice(
      "opportunity",
      "pcs_referralsubstatus",
      label("Referral Substatus", "추천 하위 상태"),
      REFERRAL_SUBSTATUS_OPTIONS,
      true,
      {
        schemaName: "pcs_ReferralSubstatus",
        formReadOnly: true,
      },
    ),
    choice(
      "opportunity",
      "pcs_microsofthelp",
      label("Microsoft Help", "Microsoft 지원 요청"),
      MICROSOFT_HELP_OPTIONS,
      true,
      {
        schemaName: "pcs_MicrosoftHelp",
      },
    ),
    bool("pcs_sharewithmicrosoftsellers", label("Share with Microsoft Sellers", "Microsoft 영업 담당자와 공유"), true, {
      schemaName: "pcs_ShareWithMicrosoftSellers",
    }),
    text("pcs_microsoftcrmid", 100, label("Microsoft CRM ID", "Microsoft CRM ID"), true, {
      schemaName: "pcs_MicrosoftCrmId",
      formReadOnly: true,
    }),
    choice("opportunity", "pcs_syncstate", label("Sync State", "동기화 상태"), SYNC_STATE_OPTIONS, true, {
      schemaName: "pcs_SyncState",
      formReadOnly: true,
      defaultValue: SYNC_STATE_VALUES.NotSynced,
    }),
    dateTime("pcs_lastsyncon", label("Last Sync On", "마지막 동기화"), "UserLocal", true, {
      schemaName: "pcs_LastSyncOn",
      formReadOnly: true,
    }),
    memo("pcs_lastsyncerror", 4000, label("Last Sync Error", "마지막 동기화 오류"), true, {
      schemaName: "pcs_LastSyncError",
      formReadOnly: true,
    }),
    text("pcs_referraletag", 200, label("Referral ETag", "추천 ETag"), true, {
      schemaName: "pcs_ReferralETag",
      hidden: true,
    }),
    // Partner Center's updatedDateTime of the referral as the proxy last saw it: webhooks for changes no newer
    // than this are the proxy's own writes coming back, and cost no call. Text, not a date-time: Partner Center
    // writes 7 fractional digits and a Dataverse date-time keeps whole seconds, so a repeated delivery of the
    // same change would look newer than what was stored.
    text("pcs_referralupdatedon", 40, label("Referral Updated On", "추천 업데이트 시각"), true, {
      schemaName: "pcs_ReferralUpdatedOn",
      hidden: true,
    }),
    text("pcs_syncfingerprint", 1000, label("Sync Fingerprint", "동기화 지문"), true, {
      schemaName: "pcs_SyncFingerprint",
      hidden: true,
    }),
    // The durable retry schedule lives on the row it retries, so a claim is settled with If-Match on that row.
    dateTime("pcs_nextretryon", label("Next Retry On", "다음 재시도"), "UserLocal", true, {
      schemaName: "pcs_NextRetryOn",
      hidden: true,
    }),
    integer("pcs_syncattempt", label("Sync Attempt", "동기화 시도"), true, {
      schemaName: "pcs_SyncAttempt",
      hidden: true,
      min: 0,
      max: 1000,
    }),
    // A seller's "Sync now"/"Retry" request (status panel): written with the seller's own Write privilege;
    // a Dataverse webhook step filtered on pcs_syncrequestedon hands it to the proxy.
    dateTime("pcs_syncrequestedon", label("Sync Requested On", "동기화 요청 시각"), "UserLocal", true, {
      schemaName: "pcs_SyncRequestedOn",
      hidden: true,
    }),
    choice(
      "opportunity",
      "pcs_syncrequesttrigger",
      label("Sync Request Trigger", "동기화 요청 트리거"),
      AUDIT_TRIGGER_OPTIONS,
      true,
      {
        schemaName: "pcs_SyncRequestTrigger",
        hidden: true,
      },
    ),
    text("pcs_syncretryof", 100, label("Sync Retry Of", "재시도 대상"), true, {
      schemaName: "pcs_SyncRetryOf",
      hidden: true,
      description: label(
        "The audit row (pcs_referralsyncauditid) a Retry repeats.",
        "재시도가 반복하는 감사 행(pcs_referralsyncauditid).",
      ),
    }),
    ...systemColumns("opportunity", "UserOwned"),
  ],
};

const account: TableDefinition = {
  logicalName: "account",
  schemaName: "Account",
  entitySetName: "accounts",
  displayName: label("Account", "거래처"),
  displayCollectionName: label("Accounts", "거래처"),
  primaryIdAttribute: "accountid",
  primaryNameAttribute: "name",
  objectTypeCode: 1,
  ownership: "UserOwned",
  origin: "standard",
  columns: [
    primaryKey("account", label("Account", "거래처")),
    text("name", 160, label("Account Name", "거래처 이름"), false, { requiredLevel: "required" }),
    text("address1_line1", 250, label("Address 1: Street 1", "주소 1: 번지 1")),
    text("address1_line2", 250, label("Address 1: Street 2", "주소 1: 번지 2")),
    text("address1_city", 80, label("Address 1: City", "주소 1: 구/군/시")),
    text("address1_stateorprovince", 50, label("Address 1: State/Province", "주소 1: 시/도")),
    text("address1_postalcode", 20, label("Address 1: ZIP/Postal Code", "주소 1: 우편 번호")),
    text("address1_country", 80, label("Address 1: Country/Region", "주소 1: 국가/지역")),
    integer("numberofemployees", label("Number of Employees", "직원 수"), false, { min: 0, max: 1_000_000_000 }),
    text("telephone1", 50, label("Main Phone", "기본 전화"), false, { format: "phone" }),
    text("websiteurl", 200, label("Website", "웹 사이트"), false, { format: "url" }),
    ...stateAndStatus("account", ACTIVE_INACTIVE, ACTIVE_INACTIVE_STATUS),
    ...systemColumns("account", "UserOwned"),
  ],
};

const contact: TableDefinition = {
  logicalName: "contact",
  schemaName: "Contact",
  entitySetName: "contacts",
  displayName: label("Contact", "연락처"),
  displayCollectionName: label("Contacts", "연락처"),
  primaryIdAttribute: "contactid",
  primaryNameAttribute: "fullname",
  objectTypeCode: 2,
  ownership: "UserOwned",
  origin: "standard",
  columns: [
    primaryKey("contact", label("Contact", "연락처")),
    text("firstname", 50, label("First Name", "이름")),
    text("lastname", 50, label("Last Name", "성"), false, { requiredLevel: "required" }),
    text("fullname", 160, label("Full Name", "전체 이름"), false, { systemManaged: true }),
    text("emailaddress1", 100, label("Email", "전자 메일"), false, { format: "email" }),
    text("telephone1", 50, label("Business Phone", "회사 전화"), false, { format: "phone" }),
    text("mobilephone", 50, label("Mobile Phone", "휴대폰"), false, { format: "phone" }),
    lookup(
      "parentcustomerid",
      label("Company Name", "회사 이름"),
      [
        target("account", "parentcustomerid_account", "contact_customer_accounts"),
        target("contact", "parentcustomerid_contact", "contact_customer_contacts"),
      ],
      false,
      { type: "customer" },
    ),
    ...stateAndStatus("contact", ACTIVE_INACTIVE, ACTIVE_INACTIVE_STATUS),
    ...systemColumns("contact", "UserOwned"),
  ],
};

const transactioncurrency: TableDefinition = {
  logicalName: "transactioncurrency",
  schemaName: "TransactionCurrency",
  entitySetName: "transactioncurrencies",
  displayName: label("Currency", "통화"),
  displayCollectionName: label("Currencies", "통화"),
  primaryIdAttribute: "transactioncurrencyid",
  primaryNameAttribute: "currencyname",
  objectTypeCode: 9105,
  ownership: "OrganizationOwned",
  origin: "standard",
  columns: [
    primaryKey("transactioncurrency", label("Currency", "통화")),
    text("currencyname", 100, label("Currency Name", "통화 이름"), false, { requiredLevel: "required" }),
    text("isocurrencycode", 5, label("Currency Code", "통화 코드"), false, { requiredLevel: "required" }),
    text("currencysymbol", 10, label("Currency Symbol", "통화 기호"), false, { requiredLevel: "required" }),
    integer("currencyprecision", label("Currency Precision", "통화 정밀도"), false, { min: 0, max: 4 }),
    decimal("exchangerate", label("Exchange Rate", "환율"), 10, 0.0000000001, 100_000_000_000),
    ...stateAndStatus("transactioncurrency", ACTIVE_INACTIVE, ACTIVE_INACTIVE_STATUS),
    ...systemColumns("transactioncurrency", "OrganizationOwned"),
  ],
};

const systemuser: TableDefinition = {
  logicalName: "systemuser",
  schemaName: "SystemUser",
  entitySetName: "systemusers",
  displayName: label("User", "사용자"),
  displayCollectionName: label("Users", "사용자"),
  primaryIdAttribute: "systemuserid",
  primaryNameAttribute: "fullname",
  objectTypeCode: 8,
  ownership: "OrganizationOwned",
  origin: "standard",
  columns: [
    primaryKey("systemuser", label("User", "사용자")),
    text("fullname", 200, label("Full Name", "전체 이름"), false, { systemManaged: true }),
    text("firstname", 64, label("First Name", "이름")),
    text("lastname", 64, label("Last Name", "성")),
    text("internalemailaddress", 100, label("Primary Email", "기본 전자 메일"), false, { format: "email" }),
    text("domainname", 1024, label("User Name", "사용자 이름")),
    text("address1_telephone1", 64, label("Main Phone", "기본 전화"), false, { format: "phone" }),
    uniqueIdentifier("azureactivedirectoryobjectid", label("Azure AD Object ID", "Azure AD 개체 ID")),
    uniqueIdentifier("applicationid", label("Application ID", "애플리케이션 ID")),
    bool("isdisabled", label("Status", "상태"), false, {
      trueLabel: label("Disabled", "사용 안 함"),
      falseLabel: label("Enabled", "사용"),
    }),
    choice("systemuser", "accessmode", label("Access Mode", "액세스 모드"), [
      { value: 0, label: label("Read-Write", "읽기-쓰기") },
      { value: 1, label: label("Administrative", "관리") },
      { value: 2, label: label("Read", "읽기") },
      { value: 4, label: label("Non-interactive", "비대화형") },
    ]),
    ...systemColumns("systemuser", "OrganizationOwned"),
  ],
};

const team: TableDefinition = {
  logicalName: "team",
  schemaName: "Team",
  entitySetName: "teams",
  displayName: label("Team", "팀"),
  displayCollectionName: label("Teams", "팀"),
  primaryIdAttribute: "teamid",
  primaryNameAttribute: "name",
  objectTypeCode: 9,
  ownership: "OrganizationOwned",
  origin: "standard",
  columns: [
    primaryKey("team", label("Team", "팀")),
    text("name", 160, label("Team Name", "팀 이름"), false, { requiredLevel: "required" }),
    choice("team", "teamtype", label("Team Type", "팀 유형"), [
      { value: 0, label: label("Owner", "소유자") },
      { value: 1, label: label("Access", "액세스") },
      { value: 2, label: label("Security Group", "보안 그룹") },
      { value: 3, label: label("Office Group", "Office 그룹") },
    ]),
    uniqueIdentifier("azureactivedirectoryobjectid", label("Azure AD Object ID", "Azure AD 개체 ID")),
    // The Sales Team of an opportunity is an access team whose regarding row is the opportunity.
    lookup("regardingobjectid", label("Regarding Object", "관련 개체"), [
      target("opportunity", "regardingobjectid_opportunity", "opportunity_Teams"),
    ]),
    lookup("administratorid", label("Administrator", "관리자"), [
      target("systemuser", "administratorid", "lk_teambase_administratorid"),
    ]),
    bool("isdefault", label("Is Default", "기본값"), false, { systemManaged: true }),
    ...systemColumns("team", "OrganizationOwned"),
  ],
};

const role: TableDefinition = {
  logicalName: "role",
  schemaName: "Role",
  entitySetName: "roles",
  displayName: label("Security Role", "보안 역할"),
  displayCollectionName: label("Security Roles", "보안 역할"),
  primaryIdAttribute: "roleid",
  primaryNameAttribute: "name",
  objectTypeCode: 1036,
  ownership: "OrganizationOwned",
  origin: "standard",
  columns: [
    primaryKey("role", label("Role", "역할")),
    text("name", 100, label("Name", "이름"), false, { requiredLevel: "required" }),
    ...systemColumns("role", "OrganizationOwned"),
  ],
};

const environmentvariabledefinition: TableDefinition = {
  logicalName: "environmentvariabledefinition",
  schemaName: "EnvironmentVariableDefinition",
  entitySetName: "environmentvariabledefinitions",
  displayName: label("Environment Variable Definition", "환경 변수 정의"),
  displayCollectionName: label("Environment Variable Definitions", "환경 변수 정의"),
  primaryIdAttribute: "environmentvariabledefinitionid",
  primaryNameAttribute: "schemaname",
  objectTypeCode: 380,
  ownership: "UserOwned",
  origin: "standard",
  columns: [
    primaryKey("environmentvariabledefinition", label("Environment Variable Definition", "환경 변수 정의")),
    text("schemaname", 100, label("Schema Name", "스키마 이름"), false, { requiredLevel: "required" }),
    text("displayname", 100, label("Display Name", "표시 이름"), false, { requiredLevel: "required" }),
    memo("description", 2000, label("Description", "설명")),
    memo("defaultvalue", 2000, label("Default Value", "기본값")),
    choice("environmentvariabledefinition", "type", label("Type", "유형"), [
      { value: 100_000_000, label: label("String", "문자열") },
      { value: 100_000_001, label: label("Number", "숫자") },
      { value: 100_000_002, label: label("Boolean", "부울") },
      { value: 100_000_003, label: label("JSON", "JSON") },
      { value: 100_000_004, label: label("Data source", "데이터 원본") },
      { value: 100_000_005, label: label("Secret", "비밀") },
    ]),
    bool("isrequired", label("Is Required", "필수"), false),
    ...stateAndStatus("environmentvariabledefinition", ACTIVE_INACTIVE, ACTIVE_INACTIVE_STATUS),
    ...systemColumns("environmentvariabledefinition", "UserOwned"),
  ],
};

const environmentvariablevalue: TableDefinition = {
  logicalName: "environmentvariablevalue",
  schemaName: "EnvironmentVariableValue",
  entitySetName: "environmentvariablevalues",
  displayName: label("Environment Variable Value", "환경 변수 값"),
  displayCollectionName: label("Environment Variable Values", "환경 변수 값"),
  primaryIdAttribute: "environmentvariablevalueid",
  primaryNameAttribute: "schemaname",
  objectTypeCode: 381,
  ownership: "UserOwned",
  origin: "standard",
  columns: [
    primaryKey("environmentvariablevalue", label("Environment Variable Value", "환경 변수 값")),
    text("schemaname", 100, label("Schema Name", "스키마 이름")),
    memo("value", 2000, label("Value", "값")),
    lookup("environmentvariabledefinitionid", label("Environment Variable Definition", "환경 변수 정의"), [
      target(
        "environmentvariabledefinition",
        "EnvironmentVariableDefinitionId",
        "environmentvariabledefinition_environmentvariablevalue",
      ),
    ]),
    ...stateAndStatus("environmentvariablevalue", ACTIVE_INACTIVE, ACTIVE_INACTIVE_STATUS),
    ...systemColumns("environmentvariablevalue", "UserOwned"),
  ],
};

const organization: TableDefinition = {
  logicalName: "organization",
  schemaName: "Organization",
  entitySetName: "organizations",
  displayName: label("Organization", "조직"),
  displayCollectionName: label("Organizations", "조직"),
  primaryIdAttribute: "organizationid",
  primaryNameAttribute: "name",
  objectTypeCode: 1019,
  ownership: "None",
  origin: "standard",
  columns: [
    primaryKey("organization", label("Organization", "조직")),
    text("name", 160, label("Name", "이름")),
    integer("languagecode", label("Language", "언어")),
    lookup("basecurrencyid", label("Currency", "통화"), [
      target("transactioncurrency", "basecurrencyid", "basecurrency_organization"),
    ]),
    dateTime("createdon", label("Created On", "만든 날짜"), "UserLocal", false, { systemManaged: true }),
    dateTime("modifiedon", label("Modified On", "수정한 날짜"), "UserLocal", false, { systemManaged: true }),
    {
      logicalName: "versionnumber",
      schemaName: "VersionNumber",
      displayName: label("Version Number", "버전 번호"),
      custom: false,
      systemManaged: true,
      type: "bigint",
    },
  ],
};

const microsoftsolution: TableDefinition = {
  logicalName: "pcs_microsoftsolution",
  schemaName: "pcs_MicrosoftSolution",
  entitySetName: "pcs_microsoftsolutions",
  displayName: label("Microsoft Solution", "Microsoft 솔루션"),
  displayCollectionName: label("Microsoft Solutions", "Microsoft 솔루션"),
  primaryIdAttribute: "pcs_microsoftsolutionid",
  primaryNameAttribute: "pcs_name",
  objectTypeCode: null,
  ownership: "OrganizationOwned",
  origin: "product",
  alternateKeys: [["pcs_solutionid"]],
  columns: [
    primaryKey("pcs_microsoftsolution", label("Microsoft Solution", "Microsoft 솔루션")),
    text("pcs_name", 200, label("Name", "이름"), true, { schemaName: "pcs_Name", requiredLevel: "required" }),
    text("pcs_solutionid", 100, label("Solution ID", "솔루션 ID"), true, {
      schemaName: "pcs_SolutionId",
      requiredLevel: "required",
      description: label("Partner Center solution id, SOL-…", "파트너 센터 솔루션 ID(SOL-…)"),
    }),
    ...stateAndStatus("pcs_microsoftsolution", ACTIVE_INACTIVE, ACTIVE_INACTIVE_STATUS),
    ...systemColumns("pcs_microsoftsolution", "OrganizationOwned"),
  ],
};

const referralsyncaudit: TableDefinition = {
  logicalName: "pcs_referralsyncaudit",
  schemaName: "pcs_ReferralSyncAudit",
  entitySetName: "pcs_referralsyncaudits",
  displayName: label("Referral Sync Audit", "추천 동기화 감사"),
  displayCollectionName: label("Referral Sync Audits", "추천 동기화 감사"),
  primaryIdAttribute: "pcs_referralsyncauditid",
  primaryNameAttribute: "pcs_name",
  objectTypeCode: null,
  ownership: "OrganizationOwned",
  origin: "product",
  columns: [
    primaryKey("pcs_referralsyncaudit", label("Referral Sync Audit", "추천 동기화 감사")),
    text("pcs_name", 200, label("Name", "이름"), true, { schemaName: "pcs_Name", requiredLevel: "required" }),
    lookup(
      "pcs_opportunityid",
      label("Opportunity", "영업 기회"),
      [target("opportunity", "pcs_OpportunityId", "pcs_opportunity_pcs_referralsyncaudit")],
      true,
      { schemaName: "pcs_OpportunityId" },
    ),
    choice("pcs_referralsyncaudit", "pcs_direction", label("Direction", "방향"), AUDIT_DIRECTION_OPTIONS, true, {
      schemaName: "pcs_Direction",
    }),
    choice("pcs_referralsyncaudit", "pcs_trigger", label("Trigger", "트리거"), AUDIT_TRIGGER_OPTIONS, true, {
      schemaName: "pcs_Trigger",
    }),
    choice("pcs_referralsyncaudit", "pcs_operation", label("Operation", "작업"), AUDIT_OPERATION_OPTIONS, true, {
      schemaName: "pcs_Operation",
    }),
    choice("pcs_referralsyncaudit", "pcs_result", label("Result", "결과"), AUDIT_RESULT_OPTIONS, true, {
      schemaName: "pcs_Result",
    }),
    integer("pcs_httpstatus", label("HTTP Status", "HTTP 상태"), true, {
      schemaName: "pcs_HttpStatus",
      min: 0,
      max: 999,
    }),
    text("pcs_errorcode", 100, label("Error Code", "오류 코드"), true, { schemaName: "pcs_ErrorCode" }),
    memo("pcs_message", 4000, label("Message", "메시지"), true, { schemaName: "pcs_Message" }),
    text("pcs_fixhintkey", 100, label("Fix Hint Key", "해결 방법 키"), true, { schemaName: "pcs_FixHintKey" }),
    integer("pcs_apicallsused", label("API Calls Used", "사용한 API 호출"), true, {
      schemaName: "pcs_ApiCallsUsed",
      min: 0,
      max: 1000,
    }),
    memo("pcs_changedpaths", 4000, label("Changed Paths", "변경된 경로"), true, { schemaName: "pcs_ChangedPaths" }),
    integer("pcs_attemptnumber", label("Attempt Number", "시도 번호"), true, {
      schemaName: "pcs_AttemptNumber",
      min: 0,
      max: 1000,
    }),
    dateTime("pcs_nextretryon", label("Next Retry On", "다음 재시도"), "UserLocal", true, {
      schemaName: "pcs_NextRetryOn",
    }),
    text("pcs_correlationid", 100, label("Correlation ID", "상관 관계 ID"), true, { schemaName: "pcs_CorrelationId" }),
    ...stateAndStatus("pcs_referralsyncaudit", ACTIVE_INACTIVE, ACTIVE_INACTIVE_STATUS),
    ...systemColumns("pcs_referralsyncaudit", "OrganizationOwned"),
  ],
};

/** Key/value rows for the proxy's durable state that belongs to no opportunity: reconciliation watermarks, daily quota counters. */
const integrationstate: TableDefinition = {
  logicalName: "pcs_integrationstate",
  schemaName: "pcs_IntegrationState",
  entitySetName: "pcs_integrationstates",
  displayName: label("Integration State", "통합 상태"),
  displayCollectionName: label("Integration States", "통합 상태"),
  primaryIdAttribute: "pcs_integrationstateid",
  primaryNameAttribute: "pcs_name",
  objectTypeCode: null,
  ownership: "OrganizationOwned",
  origin: "product",
  alternateKeys: [["pcs_name"]],
  columns: [
    primaryKey("pcs_integrationstate", label("Integration State", "통합 상태")),
    text("pcs_name", 100, label("Key", "키"), true, { schemaName: "pcs_Name", requiredLevel: "required" }),
    memo("pcs_value", 4000, label("Value", "값"), true, { schemaName: "pcs_Value" }),
    integer("pcs_count", label("Count", "개수"), true, { schemaName: "pcs_Count", min: 0 }),
    dateTime("pcs_valueon", label("Value On", "값 시각"), "UserLocal", true, { schemaName: "pcs_ValueOn" }),
    ...systemColumns("pcs_integrationstate", "OrganizationOwned"),
  ],
};

export const PRODUCT_TABLES: readonly TableDefinition[] = [microsoftsolution, referralsyncaudit, integrationstate];
export const STANDARD_TABLES: readonly TableDefinition[] = [
  opportunity,
  account,
  contact,
  transactioncurrency,
  systemuser,
  team,
  role,
  environmentvariabledefinition,
  environmentvariablevalue,
  organization,
];

export const MANY_TO_MANY: readonly ManyToManyRelationship[] = [
  {
    schemaName: "pcs_opportunity_microsoftsolution",
    custom: true,
    table1: "opportunity",
    table2: "pcs_microsoftsolution",
    intersectEntity: "pcs_opportunity_microsoftsolution",
    table1NavigationProperty: "pcs_opportunity_microsoftsolution",
    table2NavigationProperty: "pcs_opportunity_microsoftsolution",
  },
  {
    schemaName: "teammembership_association",
    custom: false,
    table1: "team",
    table2: "systemuser",
    intersectEntity: "teammembership",
    table1NavigationProperty: "teammembership_association",
    table2NavigationProperty: "teammembership_association",
  },
  {
    schemaName: "systemuserroles_association",
    custom: false,
    table1: "systemuser",
    table2: "role",
    intersectEntity: "systemuserroles",
    table1NavigationProperty: "systemuserroles_association",
    table2NavigationProperty: "systemuserroles_association",
  },
];
