/**
 * Typed data: the `Events` type parameter with `parse: "json"` or a parse function. Compile-time
 * checks use `expectTypeOf` (checked by `tsc --noEmit`) and `@ts-expect-error`; the same code runs
 * against a fake fetch. A data parse failure is reported as a DataParseError, the message skipped,
 * and the stream goes on.
 */
import { describe, expect, expectTypeOf, it, vi } from "vitest";
import {
  type ClientMessage,
  DataParseError,
  type MessageOf,
  SSEClient,
  SSEError,
  type SSEMessage,
} from "../../src/index.js";
import { deferred } from "../fixtures/deferred.js";
import { fakeFetch } from "../fixtures/fake-fetch.js";

const URL_ = "http://sse.test/typed";

/** A fetch answering every request with one event-stream body, then nothing (retry off). */
function fetchOf(body: string | Uint8Array[]): typeof globalThis.fetch {
  return fakeFetch({ body, end: true }).fetch;
}

type ChatEvents = { delta: { content: string }; done: { reason: string } };

/** Runs the client to its end, returning everything that was iterated. */
async function drain<E extends Record<string, unknown>>(
  client: SSEClient<E>,
): Promise<MessageOf<E>[]> {
  const out: MessageOf<E>[] = [];
  for await (const m of client) out.push(m);
  return out;
}

describe("typed events with parse: 'json'", () => {
  it("on() gives typed data per event type, at compile time and at run time", async () => {
    const client = new SSEClient<ChatEvents>(URL_, {
      parse: "json",
      retry: false,
      start: false,
      fetch: fetchOf(
        'event: delta\ndata: {"content":"Hel"}\n\n' +
          'event: delta\nid: 2\ndata: {"content":"lo"}\n\n' +
          'event: done\ndata: {"reason":"stop"}\n\n',
      ),
    });
    const contents: string[] = [];
    const reasons: string[] = [];
    client.on("delta", (m) => {
      expectTypeOf(m).toEqualTypeOf<ClientMessage<{ content: string }, "delta">>();
      expectTypeOf(m.data).toEqualTypeOf<{ content: string }>();
      expectTypeOf(m.data.content).toBeString();
      expectTypeOf(m.type).toEqualTypeOf<"delta">();
      expectTypeOf(m.lastEventId).toBeString();
      expect(m.type).toBe("delta");
      contents.push(m.data.content);
    });
    client.on("done", (m) => {
      expectTypeOf(m.data).toEqualTypeOf<{ reason: string }>();
      reasons.push(m.data.reason);
    });
    const drained = drain(client);
    client.connect();
    const all = await drained;
    expect(contents).toEqual(["Hel", "lo"]);
    expect(reasons).toEqual(["stop"]);
    expect(all).toEqual([
      { type: "delta", data: { content: "Hel" }, lastEventId: "" },
      { type: "delta", data: { content: "lo" }, lastEventId: "2", id: "2" },
      { type: "done", data: { reason: "stop" }, lastEventId: "2" },
    ]);
  });

  it("for await yields the union, narrowed by type", async () => {
    const client = new SSEClient<ChatEvents>(URL_, {
      parse: "json",
      retry: false,
      fetch: fetchOf(
        'event: delta\ndata: {"content":"a"}\n\nevent: done\ndata: {"reason":"r"}\n\n',
      ),
    });
    const seen: string[] = [];
    for await (const m of client) {
      expectTypeOf(m).toEqualTypeOf<
        ClientMessage<{ content: string }, "delta"> | ClientMessage<{ reason: string }, "done">
      >();
      if (m.type === "delta") {
        expectTypeOf(m.data).toEqualTypeOf<{ content: string }>();
        seen.push(`delta:${m.data.content}`);
      } else {
        expectTypeOf(m.data).toEqualTypeOf<{ reason: string }>();
        seen.push(`done:${m.data.reason}`);
      }
    }
    expect(seen).toEqual(["delta:a", "done:r"]);
  });

  it("rejects unknown event types and wrong fields at compile time", () => {
    const client = new SSEClient<ChatEvents>(URL_, { parse: "json", start: false });
    // @ts-expect-error "nope" is not an event type of ChatEvents
    client.on("nope", () => {});
    client.on("delta", (m) => {
      // @ts-expect-error a delta has no reason
      void m.data.reason;
    });
    client.on("done", (m) => {
      // @ts-expect-error a done's reason is a string
      const n: number = m.data.reason;
      void n;
    });
    expectTypeOf(client.on<"delta">)
      .parameter(0)
      .toEqualTypeOf<"delta">();
    expectTypeOf(client.on("delta", () => {})).toEqualTypeOf<() => void>();
    client.close();
  });

  it("without a type parameter, data is a string keyed by any event type", async () => {
    const client = new SSEClient(URL_, {
      retry: false,
      fetch: fetchOf('event: whatever\ndata: {"raw":1}\n\n'),
    });
    const seen: string[] = [];
    client.on("whatever", (m) => {
      expectTypeOf(m.data).toBeString();
      expectTypeOf(m.type).toEqualTypeOf<"whatever">();
      seen.push(m.data);
    });
    for await (const m of client) {
      expectTypeOf(m.data).toBeString();
      expect(typeof m.data).toBe("string");
    }
    expect(seen).toEqual(['{"raw":1}']);
  });

  it("JSON scalars, arrays and null are parsed too", async () => {
    const client = new SSEClient<{ message: unknown }>(URL_, {
      parse: "json",
      retry: false,
      fetch: fetchOf('data: 42\n\ndata: [1,2]\n\ndata: null\n\ndata: "s"\n\ndata: true\n\n'),
    });
    const data = (await drain(client)).map((m) => m.data);
    expect(data).toEqual([42, [1, 2], null, "s", true]);
  });
});

