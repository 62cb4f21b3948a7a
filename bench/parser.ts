/**
 * Parser throughput benchmark: ssekit vs eventsource-parser 3.1.1 / 4.1.3 vs a decode-only
 * BASELINE, on generated workloads (see bench/workloads.ts and docs/benchmarks.md).
 *
 *   npm run bench                        full run (~1.5 min on 2 cores)
 *   npm run bench -- --quick             fast smoke run
 *   npm run bench -- --filter '^llm'     only workloads whose name matches the regex
 *   npm run bench -- --json /tmp/b.json  also write every sample as JSON
 *   npm run bench -- --check             exit 1 when ssekit misses a target
 *
 * Contenders run in one process, interleaved: every round runs each contender once, in an order
 * rotated by one per round, with a scavenge (young-generation GC) before every timed run and a
 * full GC before each workload's warm-up. The tables report medians.
 */
import { writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, totalmem } from "node:os";
import { parseArgs } from "node:util";
import {
  BASELINE_ID,
  baseline,
  type Contender,
  esp3,
  esp4,
  esp4Stream,
  STREAM_CONTENDERS,
  SYNC_CONTENDERS,
  ssekit,
  ssekitStream,
  streamFloor,
  type Tally,
  transcripts,
} from "./contenders.js";
import { fullGc, minorGc } from "./gc.js";
import { WORKLOADS, type Workload } from "./workloads.js";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    filter: { type: "string" },
    rounds: { type: "string" },
    json: { type: "string" },
    check: { type: "boolean", default: false },
    "no-stream": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});

if (args.help) {
  console.log(`usage: npm run bench -- [--quick] [--filter REGEX] [--rounds N] [--json FILE] [--check] [--no-stream]
  --quick       1 warm-up round, 3-15 measured rounds (~0.5 s per workload)
  --filter      run only workloads whose name matches REGEX; names: ${WORKLOADS.flatMap((w) => (w.stream ? [w.name, `${w.name}/stream`] : [w.name])).join(", ")}
  --rounds N    exactly N measured rounds per workload instead of a time budget
  --json FILE   write all samples and medians to FILE
  --check       exit 1 when ssekit misses one of its targets
  --no-stream   skip the */stream workloads`);
  process.exit(0);
}

interface Config {
  warmupRounds: number;
  warmupMs: number;
  minRounds: number;
  maxRounds: number;
  budgetMs: number;
  fixedRounds: number | undefined;
}

const config: Config = args.quick
  ? {
      warmupRounds: 1,
      warmupMs: 100,
      minRounds: 3,
      maxRounds: 15,
      budgetMs: 500,
      fixedRounds: undefined,
    }
  : {
      warmupRounds: 3,
      warmupMs: 1000,
      minRounds: 15,
      maxRounds: 101,
      budgetMs: 6000,
      fixedRounds: undefined,
    };
