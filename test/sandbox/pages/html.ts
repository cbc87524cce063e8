import { LANGUAGES, SANDBOX_USERS, type SandboxSession } from "../sandboxUsers";

/** Server-rendered page chrome. Everything interpolated goes through `escapeHtml`: data is text, never markup. */

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** JSON for a <script type="application/json"> block: `<` escaped so no value can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export interface PageOptions {
  title: string;
  session: SandboxSession;
  /** The current path, so the switches come back to the same page. */
  path: string;
  active: "form" | "microsoft";
  body: string;
  scripts?: string[];
  config?: unknown;
}

function switches(session: SandboxSession, path: string): string {
  const users = SANDBOX_USERS.map(
    (u) =>
      `<option value="${escapeHtml(u.key)}"${u.key === session.user.key ? " selected" : ""}>${escapeHtml(u.name)} — ${escapeHtml(u.role)}</option>`,
  ).join("");
  const languages = LANGUAGES.map(
    (l) =>
      `<option value="${l.lcid}"${l.lcid === session.lcid ? " selected" : ""}${l.lcid === 1042 ? ' lang="ko"' : ""}>${escapeHtml(l.label)}</option>`,
  ).join("");
  return `<form class="switches" method="get" action="${escapeHtml(path)}" aria-label="Sandbox user and language">
  <label for="switch-user">User</label>
  <select id="switch-user" name="user">${users}</select>
  <label for="switch-lang">Language</label>
  <select id="switch-lang" name="lang">${languages}</select>
  <button type="submit">Apply</button>
</form>`;
}

export function renderPage(options: PageOptions): string {
  const lang = options.session.lcid === 1042 ? "ko" : "en";
  const nav = (href: string, label: string, key: PageOptions["active"]) =>
    `<a href="${href}"${options.active === key ? ' aria-current="page"' : ""}>${label}</a>`;
  const config =
    options.config === undefined
      ? ""
      : `<script type="application/json" id="sandbox-config">${jsonForScript(options.config)}</script>`;
  const scripts = (options.scripts ?? []).map((src) => `<script src="${escapeHtml(src)}"></script>`).join("\n");
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · Co-sell Referral Sync sandbox</title>
<link rel="stylesheet" href="/assets/sandbox.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="app-bar" lang="en">
  <span class="app-name">Dynamics 365 Sales <span class="app-sub">· Co-sell Referral Sync sandbox</span></span>
  <nav aria-label="Sandbox pages">${nav("/", "Opportunities", "form")}${nav("/microsoft", "Microsoft side (Partner Center)", "microsoft")}</nav>
  ${switches(options.session, options.path)}
</header>
<main id="main">
${options.body}
</main>
${config}
${scripts}
</body>
</html>`;
}
