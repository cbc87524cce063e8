import { OwnWriteRegistry } from "../../plugins-ts/src/sync/ownWriteRegistry";

describe("OwnWriteRegistry", () => {
  let now = 0;
  const registry = () => new OwnWriteRegistry(60_000, 2, () => now);

  it.each([
    ["the same change", "2026-11-25T10:00:00Z", true],
    ["an older change", "2026-11-25T09:59:59Z", true],
    ["a newer change (someone else's)", "2026-11-25T10:00:01Z", false],
    ["no timestamp", "", false],
  ])("%s", (_name, changedAt, expected) => {
    now = 0;
    const r = registry();
    r.remember("r-1", "2026-11-25T10:00:00Z");
    expect(r.covers("r-1", changedAt)).toBe(expected);
    expect(r.covers("r-2", changedAt)).toBe(false);
  });

  it("forgets after its time to live, and drops the oldest when full", () => {
    now = 0;
    const r = registry();
    r.remember("a", "2026-11-25T10:00:00Z");
    r.remember("b", "2026-11-25T10:00:00Z");
    r.remember("c", "2026-11-25T10:00:00Z");
    expect([r.covers("a", "2026-11-25T10:00:00Z"), r.covers("c", "2026-11-25T10:00:00Z")]).toEqual([false, true]);
    now = 60_001;
    expect(r.covers("c", "2026-11-25T10:00:00Z")).toBe(false);
  });
});
