import * as schema from "../../solution/schema";
import { evaluateReadiness } from "../../domain/readinessRules";
import { isoTables } from "../../domain/isoTables";
import { createReferenceData } from "../../domain/referenceData";
import { cachedReferenceData, fetchIsoTables } from "../../controls/shared/isoTablesLoader";
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

/** jsdom has no fetch/Response: just what fetchIsoTables uses. */
function response(body: string, status: number) {
  return { ok: status >= 200 && status < 300, status, json: () => Promise.resolve(JSON.parse(body) as unknown) };
}

describe("ISO tables loader", () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it("fetches the web resource once and builds the reference data from it", async () => {
    const fetchMock = jest.fn(() => Promise.resolve(response(JSON.stringify(isoTables), 200)));
    globalThis.fetch = fetchMock as unknown as typeof fetch;
    const reference = cachedReferenceData(fetchIsoTables("/WebResources/pcs_/data/isoTables.json"));
    const [a, b] = await Promise.all([reference(), reference()]);
    expect(a).toBe(b);
    expect(a.resolveCountry("South Korea")).toEqual({ ok: true, code: "KR" });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]).toEqual(["/WebResources/pcs_/data/isoTables.json", { credentials: "same-origin" }]);
  });

  it("reports a failed load and tries again on the next call", async () => {
    const fetchMock = jest
      .fn()
      .mockResolvedValueOnce(response("{}", 404))
      .mockResolvedValueOnce(response(JSON.stringify(isoTables), 200));
    globalThis.fetch = fetchMock as unknown as typeof fetch;
    const reference = cachedReferenceData(fetchIsoTables("/x.json"));
    await expect(reference()).rejects.toThrow("/x.json: HTTP 404");
    await expect(reference()).resolves.toBeDefined();
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
