/**
 * The chaos suite (test/chaos/chaos.test.ts) in Chromium, bounded: ssekit's `SSEClient` and
 * `EventSource` read the numbered stream of the fault-injecting server (started in Node by
 * global-setup.ts) to its end through Chromium's `fetch`, and nothing may be lost, duplicated,
 * reordered or corrupted. The server's counts come from /chaos/stats.
 */
import { describe, expect, inject, it } from "vitest";
import { createXhrFetch } from "../../src/index.js";
import { newKey } from "../event-source/helpers.js";
import { type ChaosStats, chaosStreamUrl } from "../fixtures/chaos-plan.js";
import { runChaosClient, runChaosEventSource } from "../fixtures/chaos-run.js";
import { expectFlawless } from "../fixtures/chaos-verdict.js";

const chaosUrl = inject("chaosUrl");
const events = 3000;
const faults = 100;
const deadline = 60_000;

async function statsOf(key: string): Promise<ChaosStats> {
  const response = await fetch(`${chaosUrl}/chaos/stats?key=${encodeURIComponent(key)}`);
  return (await response.json()) as ChaosStats;
}

describe(`chaos in Chromium: ${events} events over ${faults} faults`, () => {
  it(
    "SSEClient delivers every event once, in order, intact",
    async () => {
      const key = newKey();
      const url = chaosStreamUrl(chaosUrl, { key, seed: 21, events, faults });
      const result = await runChaosClient(url, { events, deadline, idleTimeout: 250 });
      const stats = await statsOf(key);
      expectFlawless("SSEClient (Chromium)", result, stats, { faults });
      expect(result.recreated).toBe(stats.wrongTypes);
    },
    deadline + 10_000,
  );

  it(
    "SSEClient over createXhrFetch() delivers every event once, in order, intact",
    async () => {
      const key = newKey();
      const url = chaosStreamUrl(chaosUrl, { key, seed: 23, events, faults });
      const fetch = createXhrFetch();
      const result = await runChaosClient(url, { events, deadline, idleTimeout: 250, fetch });
      const stats = await statsOf(key);
      expectFlawless("SSEClient over XHR (Chromium)", result, stats, { faults });
      expect(result.recreated).toBe(stats.wrongTypes);
    },
    deadline + 10_000,
  );

  it(
    "EventSource delivers every event once, in order, intact",
    async () => {
      const key = newKey();
      const url = chaosStreamUrl(chaosUrl, { key, seed: 22, events, faults, retry: 2, stall: 250 });
      const result = await runChaosEventSource(url, { events, deadline });
      const stats = await statsOf(key);
      expectFlawless("EventSource (Chromium)", result, stats, { faults });
      expect(result.recreated).toBe(stats.statusResponses + stats.wrongTypes);
    },
    deadline + 10_000,
  );
});
