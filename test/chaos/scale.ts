/**
 * How big the chaos and soak runs are: bounded in `npm test`, the full counts of issue 11 with
 * `SSEKIT_CHAOS=long` (`npm run test:chaos`). Node only.
 */

/** The long run was asked for. */
export const LONG = process.env.SSEKIT_CHAOS === "long";

/** The numbered stream under faults (test/chaos/chaos.test.ts). */
export const CHAOS = LONG
  ? { events: 100_000, faults: 1000, deadline: 900_000 }
  : { events: 3000, faults: 100, deadline: 60_000 };

/**
 * Connect/drop/reconnect cycles, create/close cycles and concurrent clients (soak.test.ts), and
 * the cycles run before the heap is measured: until about cycle 3,000 the heap still grows with
 * JIT code and lazily grown tables (up to 1 MB); from there on, 27,000 more create/close cycles
 * stayed within its noise after a GC (a few hundred KB).
 */
export const SOAK = LONG
  ? { reconnects: 10_000, creates: 10_000, clients: 1000, warm: 3000, deadline: 1_800_000 }
  : { reconnects: 100, creates: 100, clients: 50, warm: 30, deadline: 60_000 };
