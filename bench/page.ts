/**
 * docs/benchmarks.md, rendered from a run's results (bench/results.ts): the machine, the peers'
 * versions, the commands, the headline ratios with their targets, the noise (A/A control), and the
 * tables of every benchmark. Written by `npm run bench:report`; never edited by hand.
 */
import { cpuSummaryTable, cpuTable, heapTable, latencyTable } from "./client-report.js";
import { machineLine } from "./machine.js";
import {
  CLIENT_METHOD,
  COMMANDS,
  DISPATCH_METHOD,
  ELSEWHERE_METHOD,
  INTRO,
  PARSER_METHOD,
  SIZE_METHOD,
} from "./page-text.js";
import { elsewhereTable, noiseLines, parserTable, streamTable } from "./parser-report.js";
import type { Machine, Report, Verdict } from "./results.js";
import { fmt, fmtX, signed, table } from "./stats.js";
import { CLIENT, clientVerdicts, parserVerdicts, sizeVerdicts } from "./targets.js";

/** The chart's file name, next to the page. */
export const CHART_FILE = "benchmarks.svg";

/** Every verdict of the report, recomputed from its numbers. */
export function verdictsOf(report: Report): Verdict[] {
  return [
    ...parserVerdicts(report.parser.rows),
    ...clientVerdicts(report.client),
    ...sizeVerdicts(report.sizes),
  ];
}

function versionsTable(m: Machine): string {
  return table(
    ["package", "version"],
    Object.entries(m.versions).map(([name, version]) => [name, version]),
  );
}

function range(values: readonly number[]): string {
  if (values.length === 0) return "-";
  const deviation = Math.max(...values.map((v) => Math.abs(v - 1)));
  return `${fmtX(Math.min(...values))} to ${fmtX(Math.max(...values))} (up to ${fmt(deviation * 100, 0)} % off 1.00x)`;
}

function heapAa(report: Report): string {
  const delta = (name: string) => report.client.heap.find((h) => h.name === name)?.deltaKb;
  const a = delta(CLIENT.handWritten);
  const b = delta(CLIENT.handWrittenAgain);
  return a === undefined || b === undefined
    ? "-"
    : `${signed(a, 1)} and ${signed(b, 1)} KB (${fmt(Math.abs(a - b), 1)} KB apart)`;
}

function noise(report: Report): string {
  const parserAa = report.parser.rows.flatMap((r) =>
    r.cells.filter((c) => c.id === "esp4-aa").map((c) => c.vsPeer),
  );
  const clientAa = report.client.cpu.flatMap((t) =>
    t.cells.filter((c) => c.name.includes("(A/A control)")).map((c) => c.vsHandWritten),
  );
  const busiest = Math.max(report.parser.machine.load[0] ?? 0, report.client.machine.load[0] ?? 0);
  const cores = report.parser.machine.cores;
  const busy =
    busiest > cores / 4
      ? `**The machine was shared with other work during this run** (load average up to ${busiest} on ${cores} cores): the figures are noisy; read them with the A/A control below.`
      : "The machine was quiet during this run.";
  return [
    busy,
    "",
    `The parser run started at load average ${report.parser.machine.load.join(" / ")}, the client run at ${report.client.machine.load.join(" / ")}, on ${report.parser.machine.cores} cores.`,
    "A/A control (the same contender measured twice; a perfect instrument gives 1.00x):",
    "",
    `- parser, eventsource-parser 4.1.3 ÷ itself, over the workloads: ${range(parserAa)}`,
    `- client, hand-written fetch + eventsource-parser 4.1.3 ÷ itself, over the streams: ${range(clientAa)}`,
    `- heap per idle connection over raw fetch, hand-written fetch + eventsource-parser 4.1.3 and its copy: ${heapAa(report)}`,
    "",
    "A ratio whose distance from a target is smaller than the A/A deviation is within the noise of the",
    "run. Rounds and spread (interquartile range over the median) of every parser contender:",
    "",
    noiseLines(report.parser.rows),
  ].join("\n");
}

function verdictTable(verdicts: readonly Verdict[]): string {
  return table(
    ["target", "measured", ""],
    verdicts.map((v) => [v.what, v.detail, v.ok ? "met" : "**missed**"]),
  );
}

function sizeTable(report: Report): string {
  return table(
    ["bundle", "import", "brotli bytes", "limit"],
    report.sizes.map((s) => [s.name, `\`${s.import}\``, String(s.bytes), s.limit ?? ""]),
  );
}

