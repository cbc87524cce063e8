import { formatMessage } from "../../domain/messages";
import { FORM_MESSAGE_KEYS, formatWhen, formText, localizeMessage } from "../../webresources/src/formMessages";
import { resultNotices } from "../../webresources/src/syncRunner";
import { syncResponse } from "./fakeProxy";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the form script's English/Korean catalogue", () => {
  it.each(FORM_MESSAGE_KEYS)("%s has both languages with the same placeholders", (key) => {
    const en = formText(key, "en");
    const ko = formText(key, "ko");
    expect(en.trim()).not.toBe("");
    expect(ko.trim()).not.toBe("");
    expect(placeholders(ko)).toEqual(placeholders(en));
    if (!/^(detail\.status)$/.test(key)) expect(ko).not.toBe(en);
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(formText("failure.throttled", "en", { seconds: 7 })).toBe(
      "The referral service is busy. Try again in 7 seconds.",
    );
    expect(formText("failure.throttled", "en")).toBe("The referral service is busy. Try again in {seconds} seconds.");
  });

  it("localizes a proxy message from the domain catalogue, this catalogue, or shows an unknown key with its values", () => {
    expect(localizeMessage({ key: "readiness.solution.missing", params: {} }, "ko")).toBe(
      formatMessage("readiness.solution.missing", "ko"),
    );
    expect(localizeMessage({ key: "result.disabled", params: {} }, "en")).toBe(formText("result.disabled", "en"));
    expect(localizeMessage({ key: "proxy.newThing", params: { a: 1, b: "x" } }, "en")).toBe("proxy.newThing: 1, x");
  });

  it("formats retry times per language, and says 'shortly' without one", () => {
    expect(formatWhen(null, "en")).toBe("shortly");
    expect(formatWhen("not a date", "ko")).toBe("잠시 후");
    expect(formatWhen("2026-11-26T00:05:00Z", "ko")).toMatch(/2026/);
  });

  it("every outcome of the contract has a notification, at the right level", () => {
    const levels = (["created", "updated", "unchanged", "deferred", "retrying", "failed", "disabled"] as const).map(
      (outcome) => [outcome, resultNotices({ kind: "response", response: syncResponse({ outcome }) }, "en")[0]?.level],
    );
    expect(levels).toEqual([
      ["created", "INFO"],
      ["updated", "INFO"],
      ["unchanged", "INFO"],
      ["deferred", "WARNING"],
      ["retrying", "WARNING"],
      ["failed", "ERROR"],
      ["disabled", "INFO"],
    ]);
  });

  it("a notice the proxy adds to a success is shown after the headline", () => {
    const notices = resultNotices(
      {
        kind: "response",
        response: syncResponse({
          outcome: "updated",
          referralId: "R-1",
          message: { key: "patch.unpatchable", params: { fields: "name" } },
        }),
      },
      "en",
    );
    expect(notices).toEqual([
      { level: "INFO", text: "Partner Center referral R-1 updated." },
      { level: "INFO", text: formatMessage("patch.unpatchable", "en", { fields: "name" }) },
    ]);
  });
});
