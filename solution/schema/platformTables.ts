import {
  bool,
  choice,
  dateTime,
  integer,
  label,
  lookup,
  memo,
  primaryKey,
  stateAndStatus,
  systemColumns,
  target,
  text,
  uniqueIdentifier,
} from "./columns";
import type { TableDefinition } from "./types";

/**
 * Platform tables that setup writes to register the webhook (service endpoint, step, image) and that
 * doctor reads (failed system jobs). They are never packaged: origin "system".
 */

const sdkmessage: TableDefinition = {
  logicalName: "sdkmessage",
  schemaName: "SdkMessage",
  entitySetName: "sdkmessages",
  displayName: label("Sdk Message", "SDK 메시지"),
  displayCollectionName: label("Sdk Messages", "SDK 메시지"),
  primaryIdAttribute: "sdkmessageid",
  primaryNameAttribute: "name",
  objectTypeCode: 4606,
  ownership: "OrganizationOwned",
  origin: "system",
  columns: [
    primaryKey("sdkmessage", label("Sdk Message", "SDK 메시지")),
    text("name", 256, label("Name", "이름")),
    ...systemColumns("sdkmessage", "OrganizationOwned"),
  ],
};

const sdkmessagefilter: TableDefinition = {
  logicalName: "sdkmessagefilter",
  schemaName: "SdkMessageFilter",
  entitySetName: "sdkmessagefilters",
  displayName: label("Sdk Message Filter", "SDK 메시지 필터"),
  displayCollectionName: label("Sdk Message Filters", "SDK 메시지 필터"),
  primaryIdAttribute: "sdkmessagefilterid",
  primaryNameAttribute: "name",
  objectTypeCode: 4607,
  ownership: "OrganizationOwned",
  origin: "system",
  columns: [
    primaryKey("sdkmessagefilter", label("Sdk Message Filter", "SDK 메시지 필터")),
    text("name", 256, label("Name", "이름")),
    text("primaryobjecttypecode", 100, label("Primary Object Type Code", "기본 개체 유형 코드")),
    lookup("sdkmessageid", label("SDK Message", "SDK 메시지"), [
      target("sdkmessage", "sdkmessageid", "sdkmessageid_sdkmessagefilter"),
    ]),
    ...systemColumns("sdkmessagefilter", "OrganizationOwned"),
  ],
};

const serviceendpoint: TableDefinition = {
  logicalName: "serviceendpoint",
  schemaName: "ServiceEndpoint",
  entitySetName: "serviceendpoints",
  displayName: label("Service Endpoint", "서비스 끝점"),
  displayCollectionName: label("Service Endpoints", "서비스 끝점"),
  primaryIdAttribute: "serviceendpointid",
  primaryNameAttribute: "name",
  objectTypeCode: 4618,
  ownership: "OrganizationOwned",
  origin: "system",
  columns: [
    primaryKey("serviceendpoint", label("Service Endpoint", "서비스 끝점")),
    text("name", 256, label("Name", "이름"), false, { requiredLevel: "required" }),
    text("url", 2000, label("Url", "URL"), false, { format: "url" }),
    memo("description", 2000, label("Description", "설명")),
    choice("serviceendpoint", "contract", label("Contract", "계약"), [
      { value: 1, label: label("OneWay", "OneWay") },
      { value: 2, label: label("Queue", "Queue") },
      { value: 3, label: label("Rest", "Rest") },
      { value: 4, label: label("TwoWay", "TwoWay") },
      { value: 5, label: label("Topic", "Topic") },
      { value: 6, label: label("Queue (Persistent)", "Queue (Persistent)") },
      { value: 7, label: label("Event Hub", "Event Hub") },
      { value: 8, label: label("Webhook", "Webhook") },
    ]),
    choice("serviceendpoint", "authtype", label("Auth Type", "인증 유형"), [
      { value: 4, label: label("Webhook Key", "Webhook Key") },
      { value: 5, label: label("Http Header", "Http Header") },
      { value: 6, label: label("Http Query String", "Http Query String") },
    ]),
    // Write-only on the platform: never returned on read.
    memo("authvalue", 4000, label("Auth Value", "인증 값")),
    choice("serviceendpoint", "messageformat", label("Message Format", "메시지 형식"), [
      { value: 1, label: label(".NETBinary", ".NETBinary") },
      { value: 2, label: label("Json", "Json") },
      { value: 3, label: label("XML", "XML") },
    ]),
    ...systemColumns("serviceendpoint", "OrganizationOwned"),
  ],
};

