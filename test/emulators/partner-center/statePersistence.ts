import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Referral } from "./referralStore";
import type { SigningMaterial } from "./signingCertificates";
import type { Delivery, WebhookRegistration } from "./webhookDispatcher";

/**
 * Optional JSON-file persistence so the sandbox survives a restart: referrals, the webhook registration, the
 * undelivered events and the signing chain (a new root on every start would break the proxy's configured trust).
 */

export interface PersistedState {
  version: 1;
  referrals: Referral[];
  registration: WebhookRegistration | null;
  undelivered: Delivery[];
  signing: SigningMaterial;
}

export function loadState(path: string): PersistedState | null {
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`Partner Center emulator: ${path} is not valid JSON (${(e as Error).message})`);
  }
  const s = parsed as Partial<PersistedState>;
  if (s.version !== 1 || !Array.isArray(s.referrals) || !s.signing) {
    throw new Error(`Partner Center emulator: ${path} is not a state file this emulator wrote`);
  }
  return {
    version: 1,
    referrals: s.referrals,
    registration: s.registration ?? null,
    undelivered: s.undelivered ?? [],
    signing: s.signing,
  };
}

/** Writes atomically (temp file + rename) so a crash never leaves half a file. */
export function saveState(path: string, state: PersistedState): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}
