/**
 * Nothing that reached the browser is lost when the connection drops (issue 11, item 1). The
 * server writes events and then destroys the socket (an incomplete chunked body: a network
 * error). Chromium's `fetch` body stream often drops the bytes that arrive together with the
 * failure; `createXhrFetch()` reads through `XMLHttpRequest` instead. Each scenario runs RUNS
 * times per contender, interleaved, side by side with the browser's native `EventSource`.
 *
 * The native one loses events too, now and then, so "no more often" is a statistical claim: the
 * test fails when a contender's loss count is significantly higher than the native one's (a
 * one-sided two-proportion z-test at 99 %). The `fetch` transport, ssekit's default, is measured
 * alongside and reported only: the first scenario shows what `createXhrFetch()` is for.
 */
import { describe, expect, inject, it } from "vitest";
import { createXhrFetch, EventSource as SsekitEventSource } from "../../src/index.js";
import { Fixture, newKey } from "../event-source/helpers.js";
import { clientRun, type DropRun, eventSourceRun } from "../fixtures/drop-contenders.js";
import type { ScriptStep } from "../fixtures/script.js";

const fixture = new Fixture(inject("sseUrl"));
/** Runs of the first scenario, the one the issue measured; the others are regression checks. */
const RUNS = 120;
const RUNS_MID_STREAM = 30;

const CONTENDERS: Record<string, DropRun> = {
  native: eventSourceRun(globalThis.EventSource),
  "EventSource + createXhrFetch()": eventSourceRun(
    SsekitEventSource as unknown as typeof EventSource,
    { fetch: createXhrFetch() },
  ),
  "SSEClient + createXhrFetch()": clientRun(createXhrFetch()),
  "EventSource + fetch (reported)": eventSourceRun(
    SsekitEventSource as unknown as typeof EventSource,
  ),
  "SSEClient + fetch (reported)": clientRun(),
};
const CHECKED = ["EventSource + createXhrFetch()", "SSEClient + createXhrFetch()"];

/** Whether `lost` out of `runs` is significantly more than `reference` (one-sided, 99 %). */
function significantlyMore(lost: number, reference: number, runs: number): boolean {
  const pooled = (lost + reference) / (2 * runs);
  const sd = Math.sqrt((2 * pooled * (1 - pooled)) / runs);
  return sd === 0 ? lost > reference : (lost - reference) / runs / sd > 2.326;
}

interface Scenario {
  step: ScriptStep;
  runs: number;
  /** Whether the `fetch` transport runs too (reported only). */
  withFetch: boolean;
}

const SCENARIOS: Record<string, Scenario> = {
  // The first bytes of the body: a complete event and part of the next, then the failure at once.
  "a complete event and part of the next, then the drop at once": {
    step: { body: ["id: 1\ndata: last\n\nid: 2\ndata: par"], after: "destroy" },
    runs: RUNS,
    withFetch: true,
  },
  // Mid-stream, inside the 50 ms in which Chromium holds back XMLHttpRequest's progress events.
  "two events 2 ms apart mid-stream, the drop 30 ms later": {
    step: {
      body: [
        "data: one\n\n",
        { wait: 60 },
        "data: x\n\n",
        { wait: 2 },
        "data: last\n\n",
        { wait: 30 },
      ],
      after: "destroy",
    },
    runs: RUNS_MID_STREAM,
    withFetch: false,
  },
  "mid-stream, a complete event and part of the next, then the drop at once": {
    step: {
      body: ["data: one\n\n", { wait: 60 }, "data: last\n\ndata: par"],
      after: "destroy",
    },
    runs: RUNS_MID_STREAM,
    withFetch: false,
  },
};

describe("events before a drop, side by side with the native EventSource", () => {
  for (const [name, { step, runs, withFetch }] of Object.entries(SCENARIOS)) {
    it(`${name} (${runs} runs)`, async () => {
      const lost: Record<string, number> = {};
      const contenders = Object.entries(CONTENDERS).filter(
        ([contender]) => withFetch || !contender.includes("(reported)"),
      );
      for (let run = 0; run < runs; run++) {
        for (const [contender, connect] of contenders) {
          const url = fixture.script(newKey(), [{ gap: 0, ...step }]);
          if (!(await connect(url))) lost[contender] = (lost[contender] ?? 0) + 1;
        }
      }
      console.log(`${name}: lost of ${runs}: ${JSON.stringify(lost)}`);
      for (const contender of CHECKED) {
        const worse = significantlyMore(lost[contender] ?? 0, lost.native ?? 0, runs);
        expect(worse, `${contender}: ${JSON.stringify(lost)}`).toBe(false);
      }
    }, 300_000);
  }
});
