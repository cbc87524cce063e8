import { resolveCountry, type CountryResolution } from "../../domain";

describe("resolveCountry", () => {
  const cases: [string, string | null, CountryResolution][] = [
    ["alpha-2 code", "KR", { ok: true, code: "KR" }],
    ["lowercase alpha-2", "kr", { ok: true, code: "KR" }],
    ["padded alpha-2", "  us ", { ok: true, code: "US" }],
    ["alpha-3 code", "KOR", { ok: true, code: "KR" }],
    ["numeric code", "410", { ok: true, code: "KR" }],
    ["English name", "South Korea", { ok: true, code: "KR" }],
    ["ISO English name", "Korea, Republic of", { ok: true, code: "KR" }],
    ["name in another case and spacing", "  republic   of KOREA ", { ok: true, code: "KR" }],
    ["Korean name", "대한민국", { ok: true, code: "KR" }],
    ["Korean name of Germany", "독일", { ok: true, code: "DE" }],
    ["common alias", "UK", { ok: true, code: "GB" }],
    ["alias with dots", "U.S.A.", { ok: true, code: "US" }],
    ["accents do not matter", "Cote d'Ivoire", { ok: true, code: "CI" }],
    ["ambiguous: Korea", "Korea", { ok: false, reason: "ambiguous", candidates: ["KP", "KR"] }],
    ["ambiguous: Congo", "Congo", { ok: false, reason: "ambiguous", candidates: ["CD", "CG"] }],
    ["ambiguous: Virgin Islands", "Virgin Islands", { ok: false, reason: "ambiguous", candidates: ["VG", "VI"] }],
    ["everyday Korean name", "한국", { ok: true, code: "KR" }],
    ["partial Korean name is only a suggestion", "대한", { ok: false, reason: "suggest", candidates: ["KR"] }],
    [
      "partial Korean name shared by two countries",
      "민국",
      { ok: false, reason: "ambiguous", candidates: ["KR", "TW"] },
    ],
    ["Korean name of North Korea", "북한", { ok: true, code: "KP" }],
    ["unknown name", "Atlantis", { ok: false, reason: "unknown" }],
    ["two letters that are no code", "XQ", { ok: false, reason: "unknown" }],
    ["markup", "<script>alert(1)</script>", { ok: false, reason: "unknown" }],
    ["empty", "", { ok: false, reason: "missing" }],
    ["whitespace only", "   \t ", { ok: false, reason: "missing" }],
    ["null", null, { ok: false, reason: "missing" }],
    ["10,000 characters", "Korea".repeat(2000), { ok: false, reason: "unknown" }],
  ];
  it.each(cases)("%s: %p", (_name, input, expected) => {
    expect(resolveCountry(input)).toEqual(expected);
  });
});