if (args.rounds !== undefined) {
  const n = Number(args.rounds);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--rounds: expected a positive integer, got ${args.rounds}`);
  config.fixedRounds = n;
}
const filter = args.filter === undefined ? undefined : new RegExp(args.filter);

// Targets from the issue, as ratios of time to BASELINE; eventsource-parser 4.1.3's reference
// ratios are what it measured there. ssekit must also beat 4.1.3 outright on every workload.
const TARGETS: Record<string, { max: number; esp4Reference: number }> = {
  llm: { max: 1.3, esp4Reference: 1.65 },
  tiny: { max: 1.3, esp4Reference: 1.7 },
  big: { max: 1.3, esp4Reference: 1.15 },
  "hugeline-4M": { max: 1.3, esp4Reference: 1.8 },
  "hugeline-8M": { max: 1.3, esp4Reference: 1.8 },
  "hugeline-16M": { max: 2, esp4Reference: 2.7 },
  mixed: { max: 2, esp4Reference: 3.6 },
};
// TextDecoderStream + EventSourceParserStream 4.1.3 as the issue measured it (ratio of time to
// BASELINE); SSEParserStream must be far cheaper, so the check is that it beats 4.1.3's pipeline.
const STREAM_REFERENCE: Record<string, number> = { llm: 10, tiny: 47 };

class SanityError extends Error {}

interface Stats {
  median: number;
  min: number;
  p25: number;
  p75: number;
  samples: number[];
}

interface GroupResult {
  group: string;
  workload: string;
  stream: boolean;
  rounds: number;
  stats: Record<string, Stats>;
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    samples,
  };
}

/** Parsers must report exactly what the generator put in; baseline-like tallies must agree. */
function checkTally(w: Workload, c: Contender, tally: Tally, decodeTally: Tally): void {
  if (c.id === BASELINE_ID || c.id === streamFloor.id) {
    if (decodeTally.messages !== tally.messages || decodeTally.dataLength !== tally.dataLength) {
      throw new SanityError(
        `${w.name}: ${c.label} counted ${tally.messages} LFs / ${tally.dataLength} chars, BASELINE ${decodeTally.messages} / ${decodeTally.dataLength}`,
      );
    }
    return;
  }
  if (tally.messages !== w.expected.messages || tally.dataLength !== w.expected.dataLength) {
    throw new SanityError(
      `${w.name}: ${c.label} reported ${tally.messages} messages / ${tally.dataLength} data chars, expected ${w.expected.messages} / ${w.expected.dataLength}`,
    );
  }
}

/** Untimed: every parser's full message list (type, data), comments and retries must agree. */
function deepCheck(w: Workload): void {
  const all = transcripts(w.chunks);
  const reference = all[ssekit.id];
  if (reference === undefined) throw new Error("no ssekit transcript");
  const expectedMessages = w.expectedMessages ?? reference.messages;
  for (const [id, t] of Object.entries(all)) {
    const where = `${w.name} (deep check, ${id})`;
    if (t.messages.length !== w.expected.messages) {
      throw new SanityError(
        `${where}: ${t.messages.length} messages, expected ${w.expected.messages}`,
      );
    }
    for (let i = 0; i < expectedMessages.length; i++) {
      const got = t.messages[i];
      const want = expectedMessages[i];
      if (
        got === undefined ||
        want === undefined ||
        got.type !== want.type ||
        got.data !== want.data
      ) {
        const show = (m: { type: string; data: string } | undefined) =>
          m === undefined ? "(none)" : JSON.stringify({ type: m.type, data: m.data.slice(0, 200) });
        throw new SanityError(`${where}: message #${i} is ${show(got)}, expected ${show(want)}`);
      }
    }
    if (w.expectedComments !== undefined && t.comments !== w.expectedComments) {
      throw new SanityError(`${where}: ${t.comments} comments, expected ${w.expectedComments}`);
    }
    if (w.expectedRetries !== undefined && t.retries.join() !== w.expectedRetries.join()) {
      throw new SanityError(
        `${where}: ${t.retries.length} retry values, expected ${w.expectedRetries.length} (or different values)`,
      );
    }
  }
}

async function runOnce(c: Contender, w: Workload, decodeTally: Tally): Promise<number> {
  minorGc();
  let tally: Tally;
  let ms: number;
  if (c.kind === "sync") {
    const t0 = performance.now();
    tally = c.run(w.chunks);
    ms = performance.now() - t0;
  } else {
    const t0 = performance.now();
    tally = await c.run(w.chunks);
    ms = performance.now() - t0;
  }
  checkTally(w, c, tally, decodeTally);
  return ms;
}

