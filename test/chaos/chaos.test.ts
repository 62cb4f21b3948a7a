/**
 * The chaos suite in Node: ssekit's `SSEClient` and `EventSource` read the numbered stream of the
 * fault-injecting server (test/fixtures/chaos-server.ts) to its end, and nothing may be lost,
 * duplicated, reordered or corrupted. Every kind of fault strikes: resets, clean ends and stalls
 * mid-event, bytes trickled one at a time, UTF-8 sequences and CRLF pairs cut between writes,
 * 503/429 bursts with `Retry-After`, a wrong content type, server restarts on the same port.
 *
 * Faults that end a client by design (the wrong content type; for `EventSource` also 503/429, as
 * the spec says) are met as an application must meet them: a new client resumes from the last
 * event ID (test/fixtures/chaos-run.ts), and the number of re-creations must equal the number of
 * responses the server spoiled. Bounded in `npm test`; `npm run test:chaos` runs 100,000 events
 * over 1,000 faults (test/chaos/scale.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newKey } from "../event-source/helpers.js";
import { chaosStreamUrl } from "../fixtures/chaos-plan.js";
import { runChaosClient, runChaosEventSource } from "../fixtures/chaos-run.js";
import { type ChaosServer, startChaosServer } from "../fixtures/chaos-server.js";
import { expectFlawless } from "../fixtures/chaos-verdict.js";
import { CHAOS } from "./scale.js";

const { events, faults, deadline } = CHAOS;

let chaos: ChaosServer;
beforeAll(async () => {
  chaos = await startChaosServer();
});
afterAll(() => chaos.close());

describe(`chaos: ${events} events over ${faults} faults`, () => {
  it(
    "SSEClient delivers every event once, in order, intact; only a wrong content type ends it",
    async () => {
      const key = newKey();
      const url = chaosStreamUrl(chaos.url, { key, seed: 11, events, faults });
      const result = await runChaosClient(url, { events, deadline, idleTimeout: 150 });
      const stats = chaos.stats(key);
      expectFlawless("SSEClient", result, stats, { faults });
      expect(result.recreated).toBe(stats.wrongTypes);
      expect(result.errors.HttpError).toBe(stats.statusResponses);
    },
    deadline + 10_000,
  );

  it(
    "EventSource delivers every event once, in order, intact; only 503, 429 and a wrong type end it",
    async () => {
      const key = newKey();
      const url = chaosStreamUrl(chaos.url, {
        key,
        seed: 12,
        events,
        faults,
        retry: 2,
        stall: 150,
      });
      const result = await runChaosEventSource(url, { events, deadline });
      const stats = chaos.stats(key);
      expectFlawless("EventSource", result, stats, { faults });
      expect(result.recreated).toBe(stats.statusResponses + stats.wrongTypes);
    },
    deadline + 10_000,
  );
});
