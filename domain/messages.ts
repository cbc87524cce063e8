/**
 * Every sentence the domain can say to a seller, in English (1033) and Korean (1042).
 * Rules return keys and parameters, never text, so the toggle, the form script and the proxy's
 * audit rows all say the same thing in the user's language.
 */

export type Language = "en" | "ko";
export type MessageParams = Readonly<Record<string, string | number>>;

interface Translations {
  readonly en: string;
  readonly ko: string;
}

const catalogue = {
  // Checklist titles, one per rule
  "readiness.rule.R1": {
    en: "Microsoft solution linked",
    ko: "Microsoft 솔루션 연결",
  },
  "readiness.rule.R2": {
    en: "Customer country as a two-letter code",
    ko: "고객 국가(두 글자 코드)",
  },
  "readiness.rule.R3": {
    en: "Customer contact when Microsoft help is requested",
    ko: "Microsoft 지원 요청 시 고객 담당자",
  },
  "readiness.rule.R4": {
    en: "Valid currency (ISO 4217)",
    ko: "올바른 통화(ISO 4217)",
  },
  "readiness.rule.R5": {
    en: "Opportunity is open",
    ko: "영업 기회가 열려 있음",
  },
  "readiness.rule.R6": {
    en: "Deal value and close date",
    ko: "거래 금액과 종료 날짜",
  },
  "readiness.rule.R7": {
    en: "Owner and sales team are CRM users with email",
    ko: "소유자와 영업 팀이 이메일이 있는 CRM 사용자",
  },
  "readiness.rule.R8": {
    en: "Names and notes fit Partner Center",
    ko: "이름과 메모가 Partner Center 한도 이내",
  },
  // Rule 1: Microsoft solutions
  "readiness.solution.missing": {
    en: "Link at least one Microsoft solution (SOL-…) to this opportunity.",
    ko: "이 영업 기회에 Microsoft 솔루션(SOL-…)을 하나 이상 연결하세요.",
  },
  "readiness.solution.invalidId": {
    en: 'The Microsoft solution "{name}" has the id "{value}", which is not a Partner Center solution id (SOL-…). Correct it in the solution catalogue.',
    ko: 'Microsoft 솔루션 "{name}"의 ID "{value}"는 Partner Center 솔루션 ID(SOL-…)가 아닙니다. 솔루션 카탈로그에서 수정하세요.',
  },
  // Rule 2: customer country
  "readiness.account.missing": {
    en: "Choose the customer account (Potential Customer) of this opportunity.",
    ko: "이 영업 기회의 고객 계정(잠재 고객)을 선택하세요.",
  },
  "readiness.country.missing": {
    en: "Enter the country of the customer account {account} (a two-letter ISO code such as US or KR).",
    ko: "고객 계정 {account}의 국가를 입력하세요(US, KR 같은 두 글자 ISO 코드).",
  },
  "readiness.country.ambiguous": {
    en: 'The country "{value}" of {account} could mean more than one country ({candidates}). Enter the two-letter code.',
    ko: '{account}의 국가 "{value}"은(는) 여러 국가({candidates})를 뜻할 수 있습니다. 두 글자 국가 코드를 입력하세요.',
  },
  "readiness.country.unknown": {
    en: 'The country "{value}" of {account} is not a country we recognise. Enter the two-letter ISO code (for example US or KR).',
    ko: '{account}의 국가 "{value}"을(를) 인식할 수 없습니다. 두 글자 ISO 국가 코드를 입력하세요(예: US, KR).',
  },
  "readiness.country.suggest": {
    en: 'The country "{value}" of {account} is not a country name we recognise. Did you mean {candidates}?',
    ko: '{account}의 국가 "{value}"을(를) 인식할 수 없습니다. {candidates}을(를) 의미하셨나요?',
  },
  // Rule 3: customer contact when Microsoft help is requested
  "readiness.contact.missing": {
    en: "Microsoft help is requested, so choose a customer contact (Contact) on the opportunity.",
    ko: "Microsoft 지원을 요청했으므로 영업 기회에 고객 담당자(연락처)를 선택하세요.",
  },
  "readiness.contact.firstName": {
    en: "The customer contact {contact} needs a first name.",
    ko: "고객 담당자 {contact}의 이름(First Name)을 입력하세요.",
  },
  "readiness.contact.lastName": {
    en: "The customer contact {contact} needs a last name.",
    ko: "고객 담당자 {contact}의 성(Last Name)을 입력하세요.",
  },
  "readiness.contact.email": {
    en: "The customer contact {contact} needs an email address.",
    ko: "고객 담당자 {contact}의 이메일 주소를 입력하세요.",
  },
  "readiness.contact.emailInvalid": {
    en: 'The email "{value}" of the customer contact {contact} is not a valid email address.',
    ko: '고객 담당자 {contact}의 이메일 "{value}"은(는) 올바른 이메일 주소가 아닙니다.',
  },
  // Rule 4: currency
  "readiness.currency.missing": {
    en: "Choose the currency of this opportunity.",
    ko: "이 영업 기회의 통화를 선택하세요.",
  },
  "readiness.currency.invalid": {
    en: 'The currency code "{value}" is not an ISO 4217 code (for example USD, KRW, EUR). Correct the currency record.',
    ko: '통화 코드 "{value}"은(는) ISO 4217 코드가 아닙니다(예: USD, KRW, EUR). 통화 레코드를 수정하세요.',
  },
  "readiness.currency.suggest": {
    en: 'The currency code "{value}" is not an ISO 4217 code. Did you mean {candidates}? Correct the currency record.',
    ko: '통화 코드 "{value}"은(는) ISO 4217 코드가 아닙니다. {candidates}을(를) 의미하셨나요? 통화 레코드를 수정하세요.',
  },
  // Rule 5: open
  "readiness.state.closed": {
    en: "This opportunity is already closed as {state}. A closed deal cannot be shared as a new referral.",
    ko: "이 영업 기회는 이미 {state}(으)로 종료되었습니다. 종료된 거래는 새 추천으로 공유할 수 없습니다.",
  },
  // Rule 6: value and close date
  "readiness.value.missing": {
    en: "Enter the estimated revenue (greater than 0).",
    ko: "예상 수익을 입력하세요(0보다 커야 합니다).",
  },
  "readiness.value.notPositive": {
    en: "The estimated revenue is {value}; it must be greater than 0.",
    ko: "예상 수익이 {value}입니다. 0보다 커야 합니다.",
  },
  "readiness.value.tooLarge": {
    en: "The estimated revenue {value} is larger than the largest amount Dataverse can hold ({max}). Check the value.",
    ko: "예상 수익 {value}이(가) Dataverse가 저장할 수 있는 최대 금액({max})보다 큽니다. 값을 확인하세요.",
  },
  "readiness.closeDate.missing": {
    en: "Enter the estimated close date.",
    ko: "예상 종료 날짜를 입력하세요.",
  },
  "readiness.closeDate.invalid": {
    en: 'The estimated close date "{value}" is not a valid date.',
    ko: '예상 종료 날짜 "{value}"은(는) 올바른 날짜가 아닙니다.',
  },
  "readiness.closeDate.past": {
    en: "The estimated close date {value} is in the past. Move it to today or later before sharing the deal.",
    ko: "예상 종료 날짜 {value}이(가) 이미 지났습니다. 거래를 공유하기 전에 오늘 이후로 변경하세요.",
  },
  // Rule 7: owner and sales team
  "readiness.owner.missing": {
    en: "The opportunity has no owner. Assign it to a user.",
    ko: "영업 기회에 소유자가 없습니다. 사용자에게 할당하세요.",
  },
  "readiness.owner.notUser": {
    en: "The owner {name} is not a CRM user (it is a {kind}). Assign the opportunity to a user.",
    ko: "소유자 {name}은(는) CRM 사용자가 아닙니다({kind}). 영업 기회를 사용자에게 할당하세요.",
  },
  "readiness.team.notUser": {
    en: "Sales team member {name} is not a CRM user (it is a {kind}). Remove them from the sales team.",
    ko: "영업 팀 구성원 {name}은(는) CRM 사용자가 아닙니다({kind}). 영업 팀에서 제거하세요.",
  },
  "readiness.person.noEmail": {
    en: "{name} has no email address in CRM. Add their primary email to the user record.",
    ko: "{name}의 CRM 이메일 주소가 없습니다. 사용자 레코드에 기본 이메일을 추가하세요.",
  },
  "readiness.person.emailInvalid": {
    en: 'The email "{value}" of {name} is not a valid email address.',
    ko: '{name}의 이메일 "{value}"은(는) 올바른 이메일 주소가 아닙니다.',
  },
  "readiness.person.disabled": {
    en: "{name} is a disabled CRM user. Assign the deal to, or add, an active user.",
    ko: "{name}은(는) 비활성화된 CRM 사용자입니다. 활성 사용자에게 할당하거나 추가하세요.",
  },
  // Rule 8: text the referral can carry
  "readiness.name.missing": {
    en: "Enter a topic (name) for the opportunity.",
    ko: "영업 기회의 항목(이름)을 입력하세요.",
  },
  "readiness.name.tooLong": {
    en: "The opportunity name has {length} characters; at most {max} are allowed.",
    ko: "영업 기회 이름이 {length}자입니다. 최대 {max}자까지 허용됩니다.",
  },
  "readiness.accountName.missing": {
    en: "The customer account has no name.",
    ko: "고객 계정에 이름이 없습니다.",
  },
  "readiness.accountName.tooLong": {
    en: "The customer account name has {length} characters; at most {max} are allowed.",
    ko: "고객 계정 이름이 {length}자입니다. 최대 {max}자까지 허용됩니다.",
  },
  "readiness.description.tooLong": {
    en: "The description has {length} characters; Partner Center notes take at most {max}.",
    ko: "설명이 {length}자입니다. Partner Center 메모는 최대 {max}자까지 허용됩니다.",
  },

  // Fix hints, one per failure category
  "fix.validation": {
    en: "Partner Center refused the data: {detail}. Correct the field on the opportunity and save again.",
    ko: "Partner Center가 데이터를 거부했습니다: {detail}. 영업 기회의 해당 필드를 수정한 후 다시 저장하세요.",
  },
  "fix.auth": {
    en: "The integration user's Partner Center sign-in has expired or was revoked. Ask your admin to sign in again (setup), then retry.",
    ko: "통합 사용자의 Partner Center 로그인이 만료되었거나 취소되었습니다. 관리자에게 다시 로그인(설정)을 요청한 후 재시도하세요.",
  },
  "fix.forbidden": {
    en: "The integration user lacks the Referrals admin role in Partner Center (or you may not edit this opportunity). Ask your admin.",
    ko: "통합 사용자에게 Partner Center의 추천 관리자 역할이 없습니다(또는 이 영업 기회를 편집할 권한이 없습니다). 관리자에게 문의하세요.",
  },
  "fix.notFound": {
    en: "The referral no longer exists in Partner Center. Turn sync off and on again to share the deal anew.",
    ko: "추천이 Partner Center에 더 이상 없습니다. 동기화를 껐다가 다시 켜서 거래를 새로 공유하세요.",
  },
  "fix.conflict": {
    en: "The referral changed in Partner Center at the same time. The sync will run again shortly; nothing is lost.",
    ko: "추천이 Partner Center에서 동시에 변경되었습니다. 곧 다시 동기화되며 손실되는 내용은 없습니다.",
  },
  "fix.throttled": {
    en: "Partner Center asked us to slow down. The sync is scheduled again at {nextRetry}; nothing is lost.",
    ko: "Partner Center가 요청 속도를 줄이도록 요청했습니다. {nextRetry}에 다시 동기화되며 손실되는 내용은 없습니다.",
  },
  "fix.transient": {
    en: "Partner Center could not be reached or answered with an error. The sync is scheduled again at {nextRetry}; nothing is lost.",
    ko: "Partner Center에 연결할 수 없거나 오류가 반환되었습니다. {nextRetry}에 다시 동기화되며 손실되는 내용은 없습니다.",
  },
  "fix.permanent": {
    en: "The sync failed and will not succeed by retrying: {detail}. Contact your admin with the correlation id.",
    ko: "동기화에 실패했으며 재시도로는 해결되지 않습니다: {detail}. 상관 관계 ID와 함께 관리자에게 문의하세요.",
  },
  "sync.deferred": {
    en: "Today's Partner Center API budget ({budget} calls) is used up. The sync runs after midnight UTC ({nextRetry}).",
    ko: "오늘의 Partner Center API 한도({budget}회)를 모두 사용했습니다. 동기화는 UTC 자정 이후({nextRetry})에 실행됩니다.",
  },
  "sync.retriesExhausted": {
    en: "The sync failed {attempts} times in a row and has stopped retrying: {detail}. Use Retry once the cause is fixed.",
    ko: "동기화가 {attempts}회 연속 실패하여 재시도를 중단했습니다: {detail}. 원인을 해결한 후 재시도를 사용하세요.",
  },
  // Status and transitions
  "status.declinedByMicrosoft": {
    en: "Microsoft declined this referral in Partner Center. The opportunity stays open: close or update it yourself.",
    ko: "Microsoft가 Partner Center에서 이 추천을 거절했습니다. 영업 기회는 열린 상태로 유지되니 직접 종료하거나 수정하세요.",
  },
  "status.expired": {
    en: "This referral expired in Partner Center. The opportunity stays open: close or update it yourself.",
    ko: "이 추천이 Partner Center에서 만료되었습니다. 영업 기회는 열린 상태로 유지되니 직접 종료하거나 수정하세요.",
  },
  "status.closedInPartnerCenter": {
    en: "The referral was closed as {substatus} in Partner Center. The opportunity stays open: close it in CRM if that is right.",
    ko: "추천이 Partner Center에서 {substatus}(으)로 종료되었습니다. 영업 기회는 열린 상태로 유지되니 맞다면 CRM에서 종료하세요.",
  },
  "transition.terminal": {
    en: "The referral is already closed ({from}) in Partner Center and a closed referral cannot change, so {to} was not sent.",
    ko: "추천이 Partner Center에서 이미 종료({from})되었으며 종료된 추천은 변경할 수 없으므로 {to}을(를) 보내지 않았습니다.",
  },
  "transition.notAllowed": {
    en: "Partner Center does not allow a referral to move from {from} to {to}.",
    ko: "Partner Center에서는 추천을 {from}에서 {to}(으)로 변경할 수 없습니다.",
  },
  "transition.badSubstatus": {
    en: "{substatus} is not a valid substatus for a {status} referral (allowed: {allowed}).",
    ko: "{substatus}은(는) {status} 상태 추천의 하위 상태로 사용할 수 없습니다(허용: {allowed}).",
  },
  "patch.consentIrreversible": {
    en: "This referral is already shared with Microsoft sellers; sharing cannot be turned off.",
    ko: "이 추천은 이미 Microsoft 영업 담당자와 공유되었으며 공유를 해제할 수 없습니다.",
  },
  "patch.referralClosed": {
    en: "The referral is closed ({status}) in Partner Center and cannot change any more; the change stays in CRM.",
    ko: "추천이 Partner Center에서 종료({status})되어 더 이상 변경할 수 없으므로 변경 내용은 CRM에만 남습니다.",
  },
  "patch.unpatchable": {
    en: "Partner Center does not accept changes to {fields} after a referral is created; the change stays in CRM.",
    ko: "Partner Center는 추천을 만든 후에는 {fields} 변경을 받지 않으므로 변경 내용은 CRM에만 남습니다.",
  },
} as const satisfies Record<string, Translations>;

export type MessageKey = keyof typeof catalogue;

export const MESSAGE_KEYS = Object.keys(catalogue) as MessageKey[];

/** Dataverse user language (LCID) to the languages we ship; anything else falls back to English. */
export function languageFromLcid(lcid: number | null | undefined): Language {
  return lcid === 1042 ? "ko" : "en";
}

export function lcidOf(language: Language): number {
  return language === "ko" ? 1042 : 1033;
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogue, key);
}

/** The template itself, for tools that emit resx files from the catalogue. */
export function messageTemplate(key: MessageKey, language: Language): string {
  return catalogue[key][language];
}

/** Fills `{name}` placeholders; a placeholder without a parameter stays visible rather than vanishing. */
export function formatMessage(key: MessageKey, language: Language, params: MessageParams = {}): string {
  return catalogue[key][language].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}
