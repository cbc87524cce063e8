import { createContext, runInContext } from "node:vm";
import { isoTables } from "../../domain/isoTables";
import { evaluateReadiness } from "../../domain/readinessRules";
import { createReferenceData } from "../../domain/referenceData";
import {
  READINESS_PACK_CONTRACT,
  READINESS_PACK_GLOBAL,
  type ReadinessPack,
} from "../../controls/shared/readinessPack";
import { readinessPackCode } from "../../controls/tools/readinessPackBuild";
import { NOW, readySnapshot, snapshotWith } from "../domain/fixtures";

/**
 * The web resource pcs_/scripts/readinessPack.js is the toggle's copy of the rules: build it as the controls
 * build does, run it where no Node or module system exists, and check it answers exactly as the domain does.
 */
describe("readiness pack web resource", () => {
  let code = "";
  let pack: ReadinessPack;
  beforeAll(async () => {
    code = await readinessPackCode(true);
    const scope = createContext({});
    runInContext(code, scope);
    pack = (scope as Record<string, unknown>)[READINESS_PACK_GLOBAL] as ReadinessPack;
  });

  it("installs the pack of the contract the toggle expects", () => {
    expect(pack.contract).toBe(READINESS_PACK_CONTRACT);
    expect(typeof pack.evaluate).toBe("function");
  });

  it("carries the derived tables, not the datasets they come from", () => {
    // The datasets' columns the rules never read (ISO 3166-2 references, the countries using each currency).
    expect(code).not.toContain("ISO 3166-2:");
    expect(code).not.toMatch(/countries:\["/);
    expect(code).toContain(`["KR","KOR","410"]`);
    expect(code).not.toMatch(/require\(/);
  });

  const reference = createReferenceData(isoTables);
  const cases: [string, ReturnType<typeof readySnapshot>][] = [
    ["a ready deal", readySnapshot()],
    ["a Korean country name", snapshotWith((s) => s.account && (s.account.address.country = "대한민국"))],
    ["an ambiguous country", snapshotWith((s) => s.account && (s.account.address.country = "Korea"))],
    ["a currency typed as a name", snapshotWith((s) => s.currency && (s.currency.isoCode = "WON"))],
    ["no solution", snapshotWith((s) => (s.solutions = []))],
    ["a closed deal", snapshotWith((s) => (s.state = "lost"))],
  ];
  it.each(cases)("%s: the same report as the domain", (_, snapshot) => {
    for (const hasReferral of [false, true]) {
      const expected = evaluateReadiness(snapshot, { now: NOW, hasReferral, reference });
      // Through JSON: the report crosses a realm boundary, so compare values, not prototypes.
      expect(JSON.parse(JSON.stringify(pack.evaluate(snapshot, { now: NOW, hasReferral })))).toEqual(
        JSON.parse(JSON.stringify(expected)),
      );
    }
  });
});
