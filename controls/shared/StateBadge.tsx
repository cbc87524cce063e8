/** @jsx h */
import * as React from "react";
import type { SyncState } from "../../domain/choices";
import type { Translate } from "./strings";

// JSX compiles to h(…), which the minifier shortens (the toggle's budget is 15 KB).
const h = React.createElement;

const COLORS: Record<SyncState, [string, string]> = {
  NotSynced: ["#f3f2f1", "#323130"],
  Pending: ["#fff4ce", "#5c4400"],
  Synced: ["#dff6dd", "#0b5a08"],
  Error: ["#fde7e9", "#a4262c"],
  Blocked: ["#fde7e9", "#a4262c"],
  Deferred: ["#fff4ce", "#5c4400"],
};

/** The sync state as a coloured badge; its text (not its colour) carries the meaning. */
export const StateBadge: React.FC<{ state: SyncState | null; t: Translate }> = ({ state, t }) => {
  const s = state ?? "NotSynced";
  const [background, color] = COLORS[s];
  const name = t(`state.${s}`);
  return (
    <span
      data-testid="state-badge"
      data-state={s}
      title={t("state.label", { state: name })}
      style={{ background, color, borderRadius: 10, padding: "1px 8px", fontSize: 12, fontWeight: 600 }}
    >
      {name}
    </span>
  );
};
