/**
 * Phase 3 of the client benchmark, heap per idle connection: open C connections to a server that
 * sends headers and one comment and stays idle, then heapUsed after full GCs, minus before,
 * divided by C; median of the rounds.
 */
import type { Contender } from "./client-contenders.js";
import { fullGcTwice, roundOrder, type Server, sleep, within } from "./client-harness.js";
import { median } from "./stats.js";

async function idleHeap(server: Server, contender: Contender, count: number): Promise<number> {
  const url = `${server.base}/idle`;
  fullGcTwice();
  const before = process.memoryUsage().heapUsed;
  const closers: (() => void)[] = [];
  let readyCount = 0;
  let allReady = () => {};
  const ready = new Promise<void>((resolve) => {
    allReady = resolve;
  });
  for (let i = 0; i < count; i++) {
    let seen = false;
    closers.push(
      contender.open(url, {
        event() {},
        ready() {
          if (seen) return;
          seen = true;
          if (++readyCount === count) allReady();
        },
        end() {},
      }),
    );
  }
  try {
    await within(
      ready,
      20_000,
      `${contender.name}: ${readyCount} of ${count} idle connections ready`,
    );
    await server.waitIdle(count);
    // Every connection has its comment (or, for clients that do not report comments, has been
    // open for this long: the comment is read by then).
    await sleep(200);
    fullGcTwice();
    return (process.memoryUsage().heapUsed - before) / count;
  } finally {
    for (const close of closers) close();
    await server.waitIdle(0);
    await sleep(50);
  }
}

/** KB per idle connection of each contender, and its delta to the first (raw fetch). */
export async function heapBench(
  server: Server,
  contenders: readonly Contender[],
  conns: number,
  rounds: number,
): Promise<{ name: string; kbPerConnection: number; deltaKb: number }[]> {
  const baseline = contenders[0] as Contender;
  const results = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
  // Warm-up: the first connections initialise modules, and the first burst of C connections grows
  // pools and tables that stay grown (about 6 KB per connection on Node 20): neither is memory
  // that a connection holds.
  await idleHeap(server, baseline, conns);
  for (const contender of contenders) await idleHeap(server, contender, 10);
  for (let round = 0; round < rounds; round++) {
    for (const contender of roundOrder(contenders, round)) {
      results.get(contender)?.push(await idleHeap(server, contender, conns));
    }
    process.stderr.write(`  heap round ${round + 1}/${rounds}\n`);
  }
  const kb = (c: Contender) => median(results.get(c) ?? []) / 1024;
  return contenders.map((c) => ({
    name: c.name,
    kbPerConnection: kb(c),
    deltaKb: kb(c) - kb(baseline),
  }));
}
