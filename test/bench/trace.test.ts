import { loadSeed, readSeedFile } from "../emulators/dataverse/seed";
import { parseBenchOptions } from "./benchOptions";
import { benchOpportunityId, TEMPLATE_OPPORTUNITY, withBenchOpportunities } from "./bulkSeed";
import { parseControlsJson } from "./controlsBench";
import { perEventBaselineCalls } from "./perEventBaseline";
import {
  burstContinues,
  generateTrace,
  genuineChanges,
  inBurst,
  STANDARD_TRACE,
  type DealState,
  type TraceEvent,
} from "./replayTrace";

/** The inputs of the benchmarks: the replay trace, the genuine-change rule, the baseline model, seeds, options. */

const initial = (deal: number): DealState => ({ on: false, accepted: false, value: 100 + deal, notes: "n" });
const edit = (deal: number, value: number, burst = false): TraceEvent => ({
  kind: "edit",
  deal,
  field: "estimatedvalue",
  value,
  burst,
});

describe("the replay trace", () => {
  it("is the same for the same seed and different for another", () => {
    const a = generateTrace(STANDARD_TRACE, initial);
    expect(generateTrace(STANDARD_TRACE, initial)).toEqual(a);
    expect(generateTrace({ ...STANDARD_TRACE, seed: STANDARD_TRACE.seed + 1 }, initial)).not.toEqual(a);
  });

  it("holds every kind of event the benchmark is about, only on deals that exist", () => {
    const events = generateTrace(STANDARD_TRACE, initial);
    const kinds = new Set(events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(["edit", "noop-save", "pc-accept", "pc-details", "turn-on"]);
    expect(events.some((e) => e.kind === "edit" && e.burst)).toBe(true);
    expect(events.every((e) => e.deal >= 0 && e.deal < STANDARD_TRACE.deals)).toBe(true);
    // Nothing happens to a deal before its sync is turned on, and it is turned on once.
    const on = new Set<number>();
    for (const e of events) {
      if (e.kind === "turn-on") {
        expect(on.has(e.deal)).toBe(false);
        on.add(e.deal);
      } else expect(on.has(e.deal)).toBe(true);
    }
  });

  it("continues a burst on the same deal", () => {
    const events = generateTrace(STANDARD_TRACE, initial);
    events.forEach((e, i) => {
      if (e.kind === "edit" && e.burst) expect(events[i - 1]?.deal).toBe(e.deal);
    });
  });

  it.each([
    { spec: { seed: 1, deals: 0, steps: 5 }, error: /deals/ },
    { spec: { seed: 1, deals: 2, steps: 0 }, error: /steps/ },
  ])("refuses $spec", ({ spec, error }) => {
    expect(() => generateTrace(spec, initial)).toThrow(error);
  });
});

describe("genuine changes", () => {
  it.each<{ name: string; events: TraceEvent[]; expected: boolean[] }>([
    { name: "turning sync on creates the referral", events: [{ kind: "turn-on", deal: 0 }], expected: [true] },
    {
      name: "turning it on twice is one change",
      events: [
        { kind: "turn-on", deal: 0 },
        { kind: "turn-on", deal: 0 },
      ],
      expected: [true, false],
    },
    {
      name: "a new value is one, the same value again is none",
      events: [{ kind: "turn-on", deal: 0 }, edit(0, 5), edit(0, 5)],
      expected: [true, true, false],
    },
    { name: "an edit to a deal not synced is none", events: [edit(1, 5)], expected: [false] },
    {
      name: "a save of the initial value is none",
      events: [{ kind: "turn-on", deal: 1 }, edit(1, 101)],
      expected: [true, false],
    },
    {
      name: "a no-op save is none",
      events: [
        { kind: "turn-on", deal: 0 },
        { kind: "noop-save", deal: 0 },
      ],
      expected: [true, false],
    },
    {
      name: "Microsoft accepting is one, once",
      events: [
        { kind: "turn-on", deal: 0 },
        { kind: "pc-accept", deal: 0 },
        { kind: "pc-accept", deal: 0 },
      ],
      expected: [true, true, false],
    },
    {
      name: "Microsoft repeating CRM's value is none; new notes are one",
      events: [
        { kind: "turn-on", deal: 0 },
        edit(0, 7),
        { kind: "pc-details", deal: 0, field: "dealValue", value: 7 },
        { kind: "pc-details", deal: 0, field: "notes", value: "new" },
      ],
      expected: [true, true, false, true],
    },
    {
      name: "each step of a burst that changes the value is one",
      events: [{ kind: "turn-on", deal: 0 }, edit(0, 1), edit(0, 2, true), edit(0, 2, true), edit(0, 1, true)],
      expected: [true, true, true, false, true],
    },
  ])("$name", ({ events, expected }) => {
    expect(genuineChanges(events, initial)).toEqual(expected);
  });
});

describe("the per-event baseline (one call per event on either side)", () => {
  // create: POST + the GET of its webhook; edit or no-op save: PATCH + GET; a Microsoft change: GET, then the
  // write to CRM (an Update event: PATCH + GET) and the PUT back (its webhook: GET).
  it.each<{ name: string; events: TraceEvent[]; expected: number }>([
    { name: "a create", events: [{ kind: "turn-on", deal: 0 }], expected: 2 },
    { name: "a create and an edit", events: [{ kind: "turn-on", deal: 0 }, edit(0, 9)], expected: 4 },
    {
      name: "a no-op save costs as much as an edit",
      events: [
        { kind: "turn-on", deal: 0 },
        { kind: "noop-save", deal: 0 },
      ],
      expected: 4,
    },
    {
      name: "a Microsoft accept",
      events: [
        { kind: "turn-on", deal: 0 },
        { kind: "pc-accept", deal: 0 },
      ],
      expected: 7,
    },
    {
      name: "Microsoft sending what CRM has: only the GET",
      events: [
        { kind: "turn-on", deal: 0 },
        { kind: "pc-details", deal: 0, field: "dealValue", value: 100 },
      ],
      expected: 3,
    },
    {
      name: "events on a deal never synced cost nothing",
      events: [edit(0, 9), { kind: "pc-accept", deal: 0 }],
      expected: 0,
    },
    {
      name: "a burst of three edits",
      events: [{ kind: "turn-on", deal: 0 }, edit(0, 1), edit(0, 2, true), edit(0, 3, true)],
      expected: 8,
    },
  ])("$name: $expected calls", ({ events, expected }) => {
    expect(perEventBaselineCalls(events, initial)).toBe(expected);
  });
});

describe("the bulk seed", () => {
  it("adds ready copies of the template that the emulator's schema check accepts", () => {
    const base = readSeedFile();
    const seed = withBenchOpportunities(base, { count: 3, syncOn: true, closeDate: "2030-01-31" });
    const added = seed.rows.opportunity!.filter((o) => String(o.opportunityid).startsWith("b0000000"));
    expect(added.map((o) => o.opportunityid)).toEqual([0, 1, 2].map(benchOpportunityId));
    expect(added.every((o) => o.pcs_syncwithpartnercenter === true && o.estimatedclosedate === "2030-01-31")).toBe(
      true,
    );
    expect(new Set(added.map((o) => o.name)).size).toBe(3);
    const links = seed.links!.pcs_opportunity_microsoftsolution!;
    const templateLinks = links.filter(([o]) => o === TEMPLATE_OPPORTUNITY).length;
    expect(links.filter(([o]) => o === benchOpportunityId(2))).toHaveLength(templateLinks);
    expect(base.rows.opportunity!.some((o) => String(o.opportunityid).startsWith("b0000000"))).toBe(false);
    expect(() => loadSeed(seed)).not.toThrow();
  });

  it.each([
    { call: () => benchOpportunityId(-1), error: /whole number/ },
    { call: () => benchOpportunityId(1.5), error: /whole number/ },
    {
      call: () => withBenchOpportunities(readSeedFile(), { count: 1, syncOn: true, closeDate: "31/01/2030" }),
      error: /YYYY-MM-DD/,
    },
    {
      call: () =>
        withBenchOpportunities({ rows: { opportunity: [] } }, { count: 1, syncOn: true, closeDate: "2030-01-31" }),
      error: /no opportunity/,
    },
  ])("refuses bad input: $error", ({ call, error }) => {
    expect(call).toThrow(error);
  });
});

describe("bench options", () => {
  it.each([
    { argv: [], expected: { only: null, quick: false, json: false } },
    { argv: ["--quick"], expected: { only: null, quick: true, json: false } },
    { argv: ["--only", "backfill", "--json"], expected: { only: "backfill", quick: false, json: true } },
  ])("$argv", ({ argv, expected }) => {
    expect(parseBenchOptions(argv)).toEqual(expected);
  });
  it.each([
    { argv: ["--only"], error: /needs a benchmark name/ },
    { argv: ["--only", "speed"], error: /Unknown benchmark 'speed'/ },
    { argv: ["--fast"], error: /Unknown argument '--fast'/ },
  ])("refuses $argv", ({ argv, error }) => {
    expect(() => parseBenchOptions(argv)).toThrow(error);
  });
});

describe("the controls bench's --json line", () => {
  const line = JSON.stringify({
    rows: [{ metric: "SyncToggle bundle", figure: "9.1 KiB", target: "<= 15 KiB", pass: true }],
  });
  it.each([
    { stdout: `building…\n${line}\n`, expected: 1 },
    { stdout: "SyncToggle 9.1 KiB (budget 15 KiB: ok)\n", expected: null },
    { stdout: "", expected: null },
    { stdout: '{"other":1}', expected: null },
  ])("$stdout.length characters of output give $expected rows", ({ stdout, expected }) => {
    const rows = parseControlsJson(stdout);
    expect(rows === null ? null : rows.length).toBe(expected);
    if (rows) expect(rows[0]).toMatchObject({ benchmark: "3 controls", figure: "9.1 KiB", pass: true });
  });
  it("refuses a row without its fields", () => {
    expect(() => parseControlsJson(JSON.stringify({ rows: [{ metric: "x", pass: "yes" }] }))).toThrow(/row 0/);
  });
});

describe("bursts in a trace", () => {
  const events: TraceEvent[] = [
    { kind: "turn-on", deal: 0 },
    edit(0, 1),
    edit(0, 2, true),
    edit(0, 3, true),
    edit(0, 4),
    { kind: "noop-save", deal: 0 },
  ];
  it.each([
    { i: 0, continues: false, member: false },
    { i: 1, continues: true, member: true },
    { i: 2, continues: true, member: true },
    { i: 3, continues: false, member: true },
    { i: 4, continues: false, member: false },
    { i: 5, continues: false, member: false },
  ])("event $i: continued $continues, in a burst $member", ({ i, continues, member }) => {
    expect(burstContinues(events, i)).toBe(continues);
    expect(inBurst(events, i)).toBe(member);
  });
});
