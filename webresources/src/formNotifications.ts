/// <reference types="xrm" />
import type { FormContext } from "./formAccess";

/**
 * Form notifications in named groups, so that a group (the readiness fixes, a sync result) can be replaced
 * or cleared as a whole. Every id is prefixed "pcs-" so nothing of another script is touched.
 */

export type Level = Xrm.FormNotificationLevel;

export interface Notice {
  text: string;
  level: Level;
}

const shown = new WeakMap<FormContext, Map<string, string[]>>();

function groupsOf(fc: FormContext): Map<string, string[]> {
  let groups = shown.get(fc);
  if (!groups) {
    groups = new Map();
    shown.set(fc, groups);
  }
  return groups;
}

export function clearGroup(fc: FormContext, group: string): void {
  const groups = groupsOf(fc);
  for (const id of groups.get(group) ?? []) fc.ui.clearFormNotification(id);
  groups.delete(group);
}

/** Replaces the group's notifications with these (in order). */
export function showGroup(fc: FormContext, group: string, notices: readonly Notice[]): void {
  clearGroup(fc, group);
  const ids = notices.map((_, index) => (notices.length === 1 ? `pcs-${group}` : `pcs-${group}-${index}`));
  notices.forEach((notice, index) => {
    const id = ids[index] ?? `pcs-${group}-${index}`;
    fc.ui.clearFormNotification(id);
    fc.ui.setFormNotification(notice.text, notice.level, id);
  });
  groupsOf(fc).set(group, ids);
}

export function showNotice(fc: FormContext, group: string, text: string, level: Level): void {
  showGroup(fc, group, [{ text, level }]);
}

/** The groups the script uses. */
export const GROUPS = {
  state: "sync-state",
  referralNotice: "referral-notice",
  readiness: "readiness",
  progress: "sync-progress",
  result: "sync-result",
  closing: "closing",
} as const;
