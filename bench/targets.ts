/**
 * The targets of issue 13 (and the earlier ones it keeps), as pure functions of a run's results:
 * `--check` in every script exits 1 when one of these verdicts is not ok.
 */
import type { ClientResults, ParserRow, SizeRow, Verdict } from "./results.js";
import { fmt, fmtX, signed } from "./stats.js";

/** ssekit's parser against eventsource-parser 4.1.3 (with a TextDecoder), on every workload. */
export const PARSER_MAX = 0.7;
/** SSEClient on() against hand-written fetch + reader + TextDecoder + eventsource-parser 4.1.3. */
export const ON_CPU_MAX = 0.8;
/** Heap per idle connection over raw fetch, KB: on(), and for await (an earlier target). */
export const ON_HEAP_MAX_KB = 1;
export const ITERATOR_HEAP_MAX_KB = 2;
/** `SSEClient` alone, brotli bytes (5.5 kB, a kB being 1000 B as size-limit prints them). */
export const CLIENT_BUNDLE_MAX = 5500;
/** Time to event over raw fetch's, ms, and no event held for a next chunk. */
export const LATENCY_MAX_MS = 0.3;

export const CLIENT = {
  raw: "raw fetch (baseline)",
  handWritten: "fetch + eventsource-parser 4.1.3",
  handWrittenAgain: "fetch + eventsource-parser 4.1.3 again (A/A control)",
  on: "ssekit SSEClient on()",
  forAwait: "ssekit SSEClient for await",
  peerForAwait: "eventsource-client for await",
} as const;

export function parserVerdicts(rows: readonly ParserRow[]): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const row of rows) {
    if (!row.stream) {
      const own = row.cells.find((c) => c.id === "ssekit");
      if (own === undefined) continue;
      // Beside a miss, the least parser's ratio: how near ssekit's decoding lets a parser come.
      const least = row.cells.find((c) => c.id === "least");
      const ok = own.vsPeer <= PARSER_MAX;
      verdicts.push({
        what: `parser: ssekit <= ${fmtX(PARSER_MAX)} eventsource-parser 4.1.3 on ${row.workload}`,
        ok,
        detail:
          ok || least === undefined
            ? fmtX(own.vsPeer)
            : `${fmtX(own.vsPeer)} (least parser ${fmtX(least.vsPeer)})`,
      });
    } else {
      const own = row.cells.find((c) => c.id === "ssekit-stream");
      if (own === undefined) continue;
      verdicts.push({
        what: `parser: SSEParserStream faster than TextDecoderStream + EventSourceParserStream 4.1.3 on ${row.workload}`,
        ok: own.vsPeer < 1,
        detail: fmtX(own.vsPeer),
      });
    }
  }
  return verdicts;
}

export function clientVerdicts(results: Omit<ClientResults, "verdicts">): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const table of results.cpu) {
    const cell = (name: string) => table.cells.find((c) => c.name === name);
    const on = cell(CLIENT.on);
    const forAwait = cell(CLIENT.forAwait);
    const peer = cell(CLIENT.peerForAwait);
    if (on !== undefined && cell(CLIENT.handWritten) !== undefined) {
      verdicts.push({
        what: `client CPU/event on ${table.stream}: on() <= ${fmtX(ON_CPU_MAX)} fetch + eventsource-parser 4.1.3`,
        ok: on.vsHandWritten <= ON_CPU_MAX,
        detail: fmtX(on.vsHandWritten),
      });
    }
    if (forAwait !== undefined && peer !== undefined) {
      verdicts.push({
        what: `client CPU/event on ${table.stream}: for await below eventsource-client's for await`,
        ok: forAwait.nsPerEvent < peer.nsPerEvent,
        detail: `${fmt(forAwait.nsPerEvent, 0)} vs ${fmt(peer.nsPerEvent, 0)} ns/event (${fmtX(forAwait.nsPerEvent / peer.nsPerEvent)})`,
      });
    }
  }
  const raw = results.latency.find((r) => r.name === CLIENT.raw);
  for (const row of results.latency) {
    if (!row.name.startsWith("ssekit") || raw === undefined) continue;
    for (const [ending, cell] of Object.entries(row.endings)) {
      const base = raw.endings[ending];
      if (base === undefined) continue;
      const delta = cell.median - base.median;
      verdicts.push({
        what: `time to event (${ending.toUpperCase()}): ${row.name} within ${LATENCY_MAX_MS} ms of raw fetch`,
        ok: cell.held === 0 && delta <= LATENCY_MAX_MS,
        detail:
          cell.held > 0 ? `${cell.held} events held until next chunk` : `${signed(delta, 3)} ms`,
      });
    }
  }
  for (const [name, max] of [
    [CLIENT.on, ON_HEAP_MAX_KB],
    [CLIENT.forAwait, ITERATOR_HEAP_MAX_KB],
  ] as const) {
    const row = results.heap.find((r) => r.name === name);
    if (row === undefined) continue;
    verdicts.push({
      what: `heap per idle connection: ${name} <= +${max} KB over raw fetch`,
      ok: row.deltaKb <= max,
      detail: `${signed(row.deltaKb, 1)} KB`,
    });
  }
  return verdicts;
}

export function sizeVerdicts(sizes: readonly SizeRow[]): Verdict[] {
  const client = sizes.find((s) => s.name === "ssekit: SSEClient");
  if (client === undefined) return [];
  return [
    {
      what: `bundle: SSEClient alone <= ${CLIENT_BUNDLE_MAX} B brotli`,
      ok: client.bytes <= CLIENT_BUNDLE_MAX,
      detail: `${client.bytes} B`,
    },
  ];
}

/** The verdict list as printed at the end of a run. */
export function verdictLines(verdicts: readonly Verdict[]): string {
  return verdicts.map((v) => `- ${v.ok ? "PASS" : "MISS"} ${v.what}: ${v.detail}`).join("\n");
}
