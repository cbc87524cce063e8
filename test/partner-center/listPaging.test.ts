import type { Referral } from "../../domain";
import { PartnerCenterError } from "../../plugins-ts/src/partnerCenter/failureClassification";
import { failureOf, startHarness, validReferral, type Harness } from "./harness";

/** GET /referrals: paging by @odata.nextLink/$skiptoken, @odata.count, $filter, $orderby, $top. */

let h: Harness;
const created: Referral[] = [];
const TOTAL = 260;

beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < TOTAL; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, TOTAL - i) }, () => h.client.createReferral(validReferral())),
    );
    created.push(...batch.map((b) => b.referral));
  }
});

afterAll(async () => {
  await h.pc.close();
});

afterEach(() => {
  expect(h.violations).toEqual([]);
});

async function collect(
  query: Parameters<Harness["client"]["listAll"]>[0],
): Promise<{ pages: number[]; ids: string[]; counts: (number | undefined)[] }> {
  const pages: number[] = [];
  const ids: string[] = [];
  const counts: (number | undefined)[] = [];
  for await (const page of h.client.listAll(query)) {
    pages.push(page.value.length);
    counts.push(page.count);
    ids.push(...page.value.map((r) => r.id));
  }
  return { pages, ids, counts };
}

it(`pages through ${TOTAL} referrals 100 at a time without loss or repeat`, async () => {
  const { pages, ids, counts } = await collect({});
  expect(pages).toEqual([100, 100, TOTAL - 200]);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(ids)).toEqual(new Set(created.map((r) => r.id)));
  expect(counts).toEqual([TOTAL, TOTAL, TOTAL]);
});

it("nextLink carries $skiptoken and the query, and $orderby desc reverses the order", async () => {
  const first = await h.client.listPage({ orderBy: "createdDateTime desc", filter: "status eq 'New'" });
  expect(first.nextLink).toMatch(/\$skiptoken=/);
  expect(decodeURIComponent(first.nextLink!)).toContain("$filter=status eq 'New'");
  const { ids } = await collect({ orderBy: "createdDateTime desc" });
  const byCreation = [...created].sort((a, b) => (a.createdDateTime! < b.createdDateTime! ? 1 : -1)).map((r) => r.id);
  expect(ids).toEqual(byCreation);
});

it("$top limits the total across pages", async () => {
  const { pages, counts } = await collect({ top: 150 });
  expect(pages).toEqual([100, 50]);
  expect(counts[0]).toBe(TOTAL);
});

it("referrals updated while paging by updatedDateTime are neither lost nor, if unchanged, repeated", async () => {
  const seen: string[] = [];
  let touched: string[] = [];
  for await (const page of h.client.listAll({ orderBy: "updatedDateTime asc" })) {
    seen.push(...page.value.map((r) => r.id));
    if (touched.length === 0) {
      // One referral already seen and one not yet seen change between pages.
      const unseen = created.find((r) => !seen.includes(r.id))!;
      touched = [seen[0]!, unseen.id];
      for (const id of touched)
        await h.client.patchReferral(id, [{ op: "add", path: "/details/notes", value: "moved" }]);
    }
  }
  for (const r of created) {
    const times = seen.filter((id) => id === r.id).length;
    if (touched.includes(r.id)) expect(times).toBeGreaterThanOrEqual(1);
    else expect(times).toBe(1);
  }
});