const sdkmessageprocessingstep: TableDefinition = {
  logicalName: "sdkmessageprocessingstep",
  schemaName: "SdkMessageProcessingStep",
  entitySetName: "sdkmessageprocessingsteps",
  displayName: label("Sdk Message Processing Step", "SDK 메시지 처리 단계"),
  displayCollectionName: label("Sdk Message Processing Steps", "SDK 메시지 처리 단계"),
  primaryIdAttribute: "sdkmessageprocessingstepid",
  primaryNameAttribute: "name",
  objectTypeCode: 4608,
  ownership: "OrganizationOwned",
  origin: "system",
  columns: [
    primaryKey("sdkmessageprocessingstep", label("Sdk Message Processing Step", "SDK 메시지 처리 단계")),
    text("name", 256, label("Name", "이름"), false, { requiredLevel: "required" }),
    memo("description", 256, label("Description", "설명")),
    choice("sdkmessageprocessingstep", "stage", label("Execution Stage", "실행 단계"), [
      { value: 10, label: label("Pre-validation", "사전 유효성 검사") },
      { value: 20, label: label("Pre-operation", "작업 전") },
      { value: 40, label: label("Post-operation", "작업 후") },
    ]),
    choice("sdkmessageprocessingstep", "mode", label("Execution Mode", "실행 모드"), [
      { value: 0, label: label("Synchronous", "동기") },
      { value: 1, label: label("Asynchronous", "비동기") },
    ]),
    integer("rank", label("Execution Order", "실행 순서")),
    memo("filteringattributes", 100_000, label("Filtering Attributes", "필터링 특성")),
    choice("sdkmessageprocessingstep", "supporteddeployment", label("Deployment", "배포"), [
      { value: 0, label: label("Server Only", "서버만") },
      { value: 1, label: label("Microsoft Dynamics 365 Client for Outlook Only", "Outlook 전용") },
      { value: 2, label: label("Both", "둘 다") },
    ]),
    bool("asyncautodelete", label("Delete Job On Success", "성공 시 작업 삭제")),
    lookup("sdkmessageid", label("SDK Message", "SDK 메시지"), [
      target("sdkmessage", "sdkmessageid", "sdkmessageid_sdkmessageprocessingstep"),
    ]),
    lookup("sdkmessagefilterid", label("Sdk Message Filter", "SDK 메시지 필터"), [
      target("sdkmessagefilter", "sdkmessagefilterid", "sdkmessagefilterid_sdkmessageprocessingstep"),
    ]),
    lookup("eventhandler", label("Event Handler", "이벤트 처리기"), [
      target("serviceendpoint", "eventhandler_serviceendpoint", "serviceendpoint_sdkmessageprocessingstep"),
    ]),
    ...stateAndStatus(
      "sdkmessageprocessingstep",
      [
        { value: 0, label: label("Enabled", "사용") },
        { value: 1, label: label("Disabled", "사용 안 함") },
      ],
      [
        { value: 1, label: label("Enabled", "사용") },
        { value: 2, label: label("Disabled", "사용 안 함") },
      ],
    ),
    ...systemColumns("sdkmessageprocessingstep", "OrganizationOwned"),
  ],
};

