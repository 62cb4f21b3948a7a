/**
 * Phase 1 of the client benchmark, CPU time per event: process.cpuUsage() (user + system, all
 * threads of this process: GC helpers included) over one whole run of N events, divided by N;
 * contenders interleaved, in a new order every round (roundOrder); medians.
 */
import type { Contender, Sink } from "./client-contenders.js";
import type { Server } from "./client-harness.js";
import { roundOrder, within } from "./client-harness.js";
import { streamKind } from "./client-streams.js";
import { minorGc } from "./gc.js";
import type { ClientCpuTable } from "./results.js";
import { median, pairedRatio } from "./stats.js";
import { CLIENT } from "./targets.js";

interface RunResult {
  cpu: number; // µs
  wall: number; // ms
  count: number;
}

async function drain(
  server: Server,
  contender: Contender,
  kind: string,
  n: number,
): Promise<RunResult> {
  // A scavenge, not a full GC: a forced full GC also discards optimized code, and every run
  // would then pay (in CPU time, on the compiler thread) for JIT-compiling the library again.
  minorGc();
  const url = `${server.base}/stream?n=${n}&kind=${kind}`;
  let count = 0;
  let close = () => {};
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await within(
    new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        close();
        resolve();
      };
      const sink: Sink = {
        event() {
          if (++count === n) finish();
        },
        ready() {},
        end: finish,
      };
      close = contender.open(url, sink);
    }),
    120_000,
    `${contender.name} reading ${n} events (got ${count})`,
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpu: cpu.user + cpu.system, wall, count };
}

/** One stream: every contender `rounds` times, the first contender being the raw-fetch baseline. */
export async function cpuBench(
  server: Server,
  contenders: readonly Contender[],
  kind: string,
  n: number,
  rounds: number,
): Promise<ClientCpuTable> {
  const baseline = contenders[0] as Contender;
  await server.call("prepare", { n, kind });
  const runs = new Map<Contender, RunResult[]>(contenders.map((c) => [c, []]));
  // Warm-up: every code path JIT-compiled and every module initialised before measuring.
  for (const contender of contenders) await drain(server, contender, kind, Math.min(n, 20_000));
  for (let round = 0; round < rounds; round++) {
    for (const contender of roundOrder(contenders, round)) {
      const result = await drain(server, contender, kind, n);
      if (contender !== baseline && result.count !== n) {
        throw new Error(`${contender.name}: ${result.count} events of ${n} on ${kind}`);
      }
      runs.get(contender)?.push(result);
    }
    process.stderr.write(`  cpu ${kind} round ${round + 1}/${rounds}\n`);
  }
  const perEvent = (c: Contender) => (runs.get(c) ?? []).map((r) => (r.cpu * 1000) / n);
  const nsPerEvent = (c: Contender) => median(perEvent(c));
  // Ratios are medians of per-round ratios: contenders of one round ran seconds apart.
  const ratio = (c: Contender, to: Contender | undefined) =>
    to === undefined ? Number.NaN : pairedRatio(perEvent(c), perEvent(to));
  const handWritten = contenders.find((c) => c.name === CLIENT.handWritten);
  return {
    stream: kind,
    description: streamKind(kind).description,
    events: n,
    rounds,
    cells: contenders.map((c) => ({
      name: c.name,
      nsPerEvent: nsPerEvent(c),
      bestNsPerEvent: Math.min(...perEvent(c)),
      vsRawFetch: ratio(c, baseline),
      vsHandWritten: ratio(c, handWritten),
      wallMs: median((runs.get(c) ?? []).map((r) => r.wall)),
    })),
  };
}