async function measure(
  group: string,
  w: Workload,
  contenders: readonly Contender[],
  stream: boolean,
): Promise<GroupResult> {
  const n = contenders.length;
  // Full GC first (the deep check left garbage); it drops optimized code, so warm up after it.
  fullGc();
  // What BASELINE counts (LFs, decoded chars): the stream floor must count the same.
  const decodeTally = baseline.run(w.chunks);
  // Warm-up: whole rotated rounds, at least warmupRounds and warmupMs.
  const start = performance.now();
  let warmups = 0;
  while (warmups < config.warmupRounds || performance.now() - start < config.warmupMs) {
    for (let k = 0; k < n; k++)
      await runOnce(contenders[(k + warmups) % n] as Contender, w, decodeTally);
    warmups++;
  }
  const roundMs = (performance.now() - start) / warmups;
  const rounds =
    config.fixedRounds ??
    Math.min(config.maxRounds, Math.max(config.minRounds, Math.ceil(config.budgetMs / roundMs)));
  const samples: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < n; k++) {
      const i = (k + r) % n;
      samples[i]?.push(await runOnce(contenders[i] as Contender, w, decodeTally));
    }
  }
  const result: GroupResult = { group, workload: w.name, stream, rounds, stats: {} };
  contenders.forEach((c, i) => {
    result.stats[c.id] = stats(samples[i] ?? []);
  });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function fmtX(x: number): string {
  return `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/**
 * Paired ratio: the median over rounds of a[r] / b[r]. Both ran in the same round, seconds apart,
 * so a load spike hitting one round cancels out instead of skewing one side's median.
 */
function pairedRatio(a: Stats, b: Stats): number {
  const ratios = a.samples.map((x, r) => x / (b.samples[r] ?? Number.NaN));
  return quantile(
    ratios.sort((x, y) => x - y),
    0.5,
  );
}

/** Interquartile range as a percentage of the median: how noisy a cell is. */
function spread(s: Stats): string {
  return `${(((s.p75 - s.p25) / s.median) * 100).toFixed(0)}%`;
}

function report(results: GroupResult[], built: Map<string, Workload>): { misses: string[] } {
  const misses: string[] = [];
  const cell = (s: Stats | undefined, base: Stats | undefined) =>
    s === undefined || base === undefined
      ? "-"
      : `${fmtMs(s.median)} (${fmtX(pairedRatio(s, base))})`;

  const sync = results.filter((r) => !r.stream);
  if (sync.length > 0) {
    const rows = sync.map((r) => {
      const base = r.stats[BASELINE_ID];
      const own = r.stats[ssekit.id];
      const peer = r.stats[esp4.id];
      const target = TARGETS[r.workload];
      let verdict = "-";
      if (own !== undefined && base !== undefined && peer !== undefined && target !== undefined) {
        const ratio = pairedRatio(own, base);
        const problems: string[] = [];
        if (ratio > target.max) problems.push(`${fmtX(ratio)} > ${fmtX(target.max)}`);
        if (pairedRatio(own, peer) >= 1) problems.push("not faster than 4.1.3");
        verdict =
          problems.length === 0 ? `ok (<= ${fmtX(target.max)})` : `MISS: ${problems.join(", ")}`;
        if (problems.length > 0) misses.push(`${r.workload}: ${problems.join(", ")}`);
      }
      return [
        r.workload,
        base === undefined ? "-" : fmtMs(base.median),
        cell(own, base),
        cell(r.stats[esp3.id], base),
        cell(peer, base),
        own !== undefined && peer !== undefined ? fmtX(pairedRatio(own, peer)) : "-",
        verdict,
      ];
    });
    console.log(
      "\nParsers: median ms (ratio of time to BASELINE, median of per-round ratios); lower is better\n",
    );
    console.log(
      table(
        [
          "workload",
          "BASELINE ms",
          "ssekit",
          "eventsource-parser 3.1.1",
          "eventsource-parser 4.1.3",
          "ssekit / 4.1.3",
          "ssekit target",
        ],
        rows,
      ),
    );
  }

  const streams = results.filter((r) => r.stream);
  if (streams.length > 0) {
    const rows = streams.map((r) => {
      const base = r.stats[BASELINE_ID];
      const own = r.stats[ssekitStream.id];
      const peer = r.stats[esp4Stream.id];
      const speedup = own !== undefined && peer !== undefined ? pairedRatio(peer, own) : Number.NaN;
      const reference = STREAM_REFERENCE[r.workload];
      let verdict = "-";
      if (!Number.isNaN(speedup)) {
        verdict = speedup > 1 ? "ok (faster)" : "MISS: not faster";
        if (speedup <= 1)
          misses.push(`${r.group}: SSEParserStream not faster than 4.1.3's pipeline`);
      }
      return [
        r.workload,
        base === undefined ? "-" : fmtMs(base.median),
        cell(r.stats[streamFloor.id], base),
        cell(own, base),
        cell(peer, base),
        reference === undefined ? "-" : fmtX(reference),
        Number.isNaN(speedup) ? "-" : fmtX(speedup),
        verdict,
      ];
    });
    console.log(
      "\nStreams: median ms (ratio of time to BASELINE, median of per-round ratios); lower is better\n",
    );
    console.log(
      table(
        [
          "workload",
          "BASELINE ms",
          "stream floor",
          "SSEParserStream",
          "TextDecoderStream + EventSourceParserStream 4.1.3",
          "4.1.3 in issue",
          "4.1.3 / ssekit",
          "ssekit target",
        ],
        rows,
      ),
    );
  }

  console.log("\nWorkloads:");
  for (const w of built.values()) {
    console.log(`  ${w.name}: ${w.description}`);
    for (const note of w.notes ?? []) console.log(`    ${note}`);
  }
  console.log("\nRounds and noise (interquartile range / median, per contender):");
  for (const r of results) {
    const noise = Object.entries(r.stats)
      .map(([id, s]) => `${id} ${spread(s)}`)
      .join(", ");
    console.log(`  ${r.group}: ${r.rounds} rounds; ${noise}`);
  }
  return { misses };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const cpu = cpus();
  console.log(
    `ssekit parser benchmark, ${new Date().toISOString()}\n` +
      `Node ${process.version} ${platform()}-${arch()}, ${cpu.length} x ${cpu[0]?.model ?? "unknown CPU"}, ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${loadavg()[0]?.toFixed(2)}; ` +
      `${args.quick ? "--quick" : "full run"}` +
      `${filter ? `, --filter ${filter.source}` : ""}`,
  );

  const results: GroupResult[] = [];
  const built = new Map<string, Workload>();
  for (const spec of WORKLOADS) {
    const groups: { name: string; stream: boolean }[] = [{ name: spec.name, stream: false }];
    if (spec.stream && !args["no-stream"])
      groups.push({ name: `${spec.name}/stream`, stream: true });
    const selected = groups.filter((g) => filter === undefined || filter.test(g.name));
    if (selected.length === 0) continue;

    fullGc();
    const t0 = performance.now();
    const w = spec.build();
    built.set(w.name, w);
    process.stderr.write(
      `${w.name}: built in ${fmtMs(performance.now() - t0)} ms; ${w.description}\n`,
    );
    deepCheck(w);

    for (const g of selected) {
      const t1 = performance.now();
      const result = await measure(
        g.name,
        w,
        g.stream ? STREAM_CONTENDERS : SYNC_CONTENDERS,
        g.stream,
      );
      results.push(result);
      const medians = Object.entries(result.stats)
        .map(([id, s]) => `${id} ${fmtMs(s.median)}`)
        .join(", ");
      const seconds = (performance.now() - t1) / 1000;
      process.stderr.write(
        `  ${g.name}: ${result.rounds} rounds in ${seconds.toFixed(seconds < 10 ? 1 : 0)} s; median ms: ${medians}\n`,
      );
    }
    // Drop the workload's chunks before building the next one.
    w.chunks = [];
    w.expectedMessages = [];
  }

  if (results.length === 0) {
    console.error(`no workload matches --filter ${args.filter}`);
    return 1;
  }
  const { misses } = report(results, built);
  if (args.json !== undefined) {
    writeFileSync(
      args.json,
      JSON.stringify(
        { date: new Date().toISOString(), node: process.version, config, results },
        null,
        1,
      ),
    );
    console.log(`\nsamples written to ${args.json}`);
  }
  console.log(
    misses.length === 0
      ? "\nssekit meets every target in this run."
      : `\nssekit misses ${misses.length} target(s):\n${misses.map((m) => `  - ${m}`).join("\n")}`,
  );
  return args.check && misses.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof SanityError) console.error(`\nSANITY CHECK FAILED: ${error.message}`);
    else console.error(error);
    process.exitCode = 1;
  },
);
