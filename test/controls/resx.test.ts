import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MESSAGE_KEYS, messageTemplate } from "../../domain/messages";
import { CONTROLS, LCIDS, renderResx, resxEntries, resxPath, staleResx } from "../../controls/tools/resx";

/** Parses a resx as the platform (and componentframework-mock) reads it: data name → value text. */
function parse(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  expect(doc.getElementsByTagName("parsererror")).toHaveLength(0);
  const out = new Map<string, string>();
  for (const data of Array.from(doc.getElementsByTagName("data"))) {
    out.set(data.getAttribute("name") ?? "", data.getElementsByTagName("value")[0]?.textContent ?? "");
  }
  return out;
}

describe("controls' resx files", () => {
  it("are committed exactly as controls/tools/resx.ts generates them (run npm run resx:controls)", () => {
    expect(staleResx()).toEqual([]);
  });

  it.each(CONTROLS)("%s: 1033 and 1042 have the same keys and every value is translated", (control) => {
    const [en, ko] = LCIDS.map((lcid) => parse(readFileSync(resxPath(control, lcid), "utf8")));
    expect([...ko!.keys()]).toEqual([...en!.keys()]);
    for (const [key, value] of en!) {
      expect(value.trim()).not.toBe("");
      if (/[A-Za-z]{4}/.test(value) && !/^(Microsoft CRM ID|HTTP \{status\})$/.test(value)) {
        expect({ key, same: ko!.get(key) === value }).toEqual({ key, same: false });
      }
    }
  });

  it("carry the domain's readiness messages word for word, in both languages", () => {
    const toggle = [1033, 1042].map((lcid) => parse(readFileSync(resxPath("SyncToggle", lcid), "utf8")));
    const panel = [1033, 1042].map((lcid) => parse(readFileSync(resxPath("SyncStatusPanel", lcid), "utf8")));
    for (const key of MESSAGE_KEYS) {
      if (key.startsWith("readiness.")) {
        expect(toggle[0]!.get(key)).toBe(messageTemplate(key, "en"));
        expect(toggle[1]!.get(key)).toBe(messageTemplate(key, "ko"));
      }
      expect(panel[1]!.get(key)).toBe(messageTemplate(key, "ko"));
    }
  });

  it("escape markup, so a value round-trips through the XML parser", () => {
    const xml = renderResx({ k: { en: 'a < b & "c" > d', ko: "가 < 나 & 다" } }, 1033);
    expect(parse(xml).get("k")).toBe('a < b & "c" > d');
  });

  it.each(CONTROLS)("%s: the manifest lists both resx files and every display/description key exists", (control) => {
    const manifest = readFileSync(
      join(__dirname, "..", "..", "controls", control, "ControlManifest.Input.xml"),
      "utf8",
    );
    for (const lcid of LCIDS)
      expect(manifest).toContain(`<resx path="strings/${control}.${lcid}.resx" version="1.0.0" />`);
    const keys = [...manifest.matchAll(/(?:display-name-key|description-key)="([^"]+)"/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    const entries = resxEntries(control);
    for (const key of keys) expect(entries[key]).toBeDefined();
  });
});
