import type { DynamicsWebApi } from "dynamics-web-api";
import type { DataverseEmulator } from "../emulators/dataverse/server";
import { clientFor, failure, SEED, startEmulator } from "./fixture";

let emulator: DataverseEmulator;
let api: DynamicsWebApi;

beforeAll(async () => {
  emulator = await startEmulator();
  api = clientFor(emulator);
});
afterAll(() => emulator.close());

describe("bad OData answers 400 naming the problem (through dynamics-web-api)", () => {
  const cases: [string, Parameters<DynamicsWebApi["retrieveMultiple"]>[0], string][] = [
    [
      "unknown $select property",
      { collection: "accounts", select: ["nmae"] },
      "Could not find a property named 'nmae' on type 'Microsoft.Dynamics.CRM.account'.",
    ],
    [
      "lookup selected without _value",
      { collection: "opportunities", select: ["parentcontactid"] },
      "Could not find a property named 'parentcontactid'",
    ],
    [
      "unknown $filter property",
      { collection: "accounts", filter: "countr eq 'KR'" },
      "Could not find a property named 'countr'",
    ],
    [
      "type mismatch in $filter",
      { collection: "accounts", filter: "numberofemployees eq 'many'" },
      "Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'",
    ],
    [
      "GUID compared with a string",
      { collection: "accounts", filter: "accountid eq 'abc'" },
      "'Edm.Guid' and 'Edm.String'",
    ],
    [
      "unknown function",
      { collection: "accounts", filter: "substringof('a',name)" },
      "An unknown function with name 'substringof' was found",
    ],
    [
      "contains on a number",
      { collection: "accounts", filter: "contains(numberofemployees,'1')" },
      "No function signature for the function with name 'contains'",
    ],
    ["syntax error", { collection: "accounts", filter: "name eq 'a' and" }, "Expression expected at position 15"],
    ["unterminated string", { collection: "accounts", filter: "name eq 'a" }, "Unterminated string literal"],
    [
      "unknown $orderby property",
      { collection: "accounts", orderBy: ["size desc"] },
      "Could not find a property named 'size'",
    ],
    [
      "unknown $expand navigation",
      { collection: "opportunities", expand: [{ property: "customer" }] },
      "Could not find a property named 'customer' on type 'Microsoft.Dynamics.CRM.opportunity'",
    ],
    [
      "bad nested $select",
      { collection: "opportunities", expand: [{ property: "parentcontactid", select: ["mail"] }] },
      "Could not find a property named 'mail' on type 'Microsoft.Dynamics.CRM.contact'",
    ],
  ];
  it.each(cases)("%s", async (_name, request, message) => {
    const e = await failure(api.retrieveMultiple(request));
    expect(e.status).toBe(400);
    expect(e.code).toBe("0x80060888");
    expect(e.message).toContain(message);
  });

  it("answers 404 for an unknown entity set", async () => {
    const e = await failure(api.retrieveMultiple({ collection: "oppurtunities" }));
    expect(e.status).toBe(404);
    expect(e.message).toBe("Resource not found for the segment 'oppurtunities'.");
  });

  it("refuses an unknown property in a body", async () => {
    const e = await failure(api.create({ collection: "accounts", data: { name: "x", colour: "red" } }));
    expect(e.status).toBe(400);
    expect(e.message).toContain("The property 'colour' does not exist on type 'Microsoft.Dynamics.CRM.account'");
  });
});

describe("lookups in bodies", () => {
  it("refuses a navigation property without @odata.bind and clearing the owner", async () => {
    const deep = await failure(
      api.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { parentcontactid: null },
      }),
    );
    expect(deep.status).toBe(400);
    expect(deep.message).toContain("parentcontactid@odata.bind");
    const owner = await failure(
      api.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { "ownerid@odata.bind": null },
      }),
    );
    expect(owner.status).toBe(400);
    expect(owner.message).toContain("owner");
  });

  it("clears a lookup with nav@odata.bind: null", async () => {
    expect(
      await api.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { "parentcontactid@odata.bind": null },
      }),
    ).toBe(true);
    const row = await api.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      select: ["_parentcontactid_value"],
    });
    expect(row._parentcontactid_value).toBeNull();
  });
});

describe("malformed HTTP (hand-written on purpose) gets a 4xx JSON error, never a 500", () => {
  const send = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${emulator.apiUrl}${path}`, {
      method,
      headers: { authorization: "Bearer t", "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body }),
    });
    return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
  };

  it.each([
    ["invalid JSON body", "POST", "accounts", "{name:", "not valid JSON"],
    ["array body", "POST", "accounts", "[]", "must be a JSON object"],
    ["bad key", "GET", "accounts(not-a-guid)", undefined, "Invalid key 'not-a-guid'"],
    ["undefined alternate key", "GET", "accounts(name='x')", undefined, "not a defined alternate key"],
    ["bad $top", "GET", "accounts?$top=-1", undefined, "$top query option requires a non-negative integer"],
    ["unknown system query option", "GET", "accounts?$foo=1", undefined, "'$foo' is not supported"],
    ["repeated query option", "GET", "accounts?$top=1&$top=2", undefined, "more than once"],
    [
      "unbalanced $expand",
      "GET",
      "opportunities?$expand=parentcontactid($select=fullname",
      undefined,
      "Unbalanced parentheses",
    ],
    ["bad maxpagesize", "GET", "accounts", undefined, "odata.maxpagesize"],
    ["bad batch content type", "POST", "$batch", "x", "multipart/mixed;boundary"],
  ])("%s", async (_name, method, path, body, message) => {
    const headers: Record<string, string> = _name === "bad maxpagesize" ? { prefer: "odata.maxpagesize=zero" } : {};
    const r = await send(method, path, body, headers);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(message);
  });

  it("answers 401 without a bearer token", async () => {
    const response = await fetch(`${emulator.apiUrl}accounts`);
    expect(response.status).toBe(401);
  });

  it("answers 404 outside the Web API root", async () => {
    const response = await fetch(`${emulator.url}/api/data/v9.0/accounts`, { headers: { authorization: "Bearer t" } });
    expect(response.status).toBe(404);
  });

  it("If-Match on a missing row is 404 and a stale If-Match is 412 with the platform code", async () => {
    const missing = await send("PATCH", "accounts(acc00000-0000-4000-8000-0000000000cc)", '{"name":"x"}', {
      "if-match": "*",
    });
    expect(missing.status).toBe(404);
    const stale = await send("PATCH", `accounts(${SEED.accounts.contoso})`, '{"name":"x"}', { "if-match": 'W/"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe("0x80060882");
  });
});
