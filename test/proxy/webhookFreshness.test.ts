import { checkWebhookFreshness } from "../../plugins-ts/src/partnerCenter/webhookFreshness";

describe("Partner Center webhook replay window", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  const cases: [string, string | undefined, number | undefined, string][] = [
    ["a change a second ago", "2026-11-25T11:59:59.1234567Z", undefined, "ok"],
    ["a change 23 hours ago, default window", "2026-11-24T13:00:00Z", undefined, "ok"],
    ["a change two days ago, default window", "2026-11-23T12:00:00Z", undefined, "tooOld"],
    ["a change 10 minutes ago, 5-minute window", "2026-11-25T11:50:00Z", 300, "tooOld"],
    ["a change 4 minutes ahead (clock skew)", "2026-11-25T12:04:00Z", undefined, "ok"],
    ["a change an hour ahead", "2026-11-25T13:00:00Z", undefined, "inFuture"],
    ["an offset of +00:00", "2026-11-25T11:59:00+00:00", undefined, "ok"],
    ["no date", undefined, undefined, "missing"],
    ["an empty date", "", undefined, "missing"],
    ["a local time without a zone", "2026-11-25T11:59:00", undefined, "invalid"],
    ["another zone", "2026-11-25T20:59:00+09:00", undefined, "invalid"],
    ["not a date", "yesterday", undefined, "invalid"],
    ["an impossible date", "2026-13-45T11:59:00Z", undefined, "invalid"],
  ];
  it.each(cases)("%s", (_, date, maxAge, expected) => {
    const result = checkWebhookFreshness(date, now, maxAge);
    expect(result.ok ? "ok" : result.reason).toBe(expected);
    if (!result.ok) expect(result.message.length).toBeGreaterThan(20);
  });
});
