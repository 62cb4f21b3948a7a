/** The client benchmark's tables, printed by `npm run bench:client` and written into the page. */
import type { ClientCpuTable, ClientResults } from "./results.js";
import { fmt, fmtX, signed, table } from "./stats.js";
import { CLIENT } from "./targets.js";

/** One stream: every client's CPU per event and its ratios. */
export function cpuTable(t: ClientCpuTable): string {
  return table(
    [
      "client",
      "CPU ns/event",
      "÷ raw fetch",
      "÷ fetch + esp 4.1.3",
      "best ns/event",
      "wall ms/run",
    ],
    t.cells.map((c) => [
      c.name,
      fmt(c.nsPerEvent, 0),
      fmtX(c.vsRawFetch),
      fmtX(c.vsHandWritten),
      fmt(c.bestNsPerEvent, 0),
      fmt(c.wallMs, 0),
    ]),
  );
}

/** Every stream in one table: the ratios the targets read, and the A/A control. */
export function cpuSummaryTable(tables: readonly ClientCpuTable[]): string {
  const ratio = (t: ClientCpuTable, name: string) => {
    const cell = t.cells.find((c) => c.name === name);
    return cell === undefined ? "-" : fmtX(cell.vsHandWritten);
  };
  return table(
    [
      "stream",
      "on() ÷ hand-written",
      "for await ÷ hand-written",
      "eventsource-client for await ÷ hand-written",
      "A/A: hand-written ÷ hand-written",
    ],
    tables.map((t) => [
      `${t.stream} (${t.events} events)`,
      ratio(t, CLIENT.on),
      ratio(t, CLIENT.forAwait),
      ratio(t, CLIENT.peerForAwait),
      ratio(t, CLIENT.handWrittenAgain),
    ]),
  );
}

export function latencyTable(rows: ClientResults["latency"]): string {
  const endings = Object.keys(rows[0]?.endings ?? {});
  const cell = (c: ClientResults["latency"][number], e: string, which: "median" | "p95") => {
    const s = c.endings[e];
    if (s === undefined) return "-";
    if (s.held > 0 && s.samples === 0) return "held until next chunk";
    const value = fmt(s[which], 3);
    return s.held > 0 ? `${value} (+${s.held} held)` : value;
  };
  return table(
    ["client", ...endings.flatMap((e) => [`${e.toUpperCase()} median`, `${e.toUpperCase()} p95`])],
    rows.map((r) => [r.name, ...endings.flatMap((e) => [cell(r, e, "median"), cell(r, e, "p95")])]),
  );
}

export function heapTable(rows: ClientResults["heap"]): string {
  return table(
    ["client", "KB/connection", "vs raw fetch"],
    rows.map((r, i) => [r.name, fmt(r.kbPerConnection, 1), i === 0 ? "" : signed(r.deltaKb, 1)]),
  );
}
