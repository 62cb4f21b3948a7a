/**
 * End-to-end client benchmark: ssekit's SSEClient against raw fetch, the fetch loop users write by
 * hand (fetch + reader + TextDecoder + eventsource-parser 4.1.3, twice: the second is the A/A
 * control) and the other SSE clients, over real HTTP on 127.0.0.1.
 *
 *   npm run bench:client               # full run (about 4 min on 2 cores)
 *   npm run bench:client -- --quick    # short run
 *   npm run bench:client -- --only=ssekit,raw   # contenders whose name contains one of these
 *   npm run bench:client -- --phases=cpu,latency,heap   # run only some measurements
 *   npm run bench:client -- --streams=ascii,llm-zh      # CPU phase on some streams only
 *   npm run bench:client -- --check    # exit 1 when ssekit misses a target (bench/targets.ts)
 *   npm run bench:client -- --json=FILE   # also write the results (bench/results.ts)
 *   npm run bench:client -- --tsx      # ssekit through tsx instead of a tsup build (profiling)
 *
 * The server runs in a child process (bench/client-server.ts), so this process's CPU time is the
 * client's alone. Three phases, contenders interleaved (every one once per round, in a seeded
 * random order drawn afresh each round), medians: CPU time per event on each stream of
 * bench/client-streams.ts (bench/client-cpu.ts), time to event (bench/client-latency.ts), heap
 * per idle connection (bench/client-heap.ts).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Contender } from "./client-contenders.js";
import { cpuBench } from "./client-cpu.js";
import { Server } from "./client-harness.js";
import { heapBench } from "./client-heap.js";
import { latencyBench } from "./client-latency.js";
import { cpuSummaryTable, cpuTable, heapTable, latencyTable } from "./client-report.js";
import { STREAM_KINDS, streamKind } from "./client-streams.js";
import { machine, machineLine } from "./machine.js";
import type { ClientResults } from "./results.js";
import { clientVerdicts, verdictLines } from "./targets.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const check = args.includes("--check");
const option = (name: string) => {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? undefined : arg.slice(name.length + 3);
};
const only = option("only")?.split(",");
const phases = new Set((option("phases") ?? "cpu,latency,heap").split(","));
const streams = (option("streams") ?? STREAM_KINDS.map((k) => k.name).join(",")).split(",");
for (const name of streams) streamKind(name); // fails fast on an unknown name
const json = option("json");

// Heap: the median of 9 rounds. With 3, a full run's A/A control differed by 1.1 KB and `on()`
// read +0.0 KB (against +1.4 in every longer run); with 9 the two copies agree within 0.1 KB.
const config = quick
  ? { events: 20_000, llmEvents: 10_000, rounds: 3, conns: 100, heapRounds: 2 }
  : { events: 100_000, llmEvents: 50_000, rounds: 15, conns: 200, heapRounds: 9 };
const latencyConfig = quick
  ? { rounds: 2, samples: 25, warmup: 5 }
  : { rounds: 3, samples: 100, warmup: 10 };

/**
 * The contenders, with ssekit compiled as it ships. tsx compiles with esbuild's `keepNames`, which
 * wraps every named closure in `__name()` (an `Object.defineProperty` on each function object):
 * that costs ssekit, whose parser and client are made of per-instance closures, about 5 KB per
 * connection that the tsup build does not have. So bench/client-contenders.ts and ssekit's
 * src/ are bundled by tsup (esbuild without keepNames, like `npm run build`) into
 * node_modules/.cache, next to the packages it leaves external, and imported from there.
 * `--tsx` imports them through tsx instead (source-mapped, for profiling).
 */
async function loadContenders(): Promise<Contender[]> {
  if (args.includes("--tsx")) return (await import("./client-contenders.js")).contenders;
  const { build } = await import("tsup");
  const outDir = fileURLToPath(
    new URL(`../node_modules/.cache/ssekit-bench-${process.pid}/`, import.meta.url),
  );
  await mkdir(outDir, { recursive: true });
  try {
    await build({
      entry: { contenders: fileURLToPath(new URL("./client-contenders.ts", import.meta.url)) },
      outDir,
      format: ["esm"],
      outExtension: () => ({ js: ".mjs" }),
      platform: "node",
      target: "es2022",
      skipNodeModulesBundle: true,
      splitting: false,
      dts: false,
      sourcemap: false,
      clean: false,
      silent: true,
      config: false,
    });
    const built = pathToFileURL(`${outDir}contenders.mjs`).href;
    return ((await import(built)) as typeof import("./client-contenders.js")).contenders;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

const allContenders = await loadContenders();
const BASELINE = allContenders[0] as Contender;
const contenders = only
  ? allContenders.filter((c) => c === BASELINE || only.some((o) => c.name.includes(o)))
  : allContenders;

async function main(): Promise<void> {
  const info = machine();
  const command = `npm run bench:client${args.length > 0 ? ` -- ${args.join(" ")}` : ""}`;
  if ((info.load[0] ?? 0) > 0.5) {
    process.stderr.write(
      `warning: load average ${info.load[0]} on ${info.cores} cores: other processes compete for the CPU and the numbers will be noisy\n`,
    );
  }
  console.log(`ssekit client benchmark, ${info.date}\n${machineLine(info)}; ${command}`);
  const server = await Server.start();
  const results: Omit<ClientResults, "verdicts"> = {
    machine: info,
    command,
    cpu: [],
    latency: [],
    latencySamples: `${latencyConfig.rounds}x${latencyConfig.samples} samples per ending`,
    heap: [],
    heapConnections: config.conns,
  };
  try {
    if (phases.has("cpu")) {
      for (const kind of streams) {
        const n = kind === "ascii" ? config.events : config.llmEvents;
        process.stderr.write(`CPU time per event, ${kind}...\n`);
        const t = await cpuBench(server, contenders, kind, n, config.rounds);
        results.cpu.push(t);
        console.log(
          `\n### CPU time per event: ${kind}, ${t.description} (${n} events; median of ${t.rounds} runs)\n`,
        );
        console.log(cpuTable(t));
      }
      console.log("\n### CPU per event against the hand-written loop, every stream\n");
      console.log(cpuSummaryTable(results.cpu));
    }
    if (phases.has("latency")) {
      process.stderr.write("Time to event...\n");
      results.latency = await latencyBench(latencyConfig, server, contenders);
      console.log(`\n### Time to event, ms (${results.latencySamples}; median / p95)\n`);
      console.log(latencyTable(results.latency));
    }
    if (phases.has("heap")) {
      process.stderr.write("Heap per idle connection...\n");
      results.heap = await heapBench(server, contenders, config.conns, config.heapRounds);
      console.log(
        `\n### Heap per idle connection (${config.conns} connections, heapUsed after full GC; median of ${config.heapRounds})\n`,
      );
      console.log(heapTable(results.heap));
    }
  } finally {
    await server.stop();
  }
  const verdicts = clientVerdicts(results);
  console.log(`\n### ssekit targets\n\n${verdictLines(verdicts)}`);
  if (json !== undefined) {
    await writeFile(json, `${JSON.stringify({ ...results, verdicts }, null, 1)}\n`);
    console.log(`\nresults written to ${json}`);
  }
  if (check && verdicts.some((v) => !v.ok)) process.exitCode = 1;
}

await main();