function dispatchTable(report: Report): string {
  const endings = Object.keys(report.dispatch.rows[0]?.endings ?? {});
  return table(
    ["parser", ...endings],
    report.dispatch.rows.map((r) => [r.parser, ...endings.map((e) => r.endings[e] ?? "-")]),
  );
}

/** The parser under other Node versions, when the report has such runs. */
function elsewhereSection(report: Report): string[] {
  const runs = report.parserElsewhere ?? [];
  if (runs.length === 0) return [];
  return [
    `### The parser under ${runs.map((r) => `Node ${r.machine.node}`).join(", ")}`,
    "",
    ELSEWHERE_METHOD,
    "",
    ...runs.map((r) => `- ${r.machine.date}, ${machineLine(r.machine)}; \`${r.command}\``),
    "",
    elsewhereTable(runs),
    "",
  ];
}

export function renderPage(report: Report): string {
  const { parser, client } = report;
  const verdicts = verdictsOf(report);
  const missed = verdicts.filter((v) => !v.ok).length;
  const workloads = table(
    ["workload", "stream", "facts"],
    parser.workloads.map((w) => [w.name, w.description, w.notes.join("; ")]),
  );
  const sections = [
    "# Benchmarks",
    "",
    "<!-- Generated by `npm run bench:report` (bench/report.ts, bench/page.ts): do not edit by hand. -->",
    "",
    INTRO,
    "",
    `![Headline ratios: ssekit ÷ its peers, measured side by side](${CHART_FILE})`,
    "",
    COMMANDS,
    "",
    "## Targets",
    "",
    `${verdicts.length - missed} of ${verdicts.length} targets met in this run (the targets: bench/targets.ts).`,
    "",
    verdictTable(verdicts),
    "",
    "## Machine and noise",
    "",
    `- parser run: ${parser.machine.date}, ${machineLine(parser.machine)}; \`${parser.command}\``,
    `- client run: ${client.machine.date}, ${machineLine(client.machine)}; \`${client.command}\``,
    "",
    versionsTable(parser.machine),
    "",
    noise(report),
    "",
    "## Parser",
    "",
    PARSER_METHOD,
    "",
    workloads,
    "",
    "Median ms (ratio of time to BASELINE); `ssekit ÷ 4.1.3` is the ratio the target reads; lower is better. " +
      "`BASELINE ÷ 4.1.3` is what a streaming `TextDecoder` and an `indexOf` scan for LFs take alone, as a " +
      "ratio to eventsource-parser 4.1.3: a parser that decodes with a streaming `TextDecoder` cannot go " +
      "below it. ssekit goes below it on ASCII, where it decodes without `stream` (several times faster in " +
      "Node); on mostly non-ASCII text Node 20's decoder without `stream` is slower than the streaming one, " +
      "so there the floor holds for ssekit too. `least parser ÷ 4.1.3` reads the least parser " +
      "(bench/least-parser.ts): ssekit's decoding, then the least line handling we could write (find " +
      "each LF, slice each value once, hand out one message per event), less than a correct parser " +
      "must do (no CR, field name or BOM). Where it is above 0.70x, meeting the target in this run " +
      "would take faster decoding than ssekit's (the fastest this benchmark knows) or leaner line " +
      "handling than that loop; the targets table gives its ratio beside each such miss. It cannot " +
      "parse mixed (other fields, CR and CRLF), so it does not run there.",
    "",
    parserTable(parser.rows),
    "",
    "The streams API, median ms (ratio of time to BASELINE):",
    "",
    streamTable(parser.rows),
    "",
    ...elsewhereSection(report),
    "### Dispatch latency",
    "",
    DISPATCH_METHOD,
    "",
    dispatchTable(report),
    "",
    "## Client",
    "",
    CLIENT_METHOD,
    "",
    "### CPU time per event against the hand-written loop",
    "",
    cpuSummaryTable(client.cpu),
    "",
    ...client.cpu.flatMap((t) => [
      `### CPU time per event: \`${t.stream}\`, ${t.description} (${t.events} events, median of ${t.rounds} runs)`,
      "",
      cpuTable(t),
      "",
    ]),
    `### Time to event, ms (${client.latencySamples}; median / p95)`,
    "",
    latencyTable(client.latency),
    "",
    `### Heap per idle connection (${client.heapConnections} connections, KB)`,
    "",
    heapTable(client.heap),
    "",
    "## Bundle size",
    "",
    SIZE_METHOD,
    "",
    sizeTable(report),
    "",
  ];
  return sections.join("\n");
}
