/**
 * Issue 11, item 1, in Node: when the server writes a complete event (and part of the next) and
 * the connection then fails at once, the complete event is delivered, every time, by SSEClient
 * and by EventSource (undici's body stream hands over every byte it received before the error).
 * The Chromium side, where it is not so, is test/browser/drop-loss.browser.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventSource } from "../../src/index.js";
import { Fixture, newKey } from "../event-source/helpers.js";
import { clientRun, type DropRun, eventSourceRun } from "../fixtures/drop-contenders.js";
import { type FixtureServer, type ScriptStep, startFixtureServer } from "../fixtures/server.js";

const RUNS = 100;
let server: FixtureServer;
let fixture: Fixture;

beforeAll(async () => {
  server = await startFixtureServer();
  fixture = new Fixture(server.url);
});
afterAll(() => server.close());

const SCENARIOS: Record<string, ScriptStep> = {
  "a complete event and part of the next, then the drop at once": {
    body: ["id: 1\ndata: last\n\nid: 2\ndata: par"],
    after: "destroy",
  },
  "mid-stream, a complete event and part of the next, then the drop at once": {
    body: ["data: one\n\n", { wait: 5 }, "data: last\n\ndata: par"],
    after: "destroy",
  },
};

const CONTENDERS: Record<string, DropRun> = {
  SSEClient: clientRun(),
  EventSource: eventSourceRun(EventSource as unknown as typeof globalThis.EventSource),
};

describe(`events before a drop are delivered every time in Node (${RUNS} runs each)`, () => {
  for (const [scenario, step] of Object.entries(SCENARIOS)) {
    for (const [name, connect] of Object.entries(CONTENDERS)) {
      it(`${name}: ${scenario}`, async () => {
        let lost = 0;
        for (let run = 0; run < RUNS; run++) {
          if (!(await connect(fixture.script(newKey(), [{ gap: 0, ...step }])))) lost++;
        }
        expect(lost).toBe(0);
      });
    }
  }
});
