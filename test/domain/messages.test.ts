import { formatMessage, languageFromLcid, lcidOf, MESSAGE_KEYS, messageTemplate } from "../../domain";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogue", () => {
  it.each(MESSAGE_KEYS)("%s has English and Korean text with the same placeholders", (key) => {
    const en = messageTemplate(key, "en");
    const ko = messageTemplate(key, "ko");
    expect(en.trim().length).toBeGreaterThan(0);
    expect(ko).toMatch(/\p{Script=Hangul}/u);
    expect(placeholders(ko)).toEqual(placeholders(en));
  });

  it("fills parameters and leaves an unfilled placeholder visible", () => {
    expect(formatMessage("readiness.value.notPositive", "en", { value: -5 })).toBe(
      "The estimated revenue is -5; it must be greater than 0.",
    );
    expect(formatMessage("readiness.value.notPositive", "en")).toContain("{value}");
  });

  it.each([
    [1033, "en"],
    [1042, "ko"],
    [1036, "en"],
    [null, "en"],
  ] as const)("LCID %p → %s", (lcid, language) => {
    expect(languageFromLcid(lcid)).toBe(language);
    if (lcid === 1033 || lcid === 1042) expect(lcidOf(language)).toBe(lcid);
  });
});