describe("a data parse failure", () => {
  it("reports DataParseError with the raw data, type and lastEventId; skips the message; goes on", async () => {
    const errors: SSEError[] = [];
    const client = new SSEClient<ChatEvents>(URL_, {
      parse: "json",
      retry: false,
      start: false,
      onError: (e) => errors.push(e),
      fetch: fetchOf(
        'event: delta\ndata: {"content":"ok1"}\n\n' +
          "event: delta\nid: 7\ndata: {bad json\ndata: line 2\n\n" +
          'event: delta\ndata: {"content":"ok2"}\n\n',
      ),
    });
    const listened: string[] = [];
    client.on("delta", (m) => listened.push(m.data.content));
    const drained = drain(client);
    client.connect();
    const all = await drained; // no throw: the stream went on and ended cleanly
    expect(all.map((m) => m.data)).toEqual([{ content: "ok1" }, { content: "ok2" }]);
    expect(listened).toEqual(["ok1", "ok2"]);
    expect(errors).toHaveLength(1);
    const error = errors[0] as DataParseError;
    expect(error).toBeInstanceOf(DataParseError);
    expect(error).toBeInstanceOf(SSEError);
    expect(error.name).toBe("DataParseError");
    expect(error.type).toBe("delta");
    expect(error.data).toBe("{bad json\nline 2");
    expect(error.lastEventId).toBe("7");
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.message).toContain('"delta"');
    // The message after the bad one still carries the id.
    expect(all[1]?.lastEventId).toBe("7");
    expect(client.lastEventId).toBe("7");
  });

  it("is not fatal: the connection stays open and later chunks are delivered", async () => {
    // An open body that sends nothing until the test pushes, and ignores the abort signal.
    const { fetch, calls } = fakeFetch({ body: "", ignoreSignal: true });
    const push = (text: string) => calls.at(-1)?.push(text);
    const errors: SSEError[] = [];
    const opened = deferred();
    const client = new SSEClient<{ message: { n: number } }>(URL_, {
      parse: "json",
      fetch,
      onOpen: () => opened.resolve(),
      onError: (e) => errors.push(e),
    });
    const iterator = client[Symbol.asyncIterator]();
    await opened.promise;
    push("data: nope\n\n");
    push('data: {"n":1}\n\n');
    const first = await iterator.next();
    expect(first).toEqual({
      done: false,
      value: { type: "message", data: { n: 1 }, lastEventId: "" },
    });
    expect(errors.map((e) => e.name)).toEqual(["DataParseError"]);
    expect(client.readyState).toBe("open");
    client.close();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it("a listener that throws is not a DataParseError", async () => {
    const reported: unknown[] = [];
    const reportError = vi.fn((e: unknown) => reported.push(e));
    vi.stubGlobal("reportError", reportError);
    try {
      const errors: SSEError[] = [];
      const client = new SSEClient<{ message: number }>(URL_, {
        parse: "json",
        retry: false,
        start: false,
        onError: (e) => errors.push(e),
        fetch: fetchOf("data: 1\n\ndata: 2\n\n"),
      });
      const boom = new Error("listener bug");
      client.on("message", () => {
        throw boom;
      });
      const drained = drain(client);
      client.connect();
      expect((await drained).map((m) => m.data)).toEqual([1, 2]);
      expect(errors).toEqual([]);
      expect(reported).toEqual([boom, boom]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("a custom parse function", () => {
  it("receives (data, message) and its result becomes the data", async () => {
    const calls: [string, SSEMessage][] = [];
    const parse = (data: string, message: SSEMessage) => {
      calls.push([data, { ...message }]);
      return { upper: data.toUpperCase(), type: message.type };
    };
    const client = new SSEClient<{ tick: { upper: string; type: string } }>(URL_, {
      parse,
      retry: false,
      fetch: fetchOf("event: tick\nid: a1\ndata: one\n\nevent: tick\ndata: two\ndata: lines\n\n"),
    });
    const all = await drain(client);
    expect(calls).toEqual([
      ["one", { type: "tick", data: "one", lastEventId: "a1", id: "a1" }],
      ["two\nlines", { type: "tick", data: "two\nlines", lastEventId: "a1" }],
    ]);
    expect(all).toEqual([
      { type: "tick", data: { upper: "ONE", type: "tick" }, lastEventId: "a1", id: "a1" },
      { type: "tick", data: { upper: "TWO\nLINES", type: "tick" }, lastEventId: "a1" },
    ]);
  });

  it("a throw (even of a non-Error) becomes a DataParseError with that cause", async () => {
    const errors: SSEError[] = [];
    const client = new SSEClient<{ message: number }>(URL_, {
      parse: (data) => {
        const n = Number(data);
        if (Number.isNaN(n)) throw `not a number: ${data}`;
        return n;
      },
      retry: false,
      onError: (e) => errors.push(e),
      fetch: fetchOf("data: 1\n\ndata: x\n\ndata: 3\n\n"),
    });
    const all = await drain(client);
    expect(all.map((m) => m.data)).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
    const error = errors[0] as DataParseError;
    expect(error).toBeInstanceOf(DataParseError);
    expect(error.cause).toBe("not a number: x");
    expect(error.data).toBe("x");
    expect(error.type).toBe("message");
    expect(error.lastEventId).toBe("");
  });

  it("may return undefined: the message is still delivered", async () => {
    const client = new SSEClient<{ message: undefined }>(URL_, {
      parse: () => undefined,
      retry: false,
      fetch: fetchOf("data: x\n\n"),
    });
    expect(await drain(client)).toEqual([{ type: "message", data: undefined, lastEventId: "" }]);
  });

  it("the parse option's type takes (string, SSEMessage)", () => {
    expectTypeOf<NonNullable<ConstructorParameters<typeof SSEClient>[1]>["parse"]>().toEqualTypeOf<
      "json" | ((data: string, message: SSEMessage) => unknown) | undefined
    >();
  });
});
