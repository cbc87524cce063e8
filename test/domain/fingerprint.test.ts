import {
  canonicalJson,
  changedPaths,
  fingerprintOf,
  parseFingerprint,
  projectSnapshot,
  PROJECTION_PATHS,
  serializeFingerprint,
} from "../../domain";
import { readySnapshot, snapshotWith } from "./fixtures";

const codes = { countryCode: "KR", currencyCode: "USD" };

describe("fingerprint", () => {
  it("canonical JSON ignores key order and undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, "x"], c: undefined } })).toBe(canonicalJson({ a: { d: [1, "x"] }, b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
  });

  it("round-trips through its stored text", () => {
    const text = fingerprintOf(projectSnapshot(readySnapshot(), codes));
    const parsed = parseFingerprint(text);
    expect(parsed.ok && parsed.fingerprint && serializeFingerprint(parsed.fingerprint)).toBe(text);
    expect(text.length).toBeLessThan(300); // fits comfortably in a Dataverse text column
  });

  const bad: [string, string][] = [
    ["other version", "v9:abc"],
    ["too few digests", "v1:0123456789abcdef"],
    ["not hex", `v1:${Array(PROJECTION_PATHS.length).fill("zzzzzzzzzzzzzzzz").join(".")}`],
    ["extra separator", `v1:${Array(PROJECTION_PATHS.length).fill("0123456789abcdef").join(".")}:x`],
  ];
  it.each(bad)("reports a corrupt fingerprint (%s) instead of reading it as 'no change'", (_name, text) => {
    expect(parseFingerprint(text).ok).toBe(false);
  });

  it("reads an empty fingerprint as never synced: every path changed", () => {
    const parsed = parseFingerprint("  ");
    expect(parsed).toEqual({ ok: true, fingerprint: null });
    expect(changedPaths(null, projectSnapshot(readySnapshot(), codes))).toEqual([...PROJECTION_PATHS]);
  });

  it("names exactly the paths that changed", () => {
    const parsed = parseFingerprint(fingerprintOf(projectSnapshot(readySnapshot(), codes)));
    const edited = projectSnapshot(
      snapshotWith((s) => ((s.estimatedValue = 1), (s.name = "Renamed"))),
      codes,
    );
    expect(parsed.ok && changedPaths(parsed.fingerprint, edited)).toEqual(["/name", "/details/dealValue"]);
  });
});
