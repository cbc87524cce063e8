import { readFileSync } from "node:fs";
import * as path from "node:path";
import { evaluateReadiness } from "../../domain/readinessRules";
import { defaultReferenceData } from "../../domain/defaultReferenceData";
import { readOpportunity } from "../../plugins-ts/src/dataverse/snapshotReader";
import { tableByLogicalName } from "../../solution/schema";
import { readEnvironmentVariables } from "../../webresources/src/environmentVariables";
import { readFormSnapshot } from "../../webresources/src/formSnapshot";
import { clientFor, SEED, startEmulator } from "../dataverse/fixture";
import type { DataverseEmulator } from "../emulators/dataverse/server";
import { FormHarness, type FormValues } from "./formHarness";

/**
 * The form script's Xrm.WebApi queries run against the Dataverse emulator (which the sandbox's Xrm will use),
 * through an Xrm.WebApi over HTTP. The snapshot the form builds must equal the one the proxy reads for the
 * same row, so the toggle, the form and the proxy judge readiness on the same facts.
 */

type Row = Record<string, unknown>;

function webApiOver(emulator: DataverseEmulator, token: string): Xrm.WebApi {
  const get = async (relative: string): Promise<Row> => {
    const response = await fetch(`${emulator.apiUrl}${relative}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json", "OData-Version": "4.0" },
    });
    const body = (await response.json()) as Row;
    if (!response.ok) throw { errorCode: response.status, message: (body.error as { message?: string })?.message };
    return body;
  };
  const setOf = (table: string) => tableByLogicalName(table)!.entitySetName;
  return {
    retrieveRecord: (table: string, id: string, options = "") => get(`${setOf(table)}(${id})${options}`),
    retrieveMultipleRecords: async (table: string, options = "") => {
      const body = await get(`${setOf(table)}${options}`);
      return { entities: body.value as Row[] };
    },
  } as unknown as Xrm.WebApi;
}

const seed = JSON.parse(readFileSync(path.join(__dirname, "../emulators/dataverse/seed/seed.json"), "utf8")) as {
  rows: Record<string, Row[]>;
};

/** The form's values for a seeded opportunity, as the form would hold them. */
function formValuesOf(id: string): FormValues {
  const row = seed.rows.opportunity!.find((o) => o.opportunityid === id)!;
  const lookup = (value: unknown) => {
    const ref = value as { table: string; id: string } | undefined;
    // The form's lookup carries the row's primary name (only a team owner's name reaches the snapshot).
    const team = ref?.table === "team" ? seed.rows.team!.find((t) => t.teamid === ref.id) : undefined;
    return ref ? { id: `{${ref.id.toUpperCase()}}`, entityType: ref.table, name: (team?.name as string) ?? "x" } : null;
  };
  const date = typeof row.estimatedclosedate === "string" ? row.estimatedclosedate.split("-").map(Number) : null;
  return {
    name: row.name ?? null,
    description: row.description ?? null,
    estimatedvalue: row.estimatedvalue ?? null,
    estimatedclosedate: date ? new Date(date[0]!, date[1]! - 1, date[2]!) : null,
    transactioncurrencyid: lookup(row.transactioncurrencyid),
    customerid: lookup(row.customerid),
    parentaccountid: lookup(row.parentaccountid),
    parentcontactid: lookup(row.parentcontactid),
    ownerid: lookup(row.ownerid),
    statecode: row.statecode ?? 0,
    pcs_microsofthelp: row.pcs_microsofthelp ?? null,
    pcs_sharewithmicrosoftsellers: row.pcs_sharewithmicrosoftsellers === true,
    pcs_syncwithpartnercenter: false,
  };
}

describe("form snapshot against the Dataverse emulator", () => {
  let emulator: DataverseEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ tokens: { "seller-token": SEED.users.jiwoo } });
  });
  afterAll(() => emulator.close());

  it.each(Object.entries(SEED.opportunities))(
    "%s: the form and the proxy build the same snapshot and verdict",
    async (_name, id) => {
      const form = new FormHarness({ values: formValuesOf(id), id });
      const webApi = webApiOver(emulator, "seller-token");
      const before = emulator.requestCount();
      const fromForm = await readFormSnapshot(form.fc, webApi);
      expect(emulator.requestCount() - before).toBeLessThanOrEqual(6);
      const fromProxy = (await readOpportunity(clientFor(emulator), id))!.snapshot;
      const comparable = (s: typeof fromForm) => ({
        ...s,
        modifiedOn: null,
        salesTeam: [...s.salesTeam].sort((a, b) => a.id.localeCompare(b.id)),
        solutions: [...s.solutions].sort((a, b) => a.id.localeCompare(b.id)),
      });
      expect(comparable(fromForm)).toEqual(comparable(fromProxy));
      const ctx = { now: new Date("2026-11-25T12:00:00Z"), hasReferral: false, reference: defaultReferenceData() };
      expect(evaluateReadiness(fromForm, ctx).failures).toEqual(evaluateReadiness(fromProxy, ctx).failures);
    },
  );

  it("the seeded ready opportunity is ready, the seeded not-ready one is not", async () => {
    const webApi = webApiOver(emulator, "seller-token");
    const ctx = { now: new Date("2026-11-25T12:00:00Z"), hasReferral: false, reference: defaultReferenceData() };
    const ready = await readFormSnapshot(
      new FormHarness({ values: formValuesOf(SEED.opportunities.contosoReady) }).fc,
      webApi,
    );
    expect(evaluateReadiness(ready, ctx).failures).toEqual([]);
    const notReady = await readFormSnapshot(
      new FormHarness({
        values: formValuesOf(SEED.opportunities.northwindNotReady),
        id: SEED.opportunities.northwindNotReady,
      }).fc,
      webApi,
    );
    expect(evaluateReadiness(notReady, ctx).ready).toBe(false);
  });

  it("reads the product's environment variables in one request", async () => {
    const before = emulator.requestCount();
    const values = await readEnvironmentVariables(webApiOver(emulator, "seller-token"));
    expect(emulator.requestCount() - before).toBe(1);
    expect(values).toMatchObject({
      pcs_PartnerCenterPortalBaseUrl: "https://partner.microsoft.com/dashboard/referrals/v2/leads",
      pcs_DevelopmentIssuerUrl: null,
    });
    expect(Object.keys(values)).toContain("pcs_ProxyUrl");
  });
});
