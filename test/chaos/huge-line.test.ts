/**
 * A 100 MiB line, in 64 KiB chunks as a network delivers it. Under the default `maxEventSize`
 * (128 Mi UTF-16 code units) it is a legal event: `SSEClient` and `EventSource` deliver it whole,
 * then the event after it, and hold none of it once closed. Over a `maxEventSize` it is skipped:
 * `SSEClient` reports a `ParseError` to `onError` and delivers the event after it.
 */
import { describe, expect, it } from "vitest";
import { fullGc } from "../../bench/gc.js";
import { EventSource, ParseError, SSEClient, type SSEError } from "../../src/index.js";
import { utf8 } from "../fixtures/bytes.js";
import { Collector } from "../fixtures/collector.js";
import { SSE_CONTENT_TYPE } from "../fixtures/sse-heads.js";

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;
const LINE = 100 * MiB;
const X = "x".charCodeAt(0);

/** A fetch answering `data: ` + 100 MiB of `x`, then `data: after`, in 64 KiB chunks. */
function hugeLineFetch(): typeof fetch {
  return async () => {
    let sent = -1;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (sent < 0) controller.enqueue(utf8("data: "));
          else if (sent < LINE) controller.enqueue(new Uint8Array(CHUNK).fill(X));
          else {
            controller.enqueue(utf8("\n\ndata: after\n\n"));
            controller.close();
          }
          sent = sent < 0 ? 0 : sent + CHUNK;
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { headers: SSE_CONTENT_TYPE });
  };
}

/** The heap after a full collection. */
function heap(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

describe("a 100 MiB line", () => {
  it.each(["SSEClient", "EventSource"] as const)(
    "%s delivers it whole under the default maxEventSize, then the next event, and keeps none of it",
    async (kind) => {
      const before = heap();
      const got = new Collector<string>();
      let close: () => void;
      if (kind === "SSEClient") {
        const errors: SSEError[] = [];
        const client = new SSEClient("https://huge.test/", {
          fetch: hugeLineFetch(),
          reconnectOnEnd: false,
          onError: (error) => errors.push(error),
        });
        client.on("message", ({ data }) => got.push(data));
        close = () => {
          client.close();
          expect(errors).toEqual([]);
        };
      } else {
        const source = new EventSource("https://huge.test/", { fetch: hugeLineFetch() });
        source.onmessage = (event) => got.push(event.data as string);
        close = () => source.close();
      }
      // Only a summary is kept here: the test must not hold the string it checks is released.
      const summary = await got.waitFor(2).then(([huge = "", after]) => ({
        length: huge.length,
        // (Not a regular expression: V8 keeps the last subject of one, as `RegExp.input`.)
        onlyX: huge === "x".repeat(LINE),
        after,
      }));
      close();
      got.items.length = 0;
      expect(summary).toEqual({ length: LINE, onlyX: true, after: "after" });
      expect(heap() - before).toBeLessThan(4 * MiB);
    },
    120_000,
  );

  // Issue 11 item 4: an oversized event is skipped and the stream goes on (it was fatal, and
  // "after" never came).
  it("over maxEventSize, SSEClient skips it with a ParseError to onError and delivers the next event", async () => {
    const got = new Collector<string>();
    const errors = new Collector<SSEError>();
    const client = new SSEClient("https://huge.test/", {
      fetch: hugeLineFetch(),
      maxEventSize: MiB,
      reconnectOnEnd: false,
      onError: (error) => errors.push(error),
    });
    client.on("message", ({ data }) => got.push(data));
    await client.closed;
    expect(errors.items).toHaveLength(1);
    expect(errors.items[0]).toBeInstanceOf(ParseError);
    expect(got.items).toEqual(["after"]);
  }, 120_000);
});
