/**
 * Hostile input through the whole client, engine included (the parser alone is fuzzed in
 * test/parser/): random bytes and SSE-like streams in random chunkings, endless comments, and a
 * body that errors mid-stream. Nothing may throw out of the engine or crash the process (vitest
 * fails a run with an unhandled error): `SSEClient` and `EventSource` deliver exactly what the
 * parser makes of the same bytes in one piece, and report trouble only as `SSEError`s.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fullGc } from "../../bench/gc.js";
import {
  createParser,
  EventSource,
  NetworkError,
  ParseError,
  SSEClient,
  type SSEError,
  type SSEMessage,
} from "../../src/index.js";
import { splitAt, utf8 } from "../fixtures/bytes.js";
import { Collector } from "../fixtures/collector.js";
import { deferred } from "../fixtures/deferred.js";
import { fakeFetch } from "../fixtures/fake-fetch.js";
import { SSE_CONTENT_TYPE } from "../fixtures/sse-heads.js";
import { macrotask } from "../fixtures/ticks.js";

const URL = "https://hostile.test/stream";

/** One SSE-like line: a field name or garbage, a separator, any text, any line ending or none. */
const line = fc
  .tuple(
    fc.constantFrom("data", "event", "id", "retry", "", "dat", "data ", "\uFEFFdata", ":"),
    fc.constantFrom(":", ": ", "", "::"),
    fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.constantFrom("10", "é😀", "\0")),
    fc.constantFrom("\n", "\r", "\r\n", "", "\n\n"),
  )
  .map((parts) => utf8(parts.join("")));

/** Random bytes, or SSE-like lines with random bytes between some of them. */
const hostileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .array(fc.oneof({ weight: 5, arbitrary: line }, fc.uint8Array({ maxLength: 4 })), {
      maxLength: 40,
    })
    .map((parts) => Uint8Array.from(parts.flatMap((part) => [...part]))),
);

/** A stream and where it is cut into chunks. */
const hostile = fc.record({
  bytes: hostileBytes,
  cuts: fc.array(fc.nat({ max: 400 }), { maxLength: 20 }),
  maxEventSize: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
});

function chunksOf({ bytes, cuts }: { bytes: Uint8Array; cuts: number[] }): Uint8Array[] {
  const offsets = [...new Set(cuts.filter((cut) => cut < bytes.length))].sort((a, b) => a - b);
  return splitAt(bytes, offsets, { copy: true }).filter((chunk) => chunk.length > 0);
}

/** What the parser makes of the bytes in one piece; past `maxEventSize` it goes on. */
function reference(bytes: Uint8Array, maxEventSize: number | undefined): SSEMessage[] {
  const messages: SSEMessage[] = [];
  const parser = createParser({
    onMessage: (message) => messages.push(message),
    onError: () => {},
    ...(maxEventSize === undefined ? {} : { maxEventSize }),
  });
  parser.feed(bytes);
  parser.end();
  return messages;
}

const fields = ({
  type,
  data,
  lastEventId,
}: {
  type: string;
  data: string;
  lastEventId: string;
}) => ({
  type,
  data,
  lastEventId,
});

describe("hostile input: random bytes in random chunks", () => {
  it("SSEClient delivers what the parser makes of them, reports only SSEErrors, never throws", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (input) => {
        const { fetch } = fakeFetch({ body: chunksOf(input), end: true });
        const messages: SSEMessage[] = [];
        const errors: unknown[] = [];
        const client = new SSEClient(URL, {
          fetch,
          reconnectOnEnd: false,
          ...(input.maxEventSize === undefined ? {} : { maxEventSize: input.maxEventSize }),
          onMessage: (message) => messages.push(message as SSEMessage),
          onError: (error) => errors.push(error),
        });
        const ended = await client.closed.then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(errors.every((error) => error instanceof ParseError)).toBe(true);
        expect(ended).toBeUndefined();
        const expected = reference(input.bytes, input.maxEventSize).map(fields);
        const got = messages.map(fields);
        // An oversized event is skipped (a ParseError to onError) and the stream goes on.
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("EventSource delivers what the parser makes of them and never throws", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (input) => {
        const { fetch } = fakeFetch({ body: chunksOf(input), end: true });
        const source = new EventSource(URL, { fetch });
        const messages: { type: string; data: string; lastEventId: string }[] = [];
        source.onmessage = ({ type, data, lastEventId }) =>
          messages.push({ type, data: data as string, lastEventId });
        // The end of the body: EventSource announces its reconnection with an error event.
        const ended = deferred();
        source.onerror = () => ended.resolve();
        await ended.promise;
        source.close();
        const expected = reference(input.bytes, undefined).filter((m) => m.type === "message");
        expect(messages).toEqual(expected.map(fields));
      }),
      { numRuns: 300 },
    );
  });
});

/** A body that sends an event and part of the next, then errors with `boom`. */
function breaking(boom: Error): Response {
  let pulls = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulls++ === 0)
          controller.enqueue(utf8("retry: 1\nid: 1\ndata: one\n\nid: 2\ndata: tw"));
        else controller.error(boom);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { headers: SSE_CONTENT_TYPE });
}

