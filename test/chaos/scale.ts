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

/** Connect/drop/reconnect cycles, create/close cycles and concurrent clients (soak.test.ts). */
export const SOAK = LONG
  ? { reconnects: 10_000, creates: 10_000, clients: 1000, deadline: 900_000 }
  : { reconnects: 1000, creates: 1000, clients: 200, deadline: 60_000 };