const sdkmessageprocessingstepimage: TableDefinition = {
  logicalName: "sdkmessageprocessingstepimage",
  schemaName: "SdkMessageProcessingStepImage",
  entitySetName: "sdkmessageprocessingstepimages",
  displayName: label("Sdk Message Processing Step Image", "SDK 메시지 처리 단계 이미지"),
  displayCollectionName: label("Sdk Message Processing Step Images", "SDK 메시지 처리 단계 이미지"),
  primaryIdAttribute: "sdkmessageprocessingstepimageid",
  primaryNameAttribute: "name",
  objectTypeCode: 4615,
  ownership: "OrganizationOwned",
  origin: "system",
  columns: [
    primaryKey(
      "sdkmessageprocessingstepimage",
      label("Sdk Message Processing Step Image", "SDK 메시지 처리 단계 이미지"),
    ),
    text("name", 256, label("Name", "이름")),
    text("entityalias", 256, label("Entity Alias", "엔터티 별칭")),
    choice("sdkmessageprocessingstepimage", "imagetype", label("Image Type", "이미지 유형"), [
      { value: 0, label: label("PreImage", "PreImage") },
      { value: 1, label: label("PostImage", "PostImage") },
      { value: 2, label: label("Both", "Both") },
    ]),
    text("messagepropertyname", 256, label("Message Property Name", "메시지 속성 이름")),
    memo("attributes", 100_000, label("Attributes", "특성")),
    lookup("sdkmessageprocessingstepid", label("SDK Message Processing Step", "SDK 메시지 처리 단계"), [
      target(
        "sdkmessageprocessingstep",
        "sdkmessageprocessingstepid",
        "sdkmessageprocessingstepid_sdkmessageprocessingstepimage",
      ),
    ]),
    ...systemColumns("sdkmessageprocessingstepimage", "OrganizationOwned"),
  ],
};

const asyncoperation: TableDefinition = {
  logicalName: "asyncoperation",
  schemaName: "AsyncOperation",
  entitySetName: "asyncoperations",
  displayName: label("System Job", "시스템 작업"),
  displayCollectionName: label("System Jobs", "시스템 작업"),
  primaryIdAttribute: "asyncoperationid",
  primaryNameAttribute: "name",
  objectTypeCode: 4700,
  ownership: "UserOwned",
  origin: "system",
  columns: [
    primaryKey("asyncoperation", label("System Job", "시스템 작업")),
    text("name", 256, label("System Job Name", "시스템 작업 이름")),
    integer("operationtype", label("System Job Type", "시스템 작업 유형")),
    memo("message", 100_000, label("Message", "메시지")),
    memo("friendlymessage", 100_000, label("Friendly message", "친숙한 메시지")),
    integer("errorcode", label("Error Code", "오류 코드")),
    uniqueIdentifier("correlationid", label("Correlation Id", "상관 관계 ID")),
    text("primaryentitytype", 64, label("Entity", "엔터티")),
    lookup("regardingobjectid", label("Regarding", "관련 항목"), [
      target("opportunity", "regardingobjectid_opportunity_asyncoperation", "Opportunity_AsyncOperations"),
      target("account", "regardingobjectid_account_asyncoperation", "Account_AsyncOperations"),
    ]),
    dateTime("completedon", label("Completed On", "완료 날짜"), "UserLocal"),
    integer("retrycount", label("Retry Count", "재시도 횟수")),
    memo("data", 1_073_741_823, label("Data", "데이터")),
    lookup("owningextensionid", label("Owning Extension", "소유 확장"), [
      target(
        "sdkmessageprocessingstep",
        "owningextensionid_sdkmessageprocessingstep",
        "SdkMessageProcessingStep_AsyncOperations",
      ),
    ]),
    ...stateAndStatus(
      "asyncoperation",
      [
        { value: 0, label: label("Ready", "준비") },
        { value: 1, label: label("Suspended", "일시 중단됨") },
        { value: 2, label: label("Locked", "잠김") },
        { value: 3, label: label("Completed", "완료됨") },
      ],
      [
        { value: 0, label: label("Waiting For Resources", "리소스 대기 중") },
        { value: 10, label: label("Waiting", "대기 중") },
        { value: 20, label: label("In Progress", "진행 중") },
        { value: 21, label: label("Pausing", "일시 중지 중") },
        { value: 22, label: label("Canceling", "취소 중") },
        { value: 30, label: label("Succeeded", "성공") },
        { value: 31, label: label("Failed", "실패") },
        { value: 32, label: label("Canceled", "취소됨") },
      ],
    ),
    ...systemColumns("asyncoperation", "UserOwned"),
  ],
};

export const PLATFORM_TABLES: readonly TableDefinition[] = [
  sdkmessage,
  sdkmessagefilter,
  serviceendpoint,
  sdkmessageprocessingstep,
  sdkmessageprocessingstepimage,
  asyncoperation,
];
