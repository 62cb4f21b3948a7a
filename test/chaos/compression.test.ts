/**
 * Compressed streams (`Content-Encoding: gzip`, `br`, `deflate`), which `fetch` decompresses:
 * each event reaches the client as soon as the server flushes it, not when the stream ends. The
 * server writes an event only once the client has the one before (within 4 s), so a client that
 * waited for the end of the stream would fail.
 */
import type { ServerResponse } from "node:http";
import { createBrotliCompress, createDeflate, createGzip } from "node:zlib";
import { describe, expect, it } from "vitest";
import { EventSource } from "../../src/index.js";
import { Collector } from "../fixtures/collector.js";
import { useServer } from "../fixtures/recording-server.js";
import { SSE_HEADERS } from "../fixtures/sse-heads.js";
import { sendHead } from "../fixtures/writing.js";

const ENCODERS = { gzip: createGzip, br: createBrotliCompress, deflate: createDeflate };
type Encoding = keyof typeof ENCODERS;
const EVENTS = 3;

/** One delivered event, and how many events the server had written when it arrived. */
interface Arrival {
  data: string;
  written: number;
}

/**
 * Streams events 1..3 compressed with `encoding`, each flushed, each written only after the client
 * got the one before; then ends.
 */
async function compressed(
  res: ServerResponse,
  encoding: Encoding,
  arrivals: Collector<Arrival>,
  written: { count: number },
): Promise<void> {
  sendHead(res, 200, { ...SSE_HEADERS, "content-encoding": encoding });
  const encoder = ENCODERS[encoding]();
  encoder.pipe(res);
  for (let i = 1; i <= EVENTS; i++) {
    if (i > 1) await arrivals.waitFor(i - 1, { what: `event ${i - 1} (${encoding})` });
    encoder.write(`id: ${i}\ndata: ${i} é😀\n\n`);
    written.count = i;
    await new Promise<void>((resolve) => encoder.flush(() => resolve()));
  }
  encoder.end();
}

describe("compressed streams are delivered event by event", () => {
  const ctx = useServer();

  it.each(Object.keys(ENCODERS) as Encoding[])("SSEClient, %s", async (encoding) => {
    const arrivals = new Collector<Arrival>();
    const written = { count: 0 };
    ctx.server.route("/z", ({ res }) => compressed(res, encoding, arrivals, written));
    const client = ctx.client(ctx.server.url("/z"), { reconnectOnEnd: false });
    client.on("message", ({ data }) => arrivals.push({ data, written: written.count }));
    await client.closed;
    expect(arrivals.items).toEqual([
      { data: "1 é😀", written: 1 },
      { data: "2 é😀", written: 2 },
      { data: "3 é😀", written: 3 },
    ]);
  });

  it.each(Object.keys(ENCODERS) as Encoding[])("EventSource, %s", async (encoding) => {
    const arrivals = new Collector<Arrival>();
    const written = { count: 0 };
    ctx.server.route("/z", ({ res }) => compressed(res, encoding, arrivals, written));
    const source = new EventSource(ctx.server.url("/z"));
    source.onmessage = (event) =>
      arrivals.push({ data: event.data as string, written: written.count });
    try {
      await arrivals.waitFor(EVENTS, { what: `all events (${encoding})` });
    } finally {
      source.close();
    }
    expect(arrivals.items.map((arrival) => arrival.written)).toEqual([1, 2, 3]);
    expect(arrivals.items[0]?.data).toBe("1 é😀");
  });
});
