import { validateCurrency, type CurrencyValidation } from "../../domain";

describe("validateCurrency", () => {
  const cases: [string, string | null, CurrencyValidation][] = [
    ["USD", "USD", { ok: true, code: "USD", minorDigits: 2 }],
    ["KRW has no minor unit", "KRW", { ok: true, code: "KRW", minorDigits: 0 }],
    ["lowercase", "eur", { ok: true, code: "EUR", minorDigits: 2 }],
    ["padded", " JPY ", { ok: true, code: "JPY", minorDigits: 0 }],
    ["WON is a name, not a code", "WON", { ok: false, reason: "suggest", candidates: ["KPW", "KRW"] }],
    ["yen", "yen", { ok: false, reason: "suggest", candidates: ["JPY"] }],
    ["gold is not a deal currency", "XAU", { ok: false, reason: "invalid" }],
    ["testing code", "XTS", { ok: false, reason: "invalid" }],
    ["symbol", "US$", { ok: false, reason: "invalid" }],
    ["unassigned code", "ABC", { ok: false, reason: "invalid" }],
    ["four letters", "KRWX", { ok: false, reason: "invalid" }],
    ["empty", "", { ok: false, reason: "missing" }],
    ["null", null, { ok: false, reason: "missing" }],
  ];
  it.each(cases)("%s: %p", (_name, input, expected) => {
    expect(validateCurrency(input)).toEqual(expected);
  });
});
