/**
 * A user mocking their SSE endpoint with msw (`setupServer` from msw/node). msw patches the global
 * `fetch` in `server.listen()`, after ssekit was imported: the client reaching the handlers proves
 * it looks `fetch` up at call time. Chunks are pushed by the test through the mocked stream's
 * controller, so "over time" is driven by explicit signals rather than sleeps.
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ClientMessage, type RetryInfo, SSEClient, type SSEError } from "../../src/index.js";
import { splitAt, utf8 } from "../fixtures/bytes.js";
import { Collector } from "../fixtures/collector.js";
import { type Deferred, deferred } from "../fixtures/deferred.js";
import { utf8Header } from "../fixtures/requests.js";
import { sseHeaders } from "../fixtures/sse-heads.js";
import { macrotask } from "../fixtures/ticks.js";

/** The fetch before msw patched it (module code runs before beforeAll). */
const fetchAtImport = globalThis.fetch;

const URL_ = "http://api.example.test/events";
/** msw's own example head: the content type with a charset, nothing else. */
const SSE_HEADERS = sseHeaders({ charset: true, cacheControl: null });

const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const clients: SSEClient<Record<string, string>>[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

interface MockConnection {
  request: Request;
  controller: ReadableStreamDefaultController<Uint8Array>;
  /** Resolves when the client went away (the mocked body was cancelled). */
  cancelled: Promise<unknown>;
}

/** A GET handler whose every request gets a stream the test writes to. */
function streamingEndpoint() {
  const connections: MockConnection[] = [];
  const waiters: Deferred<MockConnection>[] = [];
  server.use(
    http.get(URL_, ({ request }) => {
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const cancelled = deferred<unknown>();
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
        },
        cancel(reason) {
          cancelled.resolve(reason);
        },
      });
      const connection = { request, controller, cancelled: cancelled.promise };
      connections.push(connection);
      waiters.shift()?.resolve(connection);
      return new HttpResponse(body, { headers: SSE_HEADERS });
    }),
  );
  return {
    connections,
    next(): Promise<MockConnection> {
      const w = deferred<MockConnection>();
      waiters.push(w);
      return w.promise;
    },
  };
}

