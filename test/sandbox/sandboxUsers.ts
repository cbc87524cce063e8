/**
 * The people you can be in the sandbox (seed users of the Dataverse emulator) and the UI languages, and how
 * the page's choice is read: the query string wins and is remembered in a cookie, so a link or a reload keeps it.
 */

export interface SandboxUser {
  key: string;
  systemUserId: string;
  aadObjectId: string;
  name: string;
  role: string;
  /** Minutes east of UTC: the user's Dataverse time zone (controls show times in it). */
  timeZoneOffsetMinutes: number;
}

export const SANDBOX_USERS: readonly SandboxUser[] = [
  {
    key: "emily",
    systemUserId: "5e5e0000-0000-4000-8000-000000000004",
    aadObjectId: "aad00000-0000-4000-8000-000000000004",
    name: "Emily Carter",
    role: "Seller (Salesperson)",
    timeZoneOffsetMinutes: 0,
  },
  {
    key: "jiwoo",
    systemUserId: "5e5e0000-0000-4000-8000-000000000003",
    aadObjectId: "aad00000-0000-4000-8000-000000000003",
    name: "김지우 (Jiwoo Kim)",
    role: "Seller (Co-sell Referral Sync Seller, Salesperson)",
    timeZoneOffsetMinutes: 540,
  },
  {
    key: "daniel",
    systemUserId: "5e5e0000-0000-4000-8000-000000000005",
    aadObjectId: "aad00000-0000-4000-8000-000000000005",
    name: "Daniel Lee",
    role: "Read-only seller (Sales Read-Only)",
    timeZoneOffsetMinutes: 0,
  },
];

export const LANGUAGES = [
  { lcid: 1033, label: "English" },
  { lcid: 1042, label: "한국어 (Korean)" },
] as const;

export type Lcid = (typeof LANGUAGES)[number]["lcid"];

export interface SandboxSession {
  user: SandboxUser;
  lcid: Lcid;
  /** Cookies to set so the choice persists (empty when nothing changed). */
  setCookies: string[];
}

export const USER_COOKIE = "pcs_sandbox_user";
export const LANGUAGE_COOKIE = "pcs_sandbox_lang";

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    out[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
  }
  return out;
}

function userByKey(key: string | undefined): SandboxUser | undefined {
  return SANDBOX_USERS.find((u) => u.key === key);
}

function lcidOf(value: string | undefined): Lcid | undefined {
  return LANGUAGES.find((l) => String(l.lcid) === value)?.lcid;
}

/**
 * The session for one request. An unknown user or language in the query is an error (a typo should not
 * silently make you someone else); an unknown cookie value falls back to the default.
 */
export function resolveSession(query: Record<string, unknown>, cookieHeader: string | undefined): SandboxSession {
  const cookies = parseCookies(cookieHeader);
  const setCookies: string[] = [];
  const queryUser = typeof query.user === "string" ? query.user : undefined;
  const queryLang = typeof query.lang === "string" ? query.lang : undefined;
  if (queryUser !== undefined && !userByKey(queryUser)) {
    throw new Error(`Unknown sandbox user '${queryUser}'; use one of ${SANDBOX_USERS.map((u) => u.key).join(", ")}.`);
  }
  if (queryLang !== undefined && !lcidOf(queryLang)) {
    throw new Error(`Unknown language '${queryLang}'; use one of ${LANGUAGES.map((l) => l.lcid).join(", ")}.`);
  }
  if (queryUser) setCookies.push(`${USER_COOKIE}=${queryUser}; Path=/; SameSite=Lax`);
  if (queryLang) setCookies.push(`${LANGUAGE_COOKIE}=${queryLang}; Path=/; SameSite=Lax`);
  const user = userByKey(queryUser) ?? userByKey(cookies[USER_COOKIE]) ?? SANDBOX_USERS[0];
  const lcid = lcidOf(queryLang) ?? lcidOf(cookies[LANGUAGE_COOKIE]) ?? 1033;
  if (!user) throw new Error("The sandbox has no users.");
  return { user, lcid, setCookies };
}
