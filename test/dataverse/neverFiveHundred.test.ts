import type { DataverseEmulator } from "../emulators/dataverse/server";
import { SEED, startEmulator } from "./fixture";

/**
 * "Never a 500 for bad input": malformed requests, hand-written on purpose (no client would send them),
 * plus a deterministic pseudo-random mix of query fragments. Every answer must be a 4xx with a
 * Dataverse-shaped error naming something.
 */

let emulator: DataverseEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

async function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.apiUrl}${path}`, {
    method,
    headers: { authorization: "Bearer t", "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, text };
}

const OPP = SEED.opportunities.contosoReady;

const CASES: [string, string, string?, Record<string, string>?][] = [
  ["GET", "opportunities?$filter=(((name eq 'a'"],
  ["GET", "opportunities?$filter=name eq 'a' or"],
  ["GET", "opportunities?$filter=not"],
  ["GET", "opportunities?$filter=contains(name)"],
  ["GET", "opportunities?$filter=contains('a',name)"],
  ["GET", "opportunities?$filter=estimatedvalue gt 1e999999"],
  ["GET", "opportunities?$filter=createdon gt 2026-13-45T99:99:99Z"],
  ["GET", "opportunities?$filter=name eq @p1"],
  ["GET", "opportunities?$filter=pcs_opportunity_microsoftsolution/pcs_name eq 'x'"],
  ["GET", "opportunities?$expand=pcs_opportunity_microsoftsolution($filter=pcs_name eq)"],
  ["GET", "opportunities?$expand=parentcontactid($top=1)"],
  ["GET", "opportunities?$expand=parentcontactid($expand=nope)"],
  ["GET", "opportunities?$expand=,"],
  ["GET", "opportunities?$select="],
  ["GET", "opportunities?$orderby=name sideways"],
  ["GET", "opportunities?$top=abc"],
  ["GET", "opportunities?$count=maybe"],
  ["GET", "opportunities?$skiptoken=garbage"],
  ["GET", `opportunities(${OPP})?$filter=name eq 'x'`],
  ["GET", `opportunities(${OPP})/nope`],
  ["GET", `opportunities(${OPP})/parentcontactid/$ref/extra`],
  ["GET", "opportunities(00000000-0000-0000-0000-000000000000)/$count"],
  ["GET", "opportunities()"],
  ["GET", "opportunities('x')"],
  ["GET", "EntityDefinitions(LogicalName='opportunity')/Attributes/Microsoft.Dynamics.CRM.Nope"],
  ["GET", "EntityDefinitions(LogicalName='opportunity')?$filter=LogicalName gt 'a'"],
  ["POST", "opportunities", "null"],
  ["POST", "opportunities", '"text"'],
  ["POST", "opportunities", '{"name": 5}'],
  ["POST", "opportunities", '{"estimatedclosedate": "2027-02-30"}'],
  ["POST", "opportunities", '{"estimatedclosedate": "tomorrow"}'],
  ["POST", "opportunities", '{"pcs_lastsyncon": "2026-11-25T24:30:00Z"}'],
  ["GET", "opportunities?$filter=createdon gt 2026-02-30T00:00:00Z"],
  ["POST", "opportunities", '{"createdon": "2020-01-01T00:00:00Z", "name": ["a"]}'],
  ["POST", "opportunities", '{"customerid_account@odata.bind": 5}'],
  ["POST", "opportunities", '{"customerid_account@odata.bind": "/accounts(nope)"}'],
  ["POST", "opportunities", '{"customerid_account@odata.bind": "javascript:alert(1)"}'],
  ["POST", "opportunities", '{"pcs_opportunity_microsoftsolution@odata.bind": "/pcs_microsoftsolutions(x)"}'],
  ["POST", "opportunities", '{"opportunityid": "not-a-guid"}'],
  ["POST", "opportunities", '{"estimatedvalue": 1e300}'],
  ["POST", "opportunities", '{"pcs_syncattempt": 1.5}'],
  ["POST", "opportunities", "{"],
  ["PATCH", `opportunities(${OPP})`, '{"opportunityid": "0bb00000-0000-4000-8000-0000000000aa"}'],
  ["PATCH", `opportunities(${OPP})`, "{}", { "if-match": "*", "if-none-match": "*" }],
  ["PATCH", "opportunities", '{"name":"x"}'],
  ["PUT", `opportunities(${OPP})`, '{"name":"x"}'],
  ["DELETE", "opportunities"],
  ["POST", `opportunities(${OPP})/pcs_opportunity_microsoftsolution/$ref`, '{"@odata.id": 7}'],
  [
    "POST",
    `opportunities(${OPP})/pcs_opportunity_microsoftsolution/$ref`,
    `{"@odata.id": "/accounts(${SEED.accounts.contoso})"}`,
  ],
  ["DELETE", `opportunities(${OPP})/pcs_opportunity_microsoftsolution/$ref`],
  ["POST", "WinOpportunity", '{"Status": 3}'],
  [
    "POST",
    "WinOpportunity",
    `{"OpportunityClose": {"opportunityid@odata.bind": "/opportunities(${OPP})"}, "Status": 99}`,
  ],
  ["GET", "WinOpportunity"],
  [
    "POST",
    "$batch",
    "--b\r\nContent-Type: application/http\r\n\r\nNOPE\r\n--b--",
    { "content-type": "multipart/mixed;boundary=b" },
  ],
  ["POST", "$batch", "--b\r\n", { "content-type": "multipart/mixed;boundary=b" }],
  [
    "POST",
    "$batch",
    "--b\r\nContent-Type: multipart/mixed;boundary=c\r\n\r\n--c\r\nContent-Type: application/http\r\n\r\nGET accounts HTTP/1.1\r\n\r\n--c--\r\n--b--",
    { "content-type": "multipart/mixed;boundary=b" },
  ],
  ["GET", "accounts", undefined, { prefer: "odata.maxpagesize=-1" }],
  ["GET", "accounts", undefined, { callerobjectid: "not-a-guid" }],
];

describe("never a 500 for bad input", () => {
  // Every row gets all four arguments: jest-each reads a shorter row as a done-callback test.
  const rows = CASES.map(([method, path, body, headers]) => [method, path, body ?? null, headers ?? {}] as const);
  it.each(rows)("%s %s", async (method, path, body, headers) => {
    const r = await send(method, path, body ?? undefined, headers);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    // A $batch answers in multipart, with the failing part's error inside it.
    const json =
      path === "$batch" && r.text.startsWith("--batchresponse_")
        ? r.text.slice(r.text.indexOf("{"), r.text.lastIndexOf("}") + 1)
        : r.text;
    const error = (JSON.parse(json) as { error: { code: string; message: string } }).error;
    expect(error.code).toMatch(/^0x[0-9a-f]{8}$/);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it("survives a deterministic random mix of query fragments without a 500", async () => {
    const fragments = [
      "name",
      "_ownerid_value",
      "estimatedvalue",
      "createdon",
      "parentcontactid/fullname",
      "eq",
      "ne",
      "gt",
      "and",
      "or",
      "not",
      "(",
      ")",
      "'x'",
      "''''",
      "null",
      "true",
      "1",
      "-2.5",
      "2026-01-01",
      "2026-01-01T00:00:00Z",
      OPP,
      ",",
      "contains(name,'a')",
      "$",
      "%",
    ];
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const statuses = new Set<number>();
    for (let i = 0; i < 150; i++) {
      const length = 1 + (next() % 7);
      const filter = Array.from({ length }, () => fragments[next() % fragments.length]).join(" ");
      const r = await send("GET", `opportunities?$select=name&$filter=${encodeURIComponent(filter)}`);
      statuses.add(r.status);
      if (r.status >= 500) throw new Error(`500 for $filter=${filter}: ${r.text}`);
    }
    expect([...statuses].every((s) => s === 200 || s === 400)).toBe(true);
  });
});
