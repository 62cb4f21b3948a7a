/**
 * The client benchmark's instrument, not its speed: on every stream the benchmark's server sends
 * (bench/client-streams.ts, through its own routes), every client contender hands over exactly
 * the events ssekit's parser reads from the same bytes, in order. The raw-fetch baseline parses
 * nothing and is left out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Contender, contenders } from "../../bench/client-contenders.js";
import { routes } from "../../bench/client-routes.js";
import { payload, STREAM_KINDS } from "../../bench/client-streams.js";
import { createParser } from "../../src/index.js";
import { type Listening, serve } from "../fixtures/http-server.js";

const EVENTS = 120;

let http: Listening;
beforeAll(async () => {
  http = await serve(routes(() => {}));
});
afterAll(async () => {
  await http?.close();
});

/** The events' data as ssekit's parser reads the stream's bytes. */
function reference(kind: string): string[] {
  const data: string[] = [];
  const parser = createParser({ onMessage: (m) => data.push(m.data) });
  parser.feed(new Uint8Array(payload(kind, EVENTS)));
  parser.end();
  return data;
}

/** Opens the stream with one contender and collects EVENTS events' data, then closes. */
function collect(contender: Contender, kind: string): Promise<(string | undefined)[]> {
  return new Promise((resolve, reject) => {
    const data: (string | undefined)[] = [];
    let close = () => {};
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      close();
      if (error) reject(error);
      else resolve(data);
    };
    close = contender.open(`${http.origin}/stream?n=${EVENTS}&kind=${kind}`, {
      event(value) {
        data.push(value);
        if (data.length === EVENTS) finish();
      },
      ready() {},
      end: () =>
        finish(new Error(`${contender.name}: the stream ended after ${data.length} events`)),
    });
  });
}

const parsing = contenders.slice(1);

describe("bench/client-contenders.ts", () => {
  it("has the raw-fetch baseline first, then the hand-written loop and its A/A copy", () => {
    expect(contenders.map((c) => c.name).slice(0, 3)).toEqual([
      "raw fetch (baseline)",
      "fetch + eventsource-parser 4.1.3",
      "fetch + eventsource-parser 4.1.3 again (A/A control)",
    ]);
  });

  it.each(STREAM_KINDS.map((k) => [k.name] as const))(
    "%s: every contender hands over the events ssekit's parser reads",
    async (kind) => {
      const expected = reference(kind);
      expect(expected).toHaveLength(EVENTS);
      for (const contender of parsing) {
        expect(await collect(contender, kind), contender.name).toEqual(expected);
      }
    },
    60_000,
  );
});
