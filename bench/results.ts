/**
 * What the benchmark scripts write with `--json` and what `npm run bench:report` renders into
 * docs/benchmarks.md: medians and ratios, the machine, the verdicts. Plain data, no samples.
 */

/** The machine and software a run measured on. */
export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  load: number[];
  /** ssekit's commit, with `-dirty` when the worktree had changes. */
  commit: string;
  /** Installed version of every peer measured, by package name. */
  versions: Record<string, string>;
}

/** One target checked: `--check` exits 1 when one is not ok. */
export interface Verdict {
  what: string;
  ok: boolean;
  detail: string;
}

/** One contender on one parser workload. */
export interface ParserCell {
  id: string;
  label: string;
  medianMs: number;
  /** Paired ratio of time to BASELINE. */
  vsBaseline: number;
  /** Paired ratio of time to eventsource-parser 4.1.3 (its stream pipeline for stream rows). */
  vsPeer: number;
  /** Interquartile range over the median. */
  spread: number;
}

export interface ParserRow {
  /** The workload, with `/stream` for the streams API variant. */
  group: string;
  workload: string;
  stream: boolean;
  rounds: number;
  cells: ParserCell[];
}

export interface ParserResults {
  machine: Machine;
  command: string;
  rows: ParserRow[];
  workloads: { name: string; description: string; notes: string[] }[];
  verdicts: Verdict[];
}

/** CPU per event of one client on one stream. */
export interface ClientCpuCell {
  name: string;
  nsPerEvent: number;
  bestNsPerEvent: number;
  vsRawFetch: number;
  /** Ratio to hand-written fetch + eventsource-parser 4.1.3. */
  vsHandWritten: number;
  wallMs: number;
}

export interface ClientCpuTable {
  stream: string;
  description: string;
  events: number;
  rounds: number;
  cells: ClientCpuCell[];
}

export interface LatencyCell {
  median: number;
  p95: number;
  /** Events the client held until the server's next chunk. */
  held: number;
  samples: number;
}

export interface ClientResults {
  machine: Machine;
  command: string;
  cpu: ClientCpuTable[];
  /** Time to event by client, then by line ending (lf, crlf, cr). */
  latency: { name: string; endings: Record<string, LatencyCell> }[];
  latencySamples: string;
  heap: { name: string; kbPerConnection: number; deltaKb: number }[];
  heapConnections: number;
  verdicts: Verdict[];
}

/** Dispatch latency per parser and line ending (bench/latency.ts). */
export interface DispatchResults {
  rows: { parser: string; endings: Record<string, string> }[];
}

/** Brotli size of one import, bundled and minified as size-limit does. */
export interface SizeRow {
  name: string;
  /** The import measured, e.g. `import { SSEClient } from "ssekit"`. */
  import: string;
  bytes: number;
  /** size-limit's budget (.size-limit.json), for ssekit's own rows. */
  limit?: string;
}

/** Everything the page shows. */
export interface Report {
  parser: ParserResults;
  /**
   * The parser benchmark again under other Node versions (`--node`), shown beside the main run;
   * the targets read `parser` alone. Absent in reports saved before it existed.
   */
  parserElsewhere?: ParserResults[];
  client: ClientResults;
  dispatch: DispatchResults;
  sizes: SizeRow[];
}
