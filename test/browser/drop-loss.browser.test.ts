/**
 * Nothing that reached the browser is lost when the connection drops (issue 11, item 1). The
 * server writes events and then destroys the socket (an incomplete chunked body: a network
 * error). Chromium's `fetch` body stream often drops the bytes that arrive together with the
 * failure; `createXhrFetch()` reads through `XMLHttpRequest` instead. Each scenario runs RUNS
 * times per contender, interleaved, side by side with the browser's native `EventSource`.
 *
 * The native one loses events too, now and then, so "about as often" is a statistical claim: the
 * test fails when a contender's loss rate is significantly more than the native one's plus
 * MARGIN (a one-sided z-test on the difference of two proportions, 99 %). The `fetch` transport,
 * ssekit's default, is measured alongside and reported only: the first scenario shows what
 * `createXhrFetch()` is for.
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

/**
 * How much more often than the native `EventSource` a contender may lose the event: 3 points.
 * Without a margin the test failed at random: over the 21 runs of the first scenario on record
 * (2,520 each), the native one lost 113, `EventSource` + `createXhrFetch()` 144 and `SSEClient` +
 * `createXhrFetch()` 117. Were these the true rates, "not significantly more than native" fails
 * about 1 run in 28 (it did on 2026-12-07: 9 against 1), and with the margin about 1 in 750
 * (exact binomial sums). `fetch`'s usual loss (53-89 of 120) still fails every time, its lowest
 * on record (21) in 7 runs of 10, a true loss rate of 30 % in 997 of 1,000. In the 30-run
 * scenarios the margin moves the threshold by one event at most.
 */
const MARGIN = 0.03;

/** Whether `lost` of `runs` is significantly more than `reference` of `runs` plus MARGIN (99 %). */
function significantlyMore(lost: number, reference: number, runs: number): boolean {
  const p = lost / runs;
  const q = reference / runs;
  const excess = p - q - MARGIN;
  // The difference's standard error from each rate (Wald), as a test against a margin uses.
  const sd = Math.sqrt((p * (1 - p) + q * (1 - q)) / runs);
  return sd === 0 ? excess > 0 : excess / sd > 2.326;
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