it("filters on updatedDateTime (a watermark), status, externalReferenceId and engagementId", async () => {
  const watermark = created[created.length - 1]!.updatedDateTime!;
  const target = created[5]!;
  const accepted = await h.client.patchReferral(target.id, [
    { op: "replace", path: "/status", value: "Active" },
    { op: "replace", path: "/substatus", value: "Accepted" },
  ]);
  expect(accepted.updatedDateTime! > target.updatedDateTime!).toBe(true);
  const since = await collect({ filter: `updatedDateTime gt ${target.updatedDateTime!} and status eq 'Active'` });
  expect(since.ids).toEqual([target.id]);
  const atChange = await collect({ filter: `updatedDateTime ge ${accepted.updatedDateTime!} and status eq 'Active'` });
  expect(atChange.ids).toEqual([target.id]);
  expect(
    (await collect({ filter: `updatedDateTime gt ${accepted.updatedDateTime!} and status eq 'Active'` })).ids,
  ).toEqual([]);
  const afterWatermark = await collect({ filter: `updatedDateTime gt ${watermark}`, orderBy: "updatedDateTime asc" });
  const everything: Referral[] = [];
  for await (const page of h.client.listAll({})) everything.push(...page.value);
  const expected = everything.filter((r) => r.updatedDateTime! > watermark).map((r) => r.id);
  expect(afterWatermark.ids).toContain(target.id);
  expect(afterWatermark.ids.length).toBeLessThan(everything.length);
  expect(new Set(afterWatermark.ids)).toEqual(new Set(expected));
  expect((await h.client.findByExternalReferenceId(created[7]!.externalReferenceId!)).map((r) => r.id)).toEqual([
    created[7]!.id,
  ]);
  expect((await collect({ filter: `engagementId eq '${created[9]!.engagementId!}'` })).ids).toEqual([created[9]!.id]);
});

it("reads DateTimeOffset literals with any offset, and never follows a nextLink to another host", async () => {
  const t = created[250]!.updatedDateTime!; // e.g. 2026-11-25T20:40:11.8980001Z
  const ms = Date.parse(t);
  const kst = new Date(ms + 9 * 3600_000).toISOString().slice(0, 19) + t.slice(19, 27) + "+09:00";
  const sameInstant = await collect({ filter: `updatedDateTime eq ${kst}` });
  expect(sameInstant.ids).toEqual([created[250]!.id]);
  const e = await failureOf(
    h.client.listPage({ nextLink: "https://attacker.example/v1.0/engagements/referrals?$skiptoken=x" }),
  );
  expect([e.category, e.attempts]).toEqual(["permanent", 0]);
});

it("$select trims each referral to the members asked for (and id); a $skiptoken only works with its $orderby", async () => {
  const page = await h.client.listPage({ top: 2, orderBy: "createdDateTime asc" });
  const selected = await h.raw("GET", "/v1.0/engagements/referrals?$select=status,externalReferenceId&$top=2");
  const value = (selected.body as { value: Record<string, unknown>[] }).value;
  expect(value.map((r) => Object.keys(r).sort())).toEqual([
    ["externalReferenceId", "id", "status"],
    ["externalReferenceId", "id", "status"],
  ]);
  const first = await h.client.listPage({ orderBy: "createdDateTime asc" });
  const token = new URL(first.nextLink!).searchParams.get("$skiptoken")!;
  const other = await h.raw(
    "GET",
    `/v1.0/engagements/referrals?$orderby=updatedDateTime%20desc&$skiptoken=${encodeURIComponent(token)}`,
  );
  expect([other.status, (other.body as { error: { target: string } }).error.target]).toEqual([400, "$skiptoken"]);
  expect(page.value).toHaveLength(2);
});

it("escapes quotes in externalReferenceId look-ups", async () => {
  const { referral } = await h.client.createReferral(validReferral({ externalReferenceId: "o'brien-1" }));
  created.push(referral);
  expect((await h.client.findByExternalReferenceId("o'brien-1")).map((r) => r.id)).toEqual([referral.id]);
});

it("answers 400 for a field it cannot filter on, a malformed filter, an unknown $orderby and a forged $skiptoken", async () => {
  for (const query of [
    { filter: "name eq 'x'" },
    { filter: "status eq" },
    { filter: "status eq 'New' or status eq 'Active'" },
    { filter: "updatedDateTime gt yesterday" },
  ]) {
    const e = await h.client.listPage(query).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PartnerCenterError);
    expect([(e as PartnerCenterError).status, (e as PartnerCenterError).target]).toEqual([400, "$filter"]);
  }
  expect((await h.raw("GET", "/v1.0/engagements/referrals?$orderby=name")).status).toBe(400);
  const forged = await h.raw("GET", "/v1.0/engagements/referrals?$skiptoken=bm90LWEtdG9rZW4");
  expect([forged.status, (forged.body as { error: { target: string } }).error.target]).toEqual([400, "$skiptoken"]);
  expect((await h.raw("GET", "/v1.0/engagements/referrals?$top=0")).status).toBe(400);
});
