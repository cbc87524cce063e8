import * as schema from "../../solution/schema";
import { evaluateReadiness } from "../../domain/readinessRules";
import { isoTables } from "../../domain/isoTables";
import { createReferenceData } from "../../domain/referenceData";
import {
  cachedReadinessPack,
  READINESS_PACK_CONTRACT,
  READINESS_PACK_GLOBAL,
  scriptReadinessPack,
} from "../../controls/shared/readinessPack";
import { createReadinessPack } from "../../controls/shared/readinessPackModule";
import { OPPORTUNITY_QUERY, safeHttpUrl, salesTeamQuery, toSnapshot } from "../../controls/shared/opportunityReader";
import { inUserZone } from "../../controls/shared/strings";
import { auditQuery, nextLinkOptions, quotaKey, SUMMARY_SELECT } from "../../controls/SyncStatusPanel/panelData";
import { MEMBER_ID, OPPORTUNITY_ID, readyOpportunity, teamRows, user } from "./fixtures";

describe("what the controls read names only columns solution/schema defines", () => {
  const columns = (table: string) => {
    const t = schema.tableByLogicalName(table);
    if (!t) throw new Error(table);
    return new Set(t.columns.map((c) => c.logicalName));
  };
  const selects = (query: string) => [...query.matchAll(/\$select=([\w,]+)/g)].flatMap((m) => m[1]!.split(","));

  it("opportunity summary", () => {
    const opportunity = columns("opportunity");
    for (const column of selects(SUMMARY_SELECT)) {
      expect({ column, known: opportunity.has(column) }).toEqual({ column, known: true });
    }
  });

  it("audit rows", () => {
    const audit = columns("pcs_referralsyncaudit");
    for (const column of selects(auditQuery(OPPORTUNITY_ID, { failuresOnly: true, direction: "CrmToPartnerCenter" }))) {
      expect({ column, known: audit.has(column) }).toEqual({ column, known: true });
    }
  });

  it("the opportunity's own columns in the readiness read", () => {
    const opportunity = columns("opportunity");
    const own = /^\?\$select=([\w,]+)/.exec(OPPORTUNITY_QUERY)?.[1]?.split(",") ?? [];
    expect(own.length).toBeGreaterThan(5);
    for (const column of own) expect({ column, known: opportunity.has(column) }).toEqual({ column, known: true });
    expect(salesTeamQuery(OPPORTUNITY_ID)).toContain(`_regardingobjectid_value eq ${OPPORTUNITY_ID}`);
  });
});

describe("opportunity reader", () => {
  it("flattens a Web API row into a snapshot that passes the rules", () => {
    const read = toSnapshot(OPPORTUNITY_ID, readyOpportunity(), teamRows([user(MEMBER_ID, { fullname: "지우 김" })]));
    expect(read.snapshot.account?.address.country).toBe("대한민국");
    expect(read.snapshot.salesTeam.map((p) => p.fullName)).toEqual(["지우 김"]);
    expect(read.snapshot.solutions[0]?.solutionId).toBe("SOL-AZ-0001");
    const report = evaluateReadiness(read.snapshot, {
      now: new Date("2026-11-25T09:00:00Z"),
      hasReferral: false,
      reference: createReferenceData(isoTables),
    });
    expect(report.failures).toEqual([]);
    expect(report.countryCode).toBe("KR");
  });

  it("maps state codes and a team owner", () => {
    const read = toSnapshot(
      OPPORTUNITY_ID,
      readyOpportunity({ statecode: 2, owninguser: null, owningteam: { teamid: "t", name: "T" } }),
      [],
    );
    expect(read.snapshot.state).toBe("lost");
    expect(read.snapshot.owner).toMatchObject({ kind: "team", fullName: "T" });
  });

  it.each([
    ["https://partner.microsoft.com/x", "https://partner.microsoft.com/x"],
    ["javascript:alert(1)", null],
    ["data:text/html,<b>x</b>", null],
    ["not a url", null],
    [null, null],
  ])("safeHttpUrl(%p) = %p", (input, expected) => {
    expect(safeHttpUrl(input)).toBe(expected);
  });
});

