/**
 * Phase 2 of the client benchmark, time to event: a ping-pong on one open stream. The client asks
 * the server (IPC) to send event k and times until the library hands it over; IPC and the network
 * are in every contender's time alike, so the delta to raw fetch is the library's own latency.
 * LF, CRLF and lone-CR endings: a client that holds a CR-terminated event until more input
 * arrives never delivers it here; after 1.1 s (an event merely late on a busy machine arrives by
 * then) the server sends a comment chunk to release it, and the contender is reported as "held
 * until next chunk".
 */
import type { Contender } from "./client-contenders.js";
import { fullGcTwice, roundOrder, type Server, sleep, within } from "./client-harness.js";
import type { LatencyCell } from "./results.js";
import { median, percentile } from "./stats.js";

const HOLD_TIMEOUT = 100;
const LATE_TIMEOUT = 1000;

/** When `got` resolves within `ms`, its value; otherwise undefined. The timer never outlives it. */
async function arrival(got: Promise<number>, ms: number): Promise<number | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([got, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
export const ENDINGS = ["lf", "crlf", "cr"] as const;
type Ending = (typeof ENDINGS)[number];

export interface LatencyConfig {
  rounds: number;
  samples: number;
  warmup: number;
}

interface LatencyResult {
  times: number[]; // ms
  held: number;
  sessions: number;
}

let tokens = 0;
let seq = 0;

async function pingSession(
  config: LatencyConfig,
  server: Server,
  contender: Contender,
  ending: Ending,
  result: LatencyResult,
): Promise<void> {
  const token = `t${++tokens}`;
  const opened = server.opened(token);
  let expected = "";
  let arrived: ((at: number) => void) | undefined;
  let readyResolve = () => {};
  const ready = new Promise<void>((resolve) => {
    readyResolve = resolve;
  });
  const close = contender.open(`${server.base}/ping?token=${token}&ending=${ending}`, {
    event(data) {
      if (data !== undefined && data !== expected) return;
      const resolve = arrived;
      arrived = undefined;
      resolve?.(performance.now());
    },
    ready: () => readyResolve(),
    end() {},
  });
  try {
    await within(Promise.all([opened, ready]), 10_000, `${contender.name} connecting`);
    await sleep(20);
    result.sessions++;
    let held = 0;
    for (let i = 0; i < config.warmup + config.samples; i++) {
      const k = seq++;
      expected = String(k);
      const got = new Promise<number>((resolve) => {
        arrived = resolve;
      });
      const t0 = performance.now();
      server.send({ cmd: "send", token, seq: k });
      // Not there after HOLD_TIMEOUT: held, or late on a busy machine. A held event never comes
      // on its own; a late one does, so give it LATE_TIMEOUT more before calling it held.
      const at = (await arrival(got, HOLD_TIMEOUT)) ?? (await arrival(got, LATE_TIMEOUT));
      if (at === undefined) {
        // Held back: release it with one more chunk, and count it.
        server.send({ cmd: "nudge", token });
        await within(got, 5_000, `${contender.name}: event ${k} after the nudge`);
        held++;
        result.held++;
        if (held >= 3) break; // it does so every time: no need to wait out more samples
        continue;
      }
      if (i >= config.warmup) result.times.push(at - t0);
    }
  } finally {
    close();
  }
}

/** Time to event per contender and line ending: median and p95 of the samples. */
export async function latencyBench(
  config: LatencyConfig,
  server: Server,
  contenders: readonly Contender[],
): Promise<{ name: string; endings: Record<string, LatencyCell> }[]> {
  const results = new Map<string, LatencyResult>();
  const key = (c: Contender, e: Ending) => `${c.name}\0${e}`;
  for (const c of contenders) {
    for (const e of ENDINGS) results.set(key(c, e), { times: [], held: 0, sessions: 0 });
  }
  for (let round = 0; round < config.rounds; round++) {
    for (const contender of roundOrder(contenders, round)) {
      for (const ending of ENDINGS) {
        fullGcTwice();
        await pingSession(
          config,
          server,
          contender,
          ending,
          results.get(key(contender, ending)) as LatencyResult,
        );
      }
    }
    // Let the server see every connection closed before the next round.
    await sleep(50);
    process.stderr.write(`  latency round ${round + 1}/${config.rounds}\n`);
  }
  return contenders.map((c) => {
    const endings: Record<string, LatencyCell> = {};
    for (const e of ENDINGS) {
      const r = results.get(key(c, e)) as LatencyResult;
      endings[e] = {
        median: r.times.length > 0 ? median(r.times) : Number.NaN,
        p95: r.times.length > 0 ? percentile(r.times, 0.95) : Number.NaN,
        held: r.held,
        samples: r.times.length,
      };
    }
    return { name: c.name, endings };
  });
}
