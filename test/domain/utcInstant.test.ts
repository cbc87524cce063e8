import { isNoNewerThan, normalizeUtcInstant } from "../../domain/utcInstant";

describe("UTC instants as Partner Center writes them", () => {
  const normalized: [string | null, string | null][] = [
    ["2026-11-25T10:00:00.1234567Z", "2026-11-25T10:00:00.1234567Z"],
    ["2026-11-25T10:00:00.123Z", "2026-11-25T10:00:00.1230000Z"],
    ["2026-11-25T10:00:00Z", "2026-11-25T10:00:00.0000000Z"],
    ["2026-11-25T10:00:00+00:00", "2026-11-25T10:00:00.0000000Z"],
    [" 2026-11-25T10:00:00Z ", "2026-11-25T10:00:00.0000000Z"],
    ["2026-11-25T10:00:00.12345678Z", null],
    ["2026-11-25T10:00:00", null],
    ["2026-11-25T19:00:00+09:00", null],
    ["2026-13-01T10:00:00Z", null],
    ["", null],
    [null, null],
  ];
  it.each(normalized)("%s → %s", (text, expected) => expect(normalizeUtcInstant(text)).toBe(expected));

  const ordering: [string, string | null, string | null, boolean][] = [
    ["the same change repeated", "2026-11-25T10:00:00.1234567Z", "2026-11-25T10:00:00.1234567Z", true],
    ["a change 100 ns later (same millisecond)", "2026-11-25T10:00:00.1234568Z", "2026-11-25T10:00:00.1234567Z", false],
    ["an older change", "2026-11-25T09:59:59.9999999Z", "2026-11-25T10:00:00Z", true],
    ["the same instant, fewer digits", "2026-11-25T10:00:00.5Z", "2026-11-25T10:00:00.5000000Z", true],
    ["nothing seen yet", "2026-11-25T10:00:00Z", null, false],
    ["an unreadable change", "soon", "2026-11-25T10:00:00Z", false],
  ];
  it.each(ordering)("%s", (_, changedAt, seen, expected) => expect(isNoNewerThan(changedAt, seen)).toBe(expected));
});
