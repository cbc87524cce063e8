import { formatMessage, isMessageKey, type Language, type MessageParams } from "../../domain/messages";

/**
 * What the form script says that the domain catalogue does not: progress, proxy failures, the closing
 * confirmation. English (1033) and Korean (1042), like domain/messages.ts; `{name}` placeholders.
 */
const catalogue = {
  "readiness.checking": {
    en: "Checking whether this deal can be shared with Partner Center…",
    ko: "이 거래를 Partner Center와 공유할 수 있는지 확인하는 중…",
  },
  "readiness.turnedOff": {
    en: "Sync with Partner Center was turned off. Fix the following, then turn it on again:",
    ko: "Partner Center와 동기화가 해제되었습니다. 다음을 수정한 후 다시 켜세요:",
  },
  "readiness.ready": {
    en: "Ready to share: the referral is sent to Partner Center when you save.",
    ko: "공유할 준비가 되었습니다. 저장하면 추천이 Partner Center로 전송됩니다.",
  },
  "readiness.readFailed": {
    en: "Could not check whether the deal is ready ({detail}). Sync stays off; try again.",
    ko: "거래가 준비되었는지 확인하지 못했습니다({detail}). 동기화는 꺼진 상태로 유지됩니다. 다시 시도하세요.",
  },
  "sync.offWithReferral": {
    en: "Sync is off. Referral {referralId} stays in Partner Center but no longer receives changes from this opportunity.",
    ko: "동기화가 꺼졌습니다. 추천 {referralId}은(는) Partner Center에 남지만 이 영업 기회의 변경 내용을 더 이상 받지 않습니다.",
  },
  "sync.progress": {
    en: "Sending this opportunity to Partner Center…",
    ko: "이 영업 기회를 Partner Center로 보내는 중…",
  },
  "result.created": {
    en: "Shared with Partner Center as referral {referralId}.",
    ko: "추천 {referralId}(으)로 Partner Center와 공유했습니다.",
  },
  "result.updated": {
    en: "Partner Center referral {referralId} updated.",
    ko: "Partner Center 추천 {referralId}을(를) 업데이트했습니다.",
  },
  "result.unchanged": {
    en: "Partner Center is already up to date; nothing was sent.",
    ko: "Partner Center가 이미 최신 상태이므로 보낸 내용이 없습니다.",
  },
  "result.deferred": {
    en: "Today's Partner Center API limit is reached. The sync runs again {when}.",
    ko: "오늘의 Partner Center API 한도에 도달했습니다. 동기화는 {when}에 다시 실행됩니다.",
  },
  "result.retrying": {
    en: "Partner Center did not answer. The sync is retried automatically {when}.",
    ko: "Partner Center가 응답하지 않았습니다. 동기화는 {when}에 자동으로 다시 시도됩니다.",
  },
  "result.failed": {
    en: "The sync with Partner Center failed: {message}",
    ko: "Partner Center와 동기화하지 못했습니다: {message}",
  },
  "result.failedNoMessage": {
    en: "The sync with Partner Center failed. See the sync history for details.",
    ko: "Partner Center와 동기화하지 못했습니다. 자세한 내용은 동기화 기록을 확인하세요.",
  },
  "result.disabled": {
    en: "Sync with Partner Center is off for this opportunity; nothing was sent.",
    ko: "이 영업 기회는 Partner Center 동기화가 꺼져 있어 보낸 내용이 없습니다.",
  },
  "when.soon": {
    en: "shortly",
    ko: "잠시 후",
  },
  "failure.notReady": {
    en: "Partner Center sync is blocked until the deal is ready. Fix the following:",
    ko: "거래가 준비될 때까지 Partner Center 동기화가 차단됩니다. 다음을 수정하세요:",
  },
  "failure.forbidden": {
    en: "You do not have permission to update this opportunity, so it cannot be synced with Partner Center. Ask its owner or your administrator.",
    ko: "이 영업 기회를 수정할 권한이 없어 Partner Center와 동기화할 수 없습니다. 소유자나 관리자에게 문의하세요.",
  },
  "failure.throttled": {
    en: "The referral service is busy. Try again in {seconds} seconds.",
    ko: "추천 서비스가 사용 중입니다. {seconds}초 후에 다시 시도하세요.",
  },
  "failure.throttledNoWait": {
    en: "The referral service is busy. Try again in a minute.",
    ko: "추천 서비스가 사용 중입니다. 1분 후에 다시 시도하세요.",
  },
  "failure.unreachable": {
    en: "The referral service cannot be reached ({detail}). Your changes are saved; use Sync now later.",
    ko: "추천 서비스에 연결할 수 없습니다({detail}). 변경 내용은 저장되었으니 나중에 지금 동기화를 사용하세요.",
  },
  "failure.token": {
    en: "You could not be signed in to the referral service ({detail}). Refresh the page or sign in again, then use Sync now.",
    ko: "추천 서비스에 로그인하지 못했습니다({detail}). 페이지를 새로 고치거나 다시 로그인한 후 지금 동기화를 사용하세요.",
  },
  "failure.notConfigured": {
    en: "The referral service is not configured: the environment variable {name} has no value. Ask your administrator.",
    ko: "추천 서비스가 구성되지 않았습니다. 환경 변수 {name}에 값이 없습니다. 관리자에게 문의하세요.",
  },
  "failure.rejected": {
    en: "The referral service refused the request (HTTP {status}): {message}",
    ko: "추천 서비스가 요청을 거부했습니다(HTTP {status}): {message}",
  },
  "detail.timeout": {
    en: "no answer within {seconds} seconds",
    ko: "{seconds}초 안에 응답 없음",
  },
  "detail.network": {
    en: "network error",
    ko: "네트워크 오류",
  },
  "detail.status": {
    en: "HTTP {status}",
    ko: "HTTP {status}",
  },
  "state.Pending": {
    en: "Partner Center sync is in progress.",
    ko: "Partner Center 동기화가 진행 중입니다.",
  },
  "state.Synced": {
    en: "Synced with Partner Center (referral {referralId}).",
    ko: "Partner Center와 동기화됨(추천 {referralId}).",
  },
  "state.Error": {
    en: "The last Partner Center sync failed: {error}",
    ko: "마지막 Partner Center 동기화가 실패했습니다: {error}",
  },
  "state.Blocked": {
    en: "Partner Center sync is blocked until the deal is ready: {error}",
    ko: "거래가 준비될 때까지 Partner Center 동기화가 차단되었습니다: {error}",
  },
  "state.Deferred": {
    en: "Partner Center sync is deferred until tomorrow: today's API limit is reached.",
    ko: "오늘의 API 한도에 도달하여 Partner Center 동기화가 내일로 연기되었습니다.",
  },
  "state.noDetail": {
    en: "see the sync history for details.",
    ko: "자세한 내용은 동기화 기록을 확인하세요.",
  },
  "close.title": {
    en: "Close the referral in Partner Center?",
    ko: "Partner Center에서 추천을 종료하시겠습니까?",
  },
  "close.text": {
    en: "This opportunity is synced with Partner Center. Closing it as {state} also closes its referral in Partner Center, and a closed referral can never be reopened. Continue?",
    ko: "이 영업 기회는 Partner Center와 동기화되어 있습니다. {state}(으)로 종료하면 Partner Center의 추천도 종료되며, 종료된 추천은 다시 열 수 없습니다. 계속하시겠습니까?",
  },
  "close.confirm": {
    en: "Close in Partner Center",
    ko: "Partner Center에서 종료",
  },
  "close.cancel": {
    en: "Keep it open",
    ko: "열린 상태로 유지",
  },
  "close.cancelled": {
    en: "Not saved: the opportunity and its Partner Center referral stay open.",
    ko: "저장하지 않았습니다. 영업 기회와 Partner Center 추천은 열린 상태로 유지됩니다.",
  },
  "state.won": { en: "Won", ko: "성사" },
  "state.lost": { en: "Lost", ko: "실패" },
  "state.closed": { en: "closed", ko: "종료" },
} as const satisfies Record<string, { en: string; ko: string }>;

export type FormMessageKey = keyof typeof catalogue;
export const FORM_MESSAGE_KEYS = Object.keys(catalogue) as FormMessageKey[];

export function formText(key: FormMessageKey, language: Language, params: MessageParams = {}): string {
  return catalogue[key][language].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function isFormMessageKey(key: string): key is FormMessageKey {
  return Object.prototype.hasOwnProperty.call(catalogue, key);
}

/**
 * A message the proxy sent back ({key, params}): the domain catalogue first, then this one. An unknown key
 * (a newer proxy) is shown with its parameters rather than dropped.
 */
export function localizeMessage(message: { key: string; params: MessageParams }, language: Language): string {
  if (isMessageKey(message.key)) return formatMessage(message.key, language, message.params);
  if (isFormMessageKey(message.key)) return formText(message.key, language, message.params);
  const values = Object.values(message.params);
  return values.length ? `${message.key}: ${values.join(", ")}` : message.key;
}

/** A date-time in the user's language, for "retried at …". */
export function formatWhen(iso: string | null, language: Language): string {
  if (!iso) return formText("when.soon", language);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return formText("when.soon", language);
  return new Intl.DateTimeFormat(language === "ko" ? "ko-KR" : "en-US", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(date);
}
