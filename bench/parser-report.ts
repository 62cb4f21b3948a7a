/**
 * The parser benchmark's results: samples reduced to medians and paired ratios (ParserRow), and
 * the tables printed by `npm run bench` and written into docs/benchmarks.md.
 */
import {
  BASELINE_ID,
  type Contender,
  esp3,
  esp4,
  esp4Again,
  esp4Stream,
  ssekit,
  ssekitStream,
  streamFloor,
} from "./contenders.js";
import { leastParser } from "./least-parser.js";
import type { GroupResult } from "./parser-measure.js";
import type { ParserCell, ParserResults, ParserRow } from "./results.js";
import { fmtMs, fmtX, pairedRatio, pct, spread, table } from "./stats.js";

/** Medians and paired ratios of one workload's samples. */
export function summarize(result: GroupResult, contenders: readonly Contender[]): ParserRow {
  const base = result.stats[BASELINE_ID];
  const peer = result.stats[result.stream ? esp4Stream.id : esp4.id];
  const cells: ParserCell[] = [];
  for (const c of contenders) {
    const s = result.stats[c.id];
    if (s === undefined || base === undefined || peer === undefined) continue;
    cells.push({
      id: c.id,
      label: c.label,
      medianMs: s.median,
      vsBaseline: pairedRatio(s.samples, base.samples),
      vsPeer: pairedRatio(s.samples, peer.samples),
      spread: spread(s),
    });
  }
  const { group, workload, stream, rounds } = result;
  return { group, workload, stream, rounds, cells };
}

function cellOf(row: ParserRow, id: string) {
  return row.cells.find((c) => c.id === id);
}

/** `ms (ratio to BASELINE)` */
function timeCell(row: ParserRow, id: string): string {
  const c = cellOf(row, id);
  return c === undefined ? "-" : `${fmtMs(c.medianMs)} (${fmtX(c.vsBaseline)})`;
}

function ratioCell(row: ParserRow, id: string): string {
  const c = cellOf(row, id);
  return c === undefined ? "-" : fmtX(c.vsPeer);
}

function baselineMs(row: ParserRow): string {
  const c = cellOf(row, BASELINE_ID);
  return c === undefined ? "-" : fmtMs(c.medianMs);
}

/** BASELINE's time as a ratio to 4.1.3's: what decoding and finding the LFs alone take. */
function floorCell(row: ParserRow): string {
  const c = cellOf(row, esp4.id);
  return c === undefined ? "-" : fmtX(1 / c.vsBaseline);
}

/** Parsers fed the workloads' chunks: time, ratio to BASELINE, and the ratios to 4.1.3. */
export function parserTable(rows: readonly ParserRow[]): string {
  return table(
    [
      "workload",
      "BASELINE ms",
      "ssekit",
      "eventsource-parser 3.1.1",
      "eventsource-parser 4.1.3",
      "ssekit ÷ 4.1.3",
      "least parser ÷ 4.1.3",
      "BASELINE ÷ 4.1.3",
      "A/A: 4.1.3 ÷ 4.1.3",
    ],
    rows
      .filter((r) => !r.stream)
      .map((r) => [
        r.workload,
        baselineMs(r),
        timeCell(r, ssekit.id),
        timeCell(r, esp3.id),
        timeCell(r, esp4.id),
        ratioCell(r, ssekit.id),
        ratioCell(r, leastParser.id),
        floorCell(r),
        ratioCell(r, esp4Again.id),
      ]),
  );
}

/** The streams API: SSEParserStream against TextDecoderStream + EventSourceParserStream 4.1.3. */
export function streamTable(rows: readonly ParserRow[]): string {
  return table(
    [
      "workload",
      "BASELINE ms",
      "stream floor",
      "SSEParserStream",
      "TextDecoderStream + EventSourceParserStream 4.1.3",
      "ssekit ÷ 4.1.3",
    ],
    rows
      .filter((r) => r.stream)
      .map((r) => [
        r.workload,
        baselineMs(r),
        timeCell(r, streamFloor.id),
        timeCell(r, ssekitStream.id),
        timeCell(r, esp4Stream.id),
        ratioCell(r, ssekitStream.id),
      ]),
  );
}

/** Rounds and interquartile range / median of every contender, per workload. */
export function noiseLines(rows: readonly ParserRow[]): string {
  return rows
    .map(
      (r) =>
        `- ${r.group}: ${r.rounds} rounds; ${r.cells.map((c) => `${c.id} ${pct(c.spread)}`).join(", ")}`,
    )
    .join("\n");
}

/**
 * The same workloads under other Node versions: for each run, ssekit's ratio to eventsource-parser
 * 4.1.3, the least parser's and BASELINE's (the floor of a streaming `TextDecoder`), by workload
 * of the first run.
 */
export function elsewhereTable(runs: readonly ParserResults[]): string {
  const workloads = (runs[0]?.rows ?? []).filter((r) => !r.stream).map((r) => r.workload);
  return table(
    [
      "workload",
      ...runs.flatMap((run) => [
        `ssekit ÷ 4.1.3, Node ${run.machine.node}`,
        `least parser ÷ 4.1.3, Node ${run.machine.node}`,
        `BASELINE ÷ 4.1.3, Node ${run.machine.node}`,
        `A/A, Node ${run.machine.node}`,
      ]),
    ],
    workloads.map((workload) => [
      workload,
      ...runs.flatMap((run) => {
        const row = run.rows.find((r) => !r.stream && r.workload === workload);
        return row === undefined
          ? ["-", "-", "-", "-"]
          : [
              ratioCell(row, ssekit.id),
              ratioCell(row, leastParser.id),
              floorCell(row),
              ratioCell(row, esp4Again.id),
            ];
      }),
    ]),
  );
}