describe("msw-mocked endpoint", () => {
  it("msw patched the global fetch after ssekit was imported", () => {
    expect(globalThis.fetch).not.toBe(fetchAtImport);
  });

  it("streams chunks split mid-line and mid-UTF-8, in order, to for-await and listeners", async () => {
    const endpoint = streamingEndpoint();
    const first = endpoint.next();
    const client = new SSEClient(URL_, { reconnectOnEnd: false });
    clients.push(client);

    const viaIterator = new Collector<ClientMessage>();
    const viaListeners = new Collector<ClientMessage>();
    const order: string[] = [];
    client.on("message", (m) => {
      order.push(`message:${m.data}`);
      viaListeners.push(m);
    });
    client.on("ping", (m) => {
      order.push(`ping:${m.data}`);
      viaListeners.push(m);
    });
    const iteration = (async () => {
      for await (const m of client) viaIterator.push(m);
    })();

    const { controller, request } = await first;
    expect(request.headers.get("accept")).toBe("text/event-stream");
    expect(request.method).toBe("GET");

    // Message 1: "data: héllo\n\n", split between the two bytes of é.
    const one = utf8("data: h\u00e9llo\n\n");
    const eAt = one.indexOf(0xc3) + 1;
    const [oneA, oneB] = splitAt(one, [eAt], { copy: true });
    controller.enqueue(oneA as Uint8Array);
    await macrotask();
    expect(viaListeners.items).toEqual([]);
    controller.enqueue(oneB as Uint8Array);
    await viaListeners.waitFor(1);
    expect(viaListeners.items[0]).toEqual({ type: "message", data: "héllo", lastEventId: "" });

    // Message 2 (event ping, two data lines, an id) and the start of message 3 in pieces: split
    // mid-field-name, inside the emoji (after 2 of its 4 bytes), and between \r and \n.
    const rest = utf8("event: ping\r\ndata: 😀 one\r\ndata: two\r\nid: 7\r\n\r\ndata: thr");
    const emoji = rest.indexOf(0xf0) + 2;
    const crlf = rest.indexOf(0x0d) + 1;
    const parts = splitAt(rest, [3, crlf, emoji], { copy: true });
    for (const part of parts) {
      controller.enqueue(part);
      await macrotask();
    }
    await viaListeners.waitFor(2);
    expect(viaListeners.items[1]).toEqual({
      type: "ping",
      data: "😀 one\ntwo",
      lastEventId: "7",
      id: "7",
    });
    // Message 3 is incomplete: nothing more yet.
    await macrotask();
    expect(viaListeners.items).toHaveLength(2);

    controller.enqueue(utf8("ee 🎉\n\n"));
    await viaListeners.waitFor(3);
    expect(viaListeners.items[2]).toEqual({ type: "message", data: "three 🎉", lastEventId: "7" });
    expect(client.lastEventId).toBe("7");
    expect(client.readyState).toBe("open");

    controller.close();
    await iteration;
    expect(viaIterator.items).toEqual(viaListeners.items);
    expect(order).toEqual(["message:héllo", "ping:😀 one\ntwo", "message:three 🎉"]);
    expect(client.readyState).toBe("closed");
    expect(endpoint.connections).toHaveLength(1);
  });

  it("POST with a JSON body: the handler sees the body and content type; the stream closes at its end", async () => {
    const seen: {
      method: string;
      contentType: string | null;
      accept: string | null;
      body: unknown;
    }[] = [];
    server.use(
      http.post(URL_, async ({ request }) => {
        seen.push({
          method: request.method,
          contentType: request.headers.get("content-type"),
          accept: request.headers.get("accept"),
          body: await request.json(),
        });
        return new HttpResponse('data: {"token":"Hel"}\n\ndata: {"token":"lo"}\n\n', {
          headers: SSE_HEADERS,
        });
      }),
    );
    let closed = 0;
    const client = new SSEClient(URL_, {
      method: "POST",
      body: { prompt: "hi", options: { n: 1 } },
      onClose: () => closed++,
    });
    clients.push(client);
    const data: string[] = [];
    for await (const m of client) data.push(m.data);
    expect(data).toEqual(['{"token":"Hel"}', '{"token":"lo"}']);
    expect(seen).toEqual([
      {
        method: "POST",
        contentType: "application/json",
        accept: "text/event-stream",
        body: { prompt: "hi", options: { n: 1 } },
      },
    ]);
    expect(closed).toBe(1);
  });

  it("an error status from the handler reaches onError as an HttpError with the body", async () => {
    server.use(
      http.get(URL_, () =>
        HttpResponse.json({ error: "nope" }, { status: 404, statusText: "Not Found" }),
      ),
    );
    const errors: SSEError[] = [];
    const client = new SSEClient(URL_, { onError: (e) => errors.push(e) });
    clients.push(client);
    const thrown = await (async () => {
      try {
        for await (const _ of client) {
          // no message expected
        }
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBe(errors[0]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ name: "HttpError", status: 404, body: '{"error":"nope"}' });
  });

  it("reconnects with Last-Event-ID (UTF-8 bytes for a non-ASCII id) after the mocked stream ends", async () => {
    const endpoint = streamingEndpoint();
    const firstConnection = endpoint.next();
    const secondConnection = endpoint.next();
    const retries: RetryInfo[] = [];
    const client = new SSEClient(URL_, {
      retry: { initialDelay: 0, jitter: 0 },
      onRetry: (info) => retries.push(info),
    });
    clients.push(client);
    const received = new Collector<ClientMessage>();
    const iteration = (async () => {
      for await (const m of client) {
        received.push(m);
        if (m.data === "second") break;
      }
    })();

    const first = await firstConnection;
    expect(first.request.headers.has("last-event-id")).toBe(false);
    first.controller.enqueue(utf8("id: é1\ndata: first\n\n"));
    await received.waitFor(1);
    first.controller.close();

    const second = await secondConnection;
    const raw = second.request.headers.get("last-event-id");
    expect(raw).not.toBeNull();
    // node gives header values as latin1 strings; the bytes are the UTF-8 of the id.
    expect(utf8Header(raw ?? "")).toBe("é1");
    // initialDelay 0, but the connection ended right after it opened: the brief floor (decide.ts).
    expect(retries).toEqual([{ attempt: 1, delay: 100, cause: "end" }]);

    second.controller.enqueue(utf8("id: 2\ndata: second\n\n"));
    await iteration; // break closes the client
    expect(received.items).toEqual([
      { type: "message", data: "first", lastEventId: "é1", id: "é1" },
      { type: "message", data: "second", lastEventId: "2", id: "2" },
    ]);
    expect(client.readyState).toBe("closed");
    expect(endpoint.connections).toHaveLength(2);
  });

  it("close() while waiting for the next chunk: later chunks are not delivered, for-await ends", async () => {
    const endpoint = streamingEndpoint();
    const connection = endpoint.next();
    let closed = 0;
    const client = new SSEClient(URL_, { onClose: () => closed++ });
    clients.push(client);
    const viaListener = new Collector<ClientMessage>();
    const viaIterator = new Collector<ClientMessage>();
    client.on("message", (m) => viaListener.push(m));
    const iteration = (async () => {
      for await (const m of client) viaIterator.push(m);
    })();
    const { controller, request } = await connection;
    controller.enqueue(utf8("data: one\n\n"));
    await viaListener.waitFor(1);

    client.close();
    expect(closed).toBe(1);
    expect(client.readyState).toBe("closed");
    expect(request.signal.aborted).toBe(true);
    await iteration;
    // The mock keeps writing (msw does not tie its stream to the abort signal): nothing arrives.
    controller.enqueue(utf8("data: two\n\n"));
    await macrotask();
    await macrotask();
    expect(viaListener.items.map((m) => m.data)).toEqual(["one"]);
    expect(viaIterator.items.map((m) => m.data)).toEqual(["one"]);
    expect(endpoint.connections).toHaveLength(1);
  });

  it("the lastEventId option is sent on the first request", async () => {
    const endpoint = streamingEndpoint();
    const connection = endpoint.next();
    const client = new SSEClient(URL_, { lastEventId: "resume-41" });
    clients.push(client);
    const { request } = await connection;
    expect(request.headers.get("last-event-id")).toBe("resume-41");
    expect(client.lastEventId).toBe("resume-41");
  });

  it("headers and auth from functions reach the handler on every connection", async () => {
    const endpoint = streamingEndpoint();
    const a = endpoint.next();
    const b = endpoint.next();
    let n = 0;
    const client = new SSEClient(URL_, {
      headers: async () => ({ "x-connection": String(++n) }),
      auth: { token: () => `token-${n}` },
      retry: { initialDelay: 0, jitter: 0 },
    });
    clients.push(client);
    const first = await a;
    expect(first.request.headers.get("x-connection")).toBe("1");
    expect(first.request.headers.get("authorization")).toBe("Bearer token-1");
    first.controller.close();
    const second = await b;
    expect(second.request.headers.get("x-connection")).toBe("2");
    expect(second.request.headers.get("authorization")).toBe("Bearer token-2");
  });
});
