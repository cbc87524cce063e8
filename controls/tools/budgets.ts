/** Minified size budgets of issue 7 (React and Fluent not bundled), in KiB as webpack reports them. */
export const BUDGETS: Record<string, number> = { SyncToggle: 15 * 1024, SyncStatusPanel: 40 * 1024 };
