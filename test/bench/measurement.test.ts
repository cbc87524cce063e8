import { allPassed, formatTable, verdict, type BenchRow } from "./benchTable";
import { BusyClock } from "./busyClock";
import { secondHalf, slope } from "./linearTrend";
import { median, percentile } from "./percentiles";
import { readProcStatus } from "./procStatus";

/** The pure measurement logic behind `npm run bench`: percentiles, trends, busy time, /proc parsing, the table. */

describe("percentile (nearest rank)", () => {
  it.each([
    { samples: [5], p: 50, expected: 5 },
    { samples: [3, 1, 2], p: 50, expected: 2 },
    { samples: [1, 2, 3, 4], p: 50, expected: 2 },
    { samples: [1, 2, 3, 4], p: 75, expected: 3 },
    { samples: [1, 2, 3, 4], p: 100, expected: 4 },
    { samples: [...Array(100).keys()].map((i) => i + 1), p: 99, expected: 99 },
    { samples: [...Array(200).keys()].map((i) => 200 - i), p: 99, expected: 198 },
    { samples: [10, 10, 10, 1000], p: 99, expected: 1000 },
  ])("p$p of $samples.length samples is $expected", ({ samples, p, expected }) => {
    expect(percentile(samples, p)).toBe(expected);
  });

  it.each([
    { samples: [], p: 50, error: /no samples/ },
    { samples: [1], p: 0, error: /\(0, 100\]/ },
    { samples: [1], p: 101, error: /\(0, 100\]/ },
    { samples: [1], p: Number.NaN, error: /\(0, 100\]/ },
  ])("refuses p=$p over $samples.length samples", ({ samples, p, error }) => {
    expect(() => percentile(samples, p)).toThrow(error);
  });

  it("does not reorder the caller's samples", () => {
    const samples = [3, 1, 2];
    expect(median(samples)).toBe(2);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe("slope (least squares)", () => {
  it.each([
    { points: [0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 1 })), expected: 2 },
    { points: [0, 10, 20].map((x) => ({ x, y: 140 })), expected: 0 },
    { points: [10, 20, 30, 40].map((x) => ({ x, y: 200 - x / 10 })), expected: -0.1 },
    // Noise around a flat line has a small slope, one outlier at the end a visible one.
    {
      points: [
        { x: 1, y: 100 },
        { x: 2, y: 102 },
        { x: 3, y: 100 },
        { x: 4, y: 102 },
      ],
      expected: 0.4,
    },
  ])("fits $expected", ({ points, expected }) => {
    expect(slope(points)).toBeCloseTo(expected, 10);
  });

  it.each([
    { points: [{ x: 1, y: 1 }], error: /two points/ },
    {
      points: [
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ],
      error: /distinct x/,
    },
  ])("refuses $points.length points without a spread", ({ points, error }) => {
    expect(() => slope(points)).toThrow(error);
  });

  it.each([
    { samples: [1, 2, 3, 4], expected: [3, 4] },
    { samples: [1, 2, 3, 4, 5], expected: [3, 4, 5] },
    { samples: [1], expected: [1] },
  ])("the second half of $samples is $expected", ({ samples, expected }) => {
    expect(secondHalf(samples)).toEqual(expected);
  });
});

describe("BusyClock: time with at least one outbound call in flight", () => {
  type Step = ["begin" | "end", number];
  it.each<{ name: string; steps: Step[]; at: number; expected: number }>([
    { name: "nothing in flight", steps: [], at: 100, expected: 0 },
    {
      name: "one call",
      steps: [
        ["begin", 10],
        ["end", 30],
      ],
      at: 100,
      expected: 20,
    },
    {
      name: "two calls in a row",
      steps: [
        ["begin", 10],
        ["end", 30],
        ["begin", 50],
        ["end", 55],
      ],
      at: 100,
      expected: 25,
    },
    {
      name: "two overlapping calls count once",
      steps: [
        ["begin", 10],
        ["begin", 15],
        ["end", 30],
        ["end", 40],
      ],
      at: 100,
      expected: 30,
    },
    {
      name: "a call still in flight counts until now",
      steps: [
        ["begin", 10],
        ["end", 20],
        ["begin", 60],
      ],
      at: 100,
      expected: 50,
    },
  ])("$name", ({ steps, at, expected }) => {
    const clock = new BusyClock(0);
    for (const [kind, t] of steps) clock[kind](t);
    expect(clock.busyUntil(at)).toBe(expected);
  });

  it("refuses an end without a begin (a wrapper that double-counts would otherwise go unnoticed)", () => {
    expect(() => new BusyClock(0).end(5)).toThrow(/without a matching begin/);
  });
});

describe("readProcStatus", () => {
  const status = (rss: string, hwm: string) =>
    `Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t${hwm}\nVmRSS:\t${rss}\nThreads:\t11\n`;
  it.each([
    { text: status("  140000 kB", "  150000 kB"), expected: { rssKb: 140000, peakKb: 150000 } },
    { text: status("1 kB", "2 kB"), expected: { rssKb: 1, peakKb: 2 } },
  ])("reads VmRSS and VmHWM", ({ text, expected }) => {
    expect(readProcStatus(text)).toEqual(expected);
  });
  it.each([
    { text: "Name:\tnode\nVmHWM:\t 10 kB\n", error: /VmRSS/ },
    { text: "Name:\tnode\nVmRSS:\t 10 kB\n", error: /VmHWM/ },
    { text: status("10 MB", "10 kB"), error: /VmRSS/ },
  ])("refuses a status without both lines in kB", ({ text, error }) => {
    expect(() => readProcStatus(text)).toThrow(error);
  });
});

describe("the bench table", () => {
  const row = (pass: boolean | null, metric = "m"): BenchRow => ({
    benchmark: "b",
    metric,
    figure: "1",
    target: "<= 2",
    pass,
  });
  const machine = { cpuModel: "Test CPU", cores: 2, ramGiB: 3.5, node: "v20.0.0" };

  it.each([
    { pass: true, expected: "pass" },
    { pass: false, expected: "FAIL" },
    { pass: null, expected: "-" },
  ])("verdict of $pass is $expected", ({ pass, expected }) => {
    expect(verdict(pass)).toBe(expected);
  });

  it.each([
    { rows: [row(true), row(null)], expected: true },
    { rows: [row(true), row(false)], expected: false },
    { rows: [], expected: false },
  ])("allPassed of $rows.length rows is $expected", ({ rows, expected }) => {
    expect(allPassed(rows)).toBe(expected);
  });

  it("prints date, machine and one aligned Markdown line per row", () => {
    const text = formatTable(
      [row(true, "short"), row(false, "a much longer metric")],
      new Date(Date.UTC(2026, 10, 25)),
      machine,
    );
    const lines = text.split("\n");
    expect(lines[0]).toContain("2026-11-25T00:00:00.000Z");
    expect(lines[1]).toBe("Machine: Test CPU, 2 cores, 3.5 GiB RAM, Node v20.0.0");
    const table = lines.filter((l) => l.startsWith("|"));
    expect(table).toHaveLength(4);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(table[2]).toMatch(/\| short +\| 1 +\| <= 2 +\| pass +\|$/);
    expect(table[3]).toMatch(/\| a much longer metric \| 1 +\| <= 2 +\| FAIL +\|$/);
  });
});
