import { PUBLISHER_PREFIX } from "../schema";
import type { Label } from "../schema";

/** Who ships the solution and what it is called; the version comes from package.json at pack time. */

export const SOLUTION_UNIQUE_NAME = "PcsCosellReferralSync";

export const SOLUTION_NAME: Label = {
  en: "Co-sell Referral Sync for Dynamics 365",
  ko: "Dynamics 365용 공동 판매 추천 동기화",
};

export const SOLUTION_DESCRIPTION: Label = {
  en: "Shares Dynamics 365 Sales opportunities with Microsoft as Partner Center co-sell referrals and keeps both sides in step.",
  ko: "Dynamics 365 Sales 영업 기회를 파트너 센터 공동 판매 추천으로 Microsoft와 공유하고 양쪽을 동기화합니다.",
};

export const PUBLISHER = {
  uniqueName: "PcsCosellPublisher",
  name: { en: "Co-sell Referral Sync", ko: "공동 판매 추천 동기화" } as Label,
  description: {
    en: "Publisher of the Co-sell Referral Sync solution.",
    ko: "공동 판매 추천 동기화 솔루션의 게시자입니다.",
  } as Label,
  prefix: PUBLISHER_PREFIX,
  /** Choice values of the product are 100,000,000 and up (solution/schema); that is this option value prefix. */
  optionValuePrefix: 10000,
} as const;

/** English and Korean, in the order labels are written. */
export const LANGUAGES = [
  { code: 1033, key: "en" },
  { code: 1042, key: "ko" },
] as const satisfies readonly { code: number; key: keyof Label }[];

/** npm semver "0.1.0" (or "0.1.0-beta.1") → Dataverse's four-part "0.1.0.0"; anything else is refused. */
export function solutionVersion(packageVersion: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(packageVersion.trim());
  if (!m) throw new Error(`package.json version "${packageVersion}" is not major.minor.patch`);
  const parts = [m[1], m[2], m[3]].map(Number);
  if (parts.some((p) => p > 2147483647))
    throw new Error(`package.json version "${packageVersion}" has a part too large`);
  return `${parts.join(".")}.0`;
}

/** dist/<UniqueName>_<0_1_0_0>_managed.zip */
export function packageFileName(version: string, managed: boolean): string {
  return `${SOLUTION_UNIQUE_NAME}_${version.replace(/\./g, "_")}_${managed ? "managed" : "unmanaged"}.zip`;
}