/**
 * A fetch answering with an endless body: `chunk(n)` on pull number n (from 1); `reached`
 * resolves at pull `at`. Like a real fetch's, the body errors when the request is aborted;
 * `released` tells that it was aborted or cancelled.
 */
function endless(chunk: (pull: number) => Uint8Array, at: number) {
  const state = { pulls: 0, released: false, reached: deferred() };
  const fetch = async (_input: unknown, init?: RequestInit) => {
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          init?.signal?.addEventListener("abort", () => {
            state.released = true;
            controller.error(init.signal?.reason);
          });
        },
        pull(controller) {
          state.pulls++;
          controller.enqueue(chunk(state.pulls));
          if (state.pulls === at) state.reached.resolve();
        },
        cancel() {
          state.released = true;
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { headers: SSE_CONTENT_TYPE });
  };
  return { state, fetch };
}

/** The heap after a full collection. */
function heap(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

const MB = 1024 * 1024;
/** 64 KiB of comment lines. */
const COMMENTS = utf8(": heartbeat\n".repeat(Math.floor(65_536 / 12)));

describe("hostile input: streams that never behave", () => {
  it("a body that errors mid-stream: SSEClient reports a NetworkError and resumes from the last id", async () => {
    const boom = new TypeError("the network went away");
    const { fetch, calls } = fakeFetch(() => breaking(boom), { body: "id: 2\ndata: two\n\n" });
    const errors: SSEError[] = [];
    const client = new SSEClient(URL, {
      fetch,
      retry: { initialDelay: 1 },
      onError: (error) => errors.push(error),
    });
    const got: string[] = [];
    for await (const { data } of client) {
      got.push(data);
      if (got.length === 2) break;
    }
    expect(got).toEqual(["one", "two"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(NetworkError);
    expect(errors[0]?.cause).toBe(boom);
    expect(calls[1]?.headers.get("last-event-id")).toBe("1");
  });

  it("a body that errors mid-stream: EventSource reconnects and resumes from the last id", async () => {
    const { fetch, calls } = fakeFetch(() => breaking(new TypeError("gone")), {
      body: "id: 2\ndata: two\n\n",
    });
    const source = new EventSource(URL, { fetch });
    const got = new Collector<string>();
    const states: number[] = [];
    source.onmessage = (event) => got.push(event.data as string);
    source.onerror = () => states.push(source.readyState);
    expect(await got.waitFor(2)).toEqual(["one", "two"]);
    source.close();
    expect(states).toEqual([EventSource.CONNECTING]);
    expect(calls[1]?.headers.get("last-event-id")).toBe("1");
  });

  it.each(["SSEClient", "EventSource"] as const)(
    "%s: endless comments (64 MiB) hold no memory, the event after them arrives, close() releases the body",
    async (kind) => {
      const at = 1024; // pulls of 64 KiB
      const last = utf8(": last\ndata: after\n\n");
      const { state, fetch } = endless((pull) => (pull === at ? last : COMMENTS), at);
      const before = heap();
      const got = deferred<string>();
      let close: () => void;
      let comments = 0;
      if (kind === "SSEClient") {
        const client = new SSEClient(URL, {
          fetch,
          onComment: () => comments++,
          onError: (error) => got.reject(error),
        });
        client.on("message", (message) => got.resolve(message.data));
        close = () => client.close();
      } else {
        const source = new EventSource(URL, { fetch });
        source.onmessage = (event) => got.resolve(event.data as string);
        source.onerror = () => got.reject(new Error("an error event"));
        close = () => source.close();
      }
      await state.reached.promise;
      const during = heap() - before;
      expect(await got.promise).toBe("after");
      close();
      await macrotask();
      expect(state.released).toBe(true);
      expect(during).toBeLessThan(4 * MB);
      if (kind === "SSEClient") expect(comments).toBe((at - 1) * (COMMENTS.length / 12) + 1);
    },
    60_000,
  );

  it("a fetch that ignores the abort signal (msw, some polyfills): the body is cancelled after a ParseError", async () => {
    const { fetch, calls } = fakeFetch({
      body: `data: ${"x".repeat(100)}\n\n`,
      ignoreSignal: true,
    });
    const errors = new Collector<SSEError>();
    const client = new SSEClient(URL, { fetch, maxEventSize: 10, onError: (e) => errors.push(e) });
    const [error] = await errors.waitFor(1);
    expect(error).toBeInstanceOf(ParseError);
    client.close();
    await macrotask();
    expect(calls[0]?.cancelled).toBe(true);
  });

  it("an endless comment line is cut off at maxEventSize with a ParseError; memory stays bounded", async () => {
    const start = utf8(": ");
    const more = utf8("x".repeat(65_536));
    const { state, fetch } = endless((pull) => (pull === 1 ? start : more), Infinity);
    const errors = new Collector<SSEError>();
    const client = new SSEClient(URL, { fetch, maxEventSize: MB, onError: (e) => errors.push(e) });
    const [error] = await errors.waitFor(1);
    expect(error).toBeInstanceOf(ParseError);
    // The limit is met within a chunk of 1 MiB: nothing more was read first.
    expect(state.pulls).toBeLessThanOrEqual(MB / 65_536 + 3);
    client.close();
    await macrotask();
    expect(state.released).toBe(true);
  });
});
