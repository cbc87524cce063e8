import type { Label } from "../schema";
import { el, textEl, type XmlElement } from "./xmlBuilder";
import { LANGUAGES } from "./solutionIdentity";

/**
 * Environment variable definitions the form script (webresources/src/environmentVariables.ts) and the proxy
 * (plugins-ts dataverseGateway.readEnvironmentVariables) read. Values are per environment and are set by
 * `npm run setup` or in the maker portal, never shipped, except the public Partner Center portal address.
 */

/** environmentvariabledefinition.type codes. */
export const ENVIRONMENT_VARIABLE_TYPE = { String: 100000000 } as const;

export interface EnvironmentVariableDefinition {
  schemaName: string;
  displayName: Label;
  description: Label;
  type: (typeof ENVIRONMENT_VARIABLE_TYPE)[keyof typeof ENVIRONMENT_VARIABLE_TYPE];
  defaultValue?: string;
  isRequired: boolean;
}

export const ENVIRONMENT_VARIABLES: readonly EnvironmentVariableDefinition[] = [
  {
    schemaName: "pcs_ProxyUrl",
    displayName: { en: "Referral proxy URL", ko: "추천 프록시 URL" },
    description: {
      en: "Base URL of the referral proxy; the form calls <value>/api/sync. Absolute, or relative to the organization.",
      ko: "추천 프록시의 기본 URL입니다. 양식은 <값>/api/sync를 호출합니다. 절대 주소 또는 조직 기준 상대 주소입니다.",
    },
    type: ENVIRONMENT_VARIABLE_TYPE.String,
    isRequired: true,
  },
  {
    schemaName: "pcs_PartnerCenterPortalBaseUrl",
    displayName: { en: "Partner Center portal base URL", ko: "파트너 센터 포털 기본 URL" },
    description: {
      en: "Where referral links point: <value>/<referral id>.",
      ko: "추천 링크가 가리키는 주소입니다: <값>/<추천 ID>.",
    },
    type: ENVIRONMENT_VARIABLE_TYPE.String,
    // The same public default as the proxy's PCS_PARTNER_CENTER_PORTAL_URL (plugins-ts/src/server/proxyConfig.ts).
    defaultValue: "https://partner.microsoft.com/dashboard/referrals/v2/leads",
    isRequired: true,
  },
  {
    schemaName: "pcs_SignInTenantId",
    displayName: { en: "Sign-in tenant ID", ko: "로그인 테넌트 ID" },
    description: {
      en: "Microsoft Entra tenant the form signs the seller in to (authority https://login.microsoftonline.com/<value>).",
      ko: "양식이 판매자를 로그인시키는 Microsoft Entra 테넌트입니다.",
    },
    type: ENVIRONMENT_VARIABLE_TYPE.String,
    isRequired: true,
  },
  {
    schemaName: "pcs_SignInClientId",
    displayName: { en: "Sign-in client ID", ko: "로그인 클라이언트 ID" },
    description: {
      en: "Client ID of the single-page app registration the form uses to get a token for the proxy.",
      ko: "양식이 프록시용 토큰을 받을 때 사용하는 단일 페이지 앱 등록의 클라이언트 ID입니다.",
    },
    type: ENVIRONMENT_VARIABLE_TYPE.String,
    isRequired: true,
  },
  {
    schemaName: "pcs_SignInScope",
    displayName: { en: "Sign-in scope", ko: "로그인 범위" },
    description: {
      en: "The proxy's API scope the form requests (e.g. api://<proxy app id>/Sync.ReadWrite).",
      ko: "양식이 요청하는 프록시 API 범위입니다(예: api://<프록시 앱 ID>/Sync.ReadWrite).",
    },
    type: ENVIRONMENT_VARIABLE_TYPE.String,
    isRequired: true,
  },
  {
    schemaName: "pcs_DevelopmentIssuerUrl",
    displayName: { en: "Development token issuer URL (sandbox only)", ko: "개발용 토큰 발급자 URL(샌드박스 전용)" },
    description: {
      en: "Sandbox only: when set, the form takes tokens from this local development issuer instead of Microsoft Entra ID. Leave empty in production.",
      ko: "샌드박스 전용: 값이 있으면 양식이 Microsoft Entra ID 대신 이 로컬 개발 발급자에서 토큰을 받습니다. 운영 환경에서는 비워 두세요.",
    },
    type: ENVIRONMENT_VARIABLE_TYPE.String,
    isRequired: false,
  },
];

function localizedLabel(name: string, label: Label): XmlElement {
  return el(
    name,
    { default: label.en },
    LANGUAGES.map((l) => el("label", { description: label[l.key], languagecode: l.code })),
  );
}

/** environmentvariabledefinitions/<schemaname>/environmentvariabledefinition.xml */
export function environmentVariableXml(definition: EnvironmentVariableDefinition): XmlElement {
  return el(
    "environmentvariabledefinition",
    { schemaname: definition.schemaName },
    definition.defaultValue === undefined ? undefined : textEl("defaultvalue", definition.defaultValue),
    localizedLabel("description", definition.description),
    localizedLabel("displayname", definition.displayName),
    textEl("introducedversion", "1.0.0.0"),
    textEl("iscustomizable", 1),
    textEl("isrequired", definition.isRequired ? 1 : 0),
    textEl("secretstore", 0),
    textEl("type", definition.type),
  );
}

export function environmentVariablePath(definition: Pick<EnvironmentVariableDefinition, "schemaName">): string {
  return `environmentvariabledefinitions/${definition.schemaName}/environmentvariabledefinition.xml`;
}