describe("panel queries", () => {
  it("orders newest first and filters on the server", () => {
    const q = auditQuery(OPPORTUNITY_ID, { failuresOnly: true, direction: "PartnerCenterToCrm" });
    expect(q).toContain("$orderby=createdon desc");
    expect(q).toContain(`pcs_direction eq ${schema.AUDIT_DIRECTION_VALUES.PartnerCenterToCrm}`);
    expect(auditQuery(OPPORTUNITY_ID, { failuresOnly: false, direction: null })).not.toContain("pcs_result eq");
  });

  it("turns a nextLink into retrieveMultipleRecords options and keys the quota by UTC day", () => {
    expect(nextLinkOptions("https://org/api/data/v9.2/pcs_referralsyncaudits?$select=a&$skiptoken=x")).toBe(
      "?$select=a&$skiptoken=x",
    );
    expect(quotaKey(new Date("2026-11-25T23:59:59+09:00"))).toBe("quota:2026-11-25");
  });
});

describe("readiness pack loader", () => {
  const scope = window as unknown as Record<string, unknown>;
  const scripts = () => [...document.head.querySelectorAll("script")];
  afterEach(() => {
    delete scope[READINESS_PACK_GLOBAL];
    scripts().forEach((s) => s.remove());
  });
  /** jsdom does not fetch scripts: play the browser's part for the last script element added. */
  const settle = (outcome: "load" | "error", install?: unknown) => {
    const script = scripts().at(-1);
    if (!script) throw new Error("no script element was added");
    if (install !== undefined) scope[READINESS_PACK_GLOBAL] = install;
    script.dispatchEvent(new Event(outcome));
  };

  it("adds one script element for the web resource and reads the pack it installs", async () => {
    const load = cachedReadinessPack(scriptReadinessPack("/WebResources/pcs_/scripts/readinessPack.js"));
    const both = Promise.all([load(), load()]);
    expect(scripts().map((s) => s.getAttribute("src"))).toEqual(["/WebResources/pcs_/scripts/readinessPack.js"]);
    const pack = createReadinessPack();
    settle("load", pack);
    const [a, b] = await both;
    expect(a).toBe(pack);
    expect(b).toBe(pack);
  });

  it("reuses a pack already on the page without loading it again", async () => {
    scope[READINESS_PACK_GLOBAL] = createReadinessPack();
    await expect(scriptReadinessPack("/x.js")()).resolves.toBe(scope[READINESS_PACK_GLOBAL]);
    expect(scripts()).toHaveLength(0);
  });

  it("reports a failed load and tries again on the next call", async () => {
    const load = cachedReadinessPack(scriptReadinessPack("/x.js"));
    const first = load();
    settle("error");
    await expect(first).rejects.toThrow("/x.js could not be loaded.");
    const second = load();
    settle("load", createReadinessPack());
    await expect(second).resolves.toHaveProperty("contract", READINESS_PACK_CONTRACT);
  });

  it("refuses a pack of another contract (a toggle and a pack from different releases)", async () => {
    const load = scriptReadinessPack("/x.js");
    const pending = load();
    settle("load", { contract: READINESS_PACK_CONTRACT + 1, evaluate: () => null });
    await expect(pending).rejects.toThrow(`contract ${READINESS_PACK_CONTRACT}`);
  });
});

describe("times in the user's Dataverse time zone", () => {
  it("shifts a UTC instant so the browser shows the user's wall time", () => {
    const utc = new Date("2026-11-25T23:30:00Z");
    const seoul = inUserZone(utc, 540); // UTC+9
    expect([seoul.getFullYear(), seoul.getMonth() + 1, seoul.getDate(), seoul.getHours(), seoul.getMinutes()]).toEqual([
      2026, 11, 26, 8, 30,
    ]);
    expect(inUserZone(utc, undefined)).toBe(utc);
  });
});
