/**
 * Soak and leaks: connect/drop/reconnect cycles, create/close cycles and many concurrent clients
 * in one process, against a server in a child process (test/fixtures/soak-server.ts), so that
 * this process holds only the clients. After each, the heap after a full GC has grown by less than
 * 1 MB and the active handles (`process.getActiveResourcesInfo()`) are what they were before.
 * Bounded in `npm test`; `npm run test:chaos` runs 10,000 cycles and 1,000 clients
 * (test/chaos/scale.ts). The figures are printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fullGc } from "../../bench/gc.js";
import { EventSource, SSEClient } from "../../src/index.js";
import { deferred } from "../fixtures/deferred.js";
import { type SoakServer, startSoakServer } from "../fixtures/soak-server.js";
import { macrotask } from "../fixtures/ticks.js";
import { SOAK } from "./scale.js";

const MB = 1024 * 1024;
const KINDS = ["SSEClient", "EventSource"] as const;
type Kind = (typeof KINDS)[number];

let soak: SoakServer;
beforeAll(async () => {
  soak = await startSoakServer();
});
afterAll(() => soak.close());

/** The heap after full collections. */
function heap(): number {
  fullGc();
  fullGc();
  return process.memoryUsage().heapUsed;
}

/** The active handles and requests, counted by type. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** The active resources beyond `baseline`, by type (a timer of the runner's may have gone). */
function beyond(baseline: Record<string, number>): Record<string, number> {
  const extra: Record<string, number> = {};
  for (const [type, count] of Object.entries(resources())) {
    if (count > (baseline[type] ?? 0)) extra[type] = count - (baseline[type] ?? 0);
  }
  return extra;
}

/**
 * Waits until the server has no connection open and this process has no active resource beyond
 * `baseline` (closing a socket takes a few turns of the event loop); fails with the extra ones
 * after 1,000 turns.
 */
async function settled(baseline: Record<string, number>): Promise<void> {
  await soak.drained();
  for (let turn = 0; turn < 1000 && Object.keys(beyond(baseline)).length > 0; turn++) {
    await macrotask();
  }
  expect(beyond(baseline)).toEqual({});
}

/** A client of either kind: each message's data, and its close. */
function open(kind: Kind, url: string, onData: (data: string) => void): () => void {
  if (kind === "EventSource") {
    const source = new EventSource(`${url}${url.includes("?") ? "&" : "?"}retry=0`);
    source.onmessage = (event) => onData(event.data as string);
    return () => source.close();
  }
  const client = new SSEClient(url, { retry: { initialDelay: 0, maxDelay: 1, jitter: 0 } });
  client.on("message", (message) => onData(message.data));
  return () => client.close();
}

/** Runs `cycles` connect/drop/reconnect cycles of one client; each delivers the next event. */
async function reconnectCycles(kind: Kind, cycles: number): Promise<void> {
  const done = deferred();
  let count = 0;
  const close = open(kind, `${soak.url}/cycle`, (data) => {
    count++;
    if (data !== String(count)) done.reject(new Error(`event ${count} was ${data}`));
    if (count === cycles) done.resolve();
  });
  await done.promise.finally(close);
}

/** Creates and closes clients of /hold one after the other; every other one is open first. */
async function createCloseCycles(kind: Kind, cycles: number): Promise<void> {
  for (let i = 0; i < cycles; i++) {
    if (i % 2 === 0) {
      open(kind, `${soak.url}/hold`, () => {})();
      continue;
    }
    const opened = deferred();
    if (kind === "EventSource") {
      const source = new EventSource(`${soak.url}/hold`);
      source.onopen = () => opened.resolve();
      await opened.promise;
      source.close();
    } else {
      const client = new SSEClient(`${soak.url}/hold`, { onOpen: () => opened.resolve() });
      await opened.promise;
      client.close();
    }
  }
}

/** Events per client in the concurrent test. */
const EVENTS = 10;

/**
 * Opens `n` clients of /events at once, waits until each has events 1..10 in order, calls `whileOpen`
 * (its result is returned), and closes them all.
 */
async function concurrentClients(
  kind: Kind,
  n: number,
  whileOpen: () => number = () => 0,
): Promise<number> {
  const all = deferred();
  let complete = 0;
  const closes = Array.from({ length: n }, () => {
    let count = 0;
    return open(kind, `${soak.url}/events?n=${EVENTS}`, (data) => {
      count++;
      if (data !== String(count)) all.reject(new Error(`event ${count} was ${data}`));
      if (count === EVENTS && ++complete === n) all.resolve();
    });
  });
  try {
    await all.promise;
    return whileOpen();
  } finally {
    for (const close of closes) close();
  }
}

/**
 * Runs `work` once small to warm up, then measures it at full size: heap growth and handles
 * after everything is closed.
 */
async function leakCheck(warm: () => Promise<void>, work: () => Promise<void>): Promise<number> {
  const start = resources();
  await warm();
  await settled(start);
  const before = heap();
  await work();
  await settled(start);
  return heap() - before;
}

describe("soak", () => {
  it.each(KINDS)(
    `%s: ${SOAK.reconnects} connect/drop/reconnect cycles leak no heap and no handle`,
    async (kind) => {
      const t0 = performance.now();
      const growth = await leakCheck(
        () => reconnectCycles(kind, SOAK.warm),
        () => reconnectCycles(kind, SOAK.reconnects),
      );
      const ms = Math.round(performance.now() - t0);
      console.info(
        `soak ${kind}: ${SOAK.reconnects} reconnect cycles in ${ms} ms, heap growth ${(growth / 1024).toFixed(0)} KB`,
      );
      expect(growth).toBeLessThan(MB);
    },
    SOAK.deadline,
  );

  it.each(KINDS)(
    `%s: ${SOAK.creates} create/close cycles leak no heap and no handle`,
    async (kind) => {
      const t0 = performance.now();
      const growth = await leakCheck(
        () => createCloseCycles(kind, SOAK.warm),
        () => createCloseCycles(kind, SOAK.creates),
      );
      const ms = Math.round(performance.now() - t0);
      console.info(
        `soak ${kind}: ${SOAK.creates} create/close cycles in ${ms} ms, heap growth ${(growth / 1024).toFixed(0)} KB`,
      );
      expect(growth).toBeLessThan(MB);
    },
    SOAK.deadline,
  );

  it.each(KINDS)(
    `%s: ${SOAK.clients} concurrent clients get every event and leave nothing after close()`,
    async (kind) => {
      const n = SOAK.clients;
      const t0 = performance.now();
      const start = resources();
      // The first round grows what Node's fetch keeps for good (about 6 KB per connection of the
      // biggest round, with a bare fetch too): the second round is the one measured.
      await concurrentClients(kind, n);
      await settled(start);
      const before = heap();
      const open = await concurrentClients(kind, n, () => heap());
      await settled(start);
      const growth = heap() - before;
      const perClient = (open - before) / n;
      const ms = Math.round(performance.now() - t0);
      console.info(
        `soak ${kind}: ${n} concurrent clients (twice, ${ms} ms), ${n * EVENTS} events, ${(perClient / 1024).toFixed(1)} KB of heap per open client, ${(growth / 1024).toFixed(0)} KB after close()`,
      );
      expect(growth).toBeLessThan(MB);
    },
    SOAK.deadline,
  );
});
