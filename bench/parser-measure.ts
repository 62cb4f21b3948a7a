/**
 * The parser benchmark's timing loop. Contenders run in one process, interleaved: every round runs
 * each contender once, in an order rotated by one per round, with a scavenge (young-generation GC)
 * before every timed run and a full GC before each workload's warm-up.
 */
import { baseline, type Contender, type Tally } from "./contenders.js";
import { fullGc, minorGc } from "./gc.js";
import { checkTally } from "./parser-check.js";
import { type Stats, stats } from "./stats.js";
import type { Workload } from "./workloads.js";

export interface Config {
  warmupRounds: number;
  warmupMs: number;
  minRounds: number;
  maxRounds: number;
  budgetMs: number;
  fixedRounds: number | undefined;
}

export const QUICK: Config = {
  warmupRounds: 1,
  warmupMs: 100,
  minRounds: 3,
  maxRounds: 15,
  budgetMs: 500,
  fixedRounds: undefined,
};

export const FULL: Config = {
  warmupRounds: 3,
  warmupMs: 1000,
  minRounds: 15,
  maxRounds: 101,
  budgetMs: 6000,
  fixedRounds: undefined,
};

/** One workload's samples, by contender id. */
export interface GroupResult {
  group: string;
  workload: string;
  stream: boolean;
  rounds: number;
  stats: Record<string, Stats>;
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

export async function measure(
  config: Config,
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
