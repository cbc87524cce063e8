import { XMLParser } from "fast-xml-parser";
import { readFileSync } from "node:fs";
import type { Referral } from "../../domain/referral";
import { controlFile, type ControlName } from "../sandbox/builtArtifacts";
import { DataverseWebApi, type WebApiRecord } from "../sandbox/pcfHost/dataverseWebApi";
import { SANDBOX_ADMIN_AAD, type Sandbox } from "../sandbox/sandbox";

/** What the browser tests read behind the pages: the emulators' state, and the strings the built controls ship. */

export async function pcAdmin(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<unknown> {
  const answer = await fetch(`${sandbox.partnerCenterUrl}/admin/${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} /admin/${path}: ${answer.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

export async function referrals(sandbox: Sandbox): Promise<Referral[]> {
  return ((await pcAdmin(sandbox, "GET", "referrals")) as { value: Referral[] }).value;
}

export async function quotaUsed(sandbox: Sandbox): Promise<number> {
  return ((await pcAdmin(sandbox, "GET", "quota")) as { used: number }).used;
}

/** Partner Center's webhooks delivered, then the Dataverse emulator's own webhooks. */
export async function settle(sandbox: Sandbox): Promise<void> {
  await pcAdmin(sandbox, "POST", "webhooks/idle");
  await sandbox.dataverse.webhooksIdle();
}

/** Dataverse as the org's administrator (reads everything). */
export function adminWebApi(sandbox: Sandbox): DataverseWebApi {
  return new DataverseWebApi({
    apiRoot: sandbox.dataverse.apiUrl,
    headers: { Authorization: "Bearer e2e", CallerObjectId: SANDBOX_ADMIN_AAD },
  });
}

export async function auditRows(sandbox: Sandbox, opportunityId: string): Promise<WebApiRecord[]> {
  const page = await adminWebApi(sandbox).retrieveMultipleRecords(
    "pcs_referralsyncaudit",
    `?$filter=_pcs_opportunityid_value eq ${opportunityId}&$orderby=createdon asc`,
  );
  return page.entities;
}

/** Polls until `check` gives a value (not undefined/false) or the time is up. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** The strings a built control ships for a language (its resx). */
export function controlStrings(control: ControlName, lcid: number): Map<string, string> {
  const xml = readFileSync(controlFile(control, `strings/${control}.${lcid}.resx`), "utf8");
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml) as {
    root: { data: { name: string; value: unknown }[] | { name: string; value: unknown } };
  };
  const data = Array.isArray(parsed.root.data) ? parsed.root.data : [parsed.root.data];
  return new Map(data.map((d) => [d.name, String(d.value ?? "")]));
}
