/**
 * Parser throughput benchmark: ssekit vs eventsource-parser 3.1.1 / 4.1.3 (and 4.1.3 again, the
 * A/A control) vs a decode-only BASELINE, on generated workloads (see bench/workloads.ts and
 * docs/benchmarks.md).
 *
 *   npm run bench                        full run (~3 min on 2 cores)
 *   npm run bench -- --quick             fast smoke run
 *   npm run bench -- --filter '^llm'     only workloads whose name matches the regex
 *   npm run bench -- --json /tmp/b.json  also write the results (bench/results.ts) as JSON
 *   npm run bench -- --check             exit 1 when ssekit misses a target (bench/targets.ts)
 *
 * The timing loop is bench/parser-measure.ts; the tables bench/parser-report.ts.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { STREAM_CONTENDERS, syncContenders } from "./contenders.js";
import { fullGc } from "./gc.js";
import { machine, machineLine } from "./machine.js";
import { deepCheck, SanityError } from "./parser-check.js";
import { FULL, measure, QUICK } from "./parser-measure.js";
import { noiseLines, parserTable, streamTable, summarize } from "./parser-report.js";
import type { ParserResults, ParserRow } from "./results.js";
import { fmtMs } from "./stats.js";
import { parserVerdicts, verdictLines } from "./targets.js";
import { WORKLOADS } from "./workloads.js";

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
  --json FILE   write the results (medians, ratios, verdicts) to FILE
  --check       exit 1 when ssekit misses one of its targets
  --no-stream   skip the */stream workloads`);
  process.exit(0);
}

const config = { ...(args.quick ? QUICK : FULL) };
if (args.rounds !== undefined) {
  const n = Number(args.rounds);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--rounds: expected a positive integer, got ${args.rounds}`);
  config.fixedRounds = n;
}
const filter = args.filter === undefined ? undefined : new RegExp(args.filter);

async function main(): Promise<number> {
  const info = machine();
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  console.log(`ssekit parser benchmark, ${info.date}\n${machineLine(info)}; ${command}`);

  const rows: ParserRow[] = [];
  const workloads: ParserResults["workloads"] = [];
  for (const spec of WORKLOADS) {
    const groups: { name: string; stream: boolean }[] = [{ name: spec.name, stream: false }];
    if (spec.stream && !args["no-stream"])
      groups.push({ name: `${spec.name}/stream`, stream: true });
    const selected = groups.filter((g) => filter === undefined || filter.test(g.name));
    if (selected.length === 0) continue;

    fullGc();
    const t0 = performance.now();
    const w = spec.build();
    workloads.push({ name: w.name, description: w.description, notes: w.notes ?? [] });
    process.stderr.write(
      `${w.name}: built in ${fmtMs(performance.now() - t0)} ms; ${w.description}\n`,
    );
    deepCheck(w);

    for (const g of selected) {
      const t1 = performance.now();
      const contenders = g.stream ? STREAM_CONTENDERS : syncContenders(spec.plain);
      const result = await measure(config, g.name, w, contenders, g.stream);
      rows.push(summarize(result, contenders));
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

  if (rows.length === 0) {
    console.error(`no workload matches --filter ${args.filter}`);
    return 1;
  }
  const verdicts = parserVerdicts(rows);
  console.log(
    "\nParsers: median ms (ratio of time to BASELINE); ratios are medians of per-round ratios; lower is better\n",
  );
  console.log(parserTable(rows));
  if (rows.some((r) => r.stream)) {
    console.log("\nStreams: median ms (ratio of time to BASELINE); lower is better\n");
    console.log(streamTable(rows));
  }
  console.log("\nWorkloads:");
  for (const w of workloads) {
    console.log(`  ${w.name}: ${w.description}`);
    for (const note of w.notes) console.log(`    ${note}`);
  }
  console.log("\nRounds and noise (interquartile range / median, per contender):");
  console.log(noiseLines(rows));
  console.log(`\nTargets:\n${verdictLines(verdicts)}`);
  if (args.json !== undefined) {
    const results: ParserResults = { machine: info, command, rows, workloads, verdicts };
    writeFileSync(args.json, `${JSON.stringify(results, null, 1)}\n`);
    console.log(`\nresults written to ${args.json}`);
  }
  const misses = verdicts.filter((v) => !v.ok).length;
  console.log(
    misses === 0
      ? "\nssekit meets every target in this run."
      : `\nssekit misses ${misses} target(s).`,
  );
  return args.check && misses > 0 ? 1 : 0;
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
