/**
 * close() and the abort signal, from every state and from inside every callback: the client stops
 * at once, delivers nothing more, ends its loops without an error, and leaves no timer, socket or
 * signal listener behind. Timers are tracked through the global setTimeout (the one the client
 * calls), sockets with process.getActiveResourcesInfo().
 *
 * Found on Node 20 (undici 6.24): aborting a fetch whose body is streaming makes undici open a
 * new, never-used connection to the origin (nodejs/undici#5845 describes the mechanism). Its
 * client side is unref'd and not listed by getActiveResourcesInfo(), so it keeps nothing alive;
 * its server side stays open until the server or undici's keep-alive closes it. Pooled keep-alive
 * sockets (after a clean end) are likewise unref'd and unlisted.
 */
import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HttpError, SSEClient, SSEClientOptions } from "../../src/index.js";
import { FAST_RETRY, iterate, recorder } from "../fixtures/client-recorder.js";
import { Collector } from "../fixtures/collector.js";
import { deferred } from "../fixtures/deferred.js";
import { events, hang, sse, status } from "../fixtures/handlers.js";
import {
  type Handler,
  startServer,
  type TestServer,
  useServer,
} from "../fixtures/recording-server.js";
import { SSE_CONTENT_TYPE } from "../fixtures/sse-heads.js";
import { macrotask } from "../fixtures/ticks.js";

const ctx = useServer();

/** The pending timers made through the global setTimeout during the test, with their delays. */
const timers = new Map<ReturnType<typeof setTimeout>, number>();

beforeEach(() => {
  timers.clear();
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  vi.spyOn(globalThis, "setTimeout").mockImplementation(((
    callback: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const timer = realSetTimeout(() => {
      timers.delete(timer);
      callback(...args);
    }, ms);
    timers.set(timer, ms ?? 0);
    return timer;
  }) as unknown as typeof setTimeout);
  vi.spyOn(globalThis, "clearTimeout").mockImplementation((timer) => {
    timers.delete(timer as ReturnType<typeof setTimeout>);
    realClearTimeout(timer);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The delays of the pending timers that keep the process alive (undici's are unref'd). */
function liveTimers(): number[] {
  return [...timers].filter(([timer]) => timer.hasRef()).map(([, ms]) => ms);
}

/** Active resources by type; `Immediate` is left out (the polling below makes them). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (type !== "Immediate") counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/**
 * Polls (on setImmediate, no timer of its own) until `condition` holds; sockets and handles close
 * a few event-loop turns after the code that closed them. Fails after `ms`.
 */
async function settle(condition: () => boolean, describe: () => unknown, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`did not settle: ${JSON.stringify(describe())}`);
    }
    await macrotask();
  }
}

/**
 * The resources at the start of a test, once the handles of the previous test's server and
 * sockets have finished closing: the listening socket of this test's server and nothing else of
 * the network.
 */
async function baselineResources(): Promise<Record<string, number>> {
  await settle(
    () => {
      const now = resources();
      return now.TCPServerWrap === 1 && !now.TCPSocketWrap && !now.ConnectWrap;
    },
    () => resources(),
  );
  return resources();
}

/**
 * What the client may leave behind once closed: no pending timer (at once), and no socket but the
 * server's side of its connections (a client socket undici keeps is not listed only if it is
 * unref'd, so it keeps nothing alive).
 */
async function expectNoClientResources(baseline: Record<string, number>, server: TestServer) {
  expect(liveTimers()).toEqual([]);
  await settle(
    () =>
      (resources().TCPSocketWrap ?? 0) === (baseline.TCPSocketWrap ?? 0) + server.sockets.size &&
      (resources().Timeout ?? 0) <= (baseline.Timeout ?? 0),
    () => ({ baseline, now: resources(), serverSockets: server.sockets.size }),
  );
}

type Stop = "close()" | "signal";

/** A client whose `stop()` is close() or aborting its signal. */
function stoppable(how: Stop, url: string, options: SSEClientOptions = {}) {
  const controller = new AbortController();
  const rec = recorder();
  let client!: SSEClient;
  const stop = () => (how === "close()" ? client.close() : controller.abort());
  client = ctx.client(url, {
    retry: FAST_RETRY,
    ...rec.callbacks,
    ...options,
    ...(how === "signal" ? { signal: controller.signal } : {}),
  });
  return { client, rec, stop, signal: controller.signal };
}

/** The end every stop must reach: closed, one onClose, no error, loops ended without throwing. */
async function expectStopped(
  client: SSEClient,
  rec: ReturnType<typeof recorder>,
  done: Promise<{ error: unknown; threw: boolean }>,
) {
  expect(await done).toEqual({ error: undefined, threw: false });
  expect(client.readyState).toBe("closed");
  expect(rec.closes.length).toBe(1);
  // A loop started after the close ends at once, too.
  expect(await client[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
}

describe.each(["close()", "signal"] as const)("stopping with %s", (how) => {
  it("before connecting (start: false)", async () => {
    const { server } = ctx;
    const fetch = vi.fn<typeof globalThis.fetch>();
    const { client, rec, stop, signal } = stoppable(how, server.url("/s"), {
      start: false,
      fetch,
    });
    expect(client.readyState).toBe("closed");
    const { done } = iterate(client);
    stop();
    await expectStopped(client, rec, done);
    if (how === "signal") {
      // An aborted signal keeps it closed.
      client.connect();
      expect(client.readyState).toBe("closed");
      expect(getEventListeners(signal, "abort")).toEqual([]);
    }
    expect(fetch).not.toHaveBeenCalled();
    expect(rec.errors.length).toBe(0);
  });

  it("while connecting (the server holds the headers)", async () => {
    const { server } = ctx;
    server.route("/s", hang());
    const baseline = await baselineResources();
    const { client, rec, stop } = stoppable(how, server.url("/s"));
    const { done } = iterate(client);
    const request = await server.requestsTo("/s").nth(1);
    expect(client.readyState).toBe("connecting");
    stop();
    expect(client.readyState).toBe("closed");
    await expectStopped(client, rec, done);
    // The request was aborted: the server saw the connection go.
    expect(await request.closed).toEqual({ finished: false });
    expect(rec.errors.length).toBe(0);
    expect(rec.opens.length).toBe(0);
    await expectNoClientResources(baseline, server);
    expect(server.requests.length).toBe(1);
  });

  it("while open", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n"]));
    const baseline = await baselineResources();
    const { client, rec, stop } = stoppable(how, server.url("/s"));
    const { messages, done } = iterate(client);
    await messages.nth(1);
    expect(client.readyState).toBe("open");
    stop();
    await expectStopped(client, rec, done);
    expect(await server.requests.items[0]?.closed).toEqual({ finished: false });
    expect(rec.errors.length).toBe(0);
    expect(messages.length).toBe(1);
    await expectNoClientResources(baseline, server);
  });

  it("while waiting to reconnect (a long retry delay)", async () => {
    const { server } = ctx;
    server.route("/s", events(["id: 1\ndata: a\n\n"], "end"));
    const baseline = await baselineResources();
    const { client, rec, stop } = stoppable(how, server.url("/s"), {
      retry: { initialDelay: 60_000, maxDelay: 60_000, jitter: 0 },
    });
    const { done } = iterate(client);
    const retry = await rec.retries.nth(1);
    expect(retry).toEqual({ attempt: 1, delay: 60_000, cause: "end" });
    expect(client.readyState).toBe("connecting");
    // The backoff timer is there...
    expect(liveTimers()).toEqual([60_000]);
    stop();
    // ...and gone at once.
    expect(liveTimers()).toEqual([]);
    await expectStopped(client, rec, done);
    await expectNoClientResources(baseline, server);
    expect(server.requests.length).toBe(1);
  });

  it("from inside a listener: the rest of the chunk is never delivered", async () => {
    const { server } = ctx;
    // Three events in one write: one chunk for the parser.
    server.route("/s", ({ res }) => sse(res, ["data: 1\n\ndata: 2\n\ndata: 3\n\n"]));
    let stop!: () => void;
    const first = vi.fn(() => stop());
    const second = vi.fn();
    const made = stoppable(how, server.url("/s"));
    stop = made.stop;
    const { client, rec } = made;
    client.on("message", first);
    client.on("message", second);
    const { messages, done } = iterate(client);
    await expectStopped(client, rec, done);
    expect(first).toHaveBeenCalledTimes(1);
    expect(first).toHaveBeenCalledWith({ type: "message", data: "1", lastEventId: "" });
    // Not even the other listeners of the same message get it after the close.
    expect(second).not.toHaveBeenCalled();
    expect(messages.items.map((m) => m.data)).toEqual(["1"]);
    expect(rec.errors.length).toBe(0);
  });

  it("from onOpen: nothing of the body is delivered", async () => {
    const { server } = ctx;
    server.route("/s", ({ res }) => {
      // Head and events in one write (no flushHeaders): the body is there when onOpen runs.
      res.writeHead(200, SSE_CONTENT_TYPE);
      res.write("data: 1\n\ndata: 2\n\ndata: 3\n\n");
    });
    let stop!: () => void;
    const onOpen = vi.fn(() => stop());
    const listener = vi.fn();
    const made = stoppable(how, server.url("/s"), { onOpen });
    stop = made.stop;
    const { client, rec } = made;
    client.on("message", listener);
    const { messages, done } = iterate(client);
    await expectStopped(client, rec, done);
    expect(onOpen).toHaveBeenCalledTimes(1);
    expect(listener).not.toHaveBeenCalled();
    expect(messages.length).toBe(0);
    expect(rec.errors.length).toBe(0);
    expect(await server.requests.items[0]?.closed).toEqual({ finished: false });
  });

  it("from onRetry: no reconnection, no timer", async () => {
    const { server } = ctx;
    server.route("/s", status(500));
    const baseline = await baselineResources();
    let stop!: () => void;
    const retries = new Collector<number>();
    const made = stoppable(how, server.url("/s"), {
      onRetry: (info) => {
        stop();
        retries.push(info.attempt);
      },
    });
    stop = made.stop;
    const { client, rec } = made;
    const { done } = iterate(client);
    await retries.waitFor(1);
    // Had the loop gone on, its backoff timer would exist by now (it is set synchronously).
    expect(liveTimers()).toEqual([]);
    await expectStopped(client, rec, done);
    expect(rec.errors.length).toBe(1);
    expect(retries.items).toEqual([1]);
    await expectNoClientResources(baseline, server);
    expect(server.requests.length).toBe(1);
  });

  /**
   * A client of a route answering `code`, stopped from its `onError`; `during` runs in the
   * callback first. Resolves with the first error once it was reported.
   */
  async function stoppedFromOnError(code: number, during: (client: SSEClient) => void = () => {}) {
    ctx.server.route("/s", status(code));
    let stop!: () => void;
    const errors = new Collector<unknown>();
    const made = stoppable(how, ctx.server.url("/s"), {
      onError: (error) => {
        during(made.client);
        stop();
        errors.push(error);
      },
    });
    stop = made.stop;
    const { client, rec } = made;
    const { done } = iterate(client);
    const [error] = await errors.waitFor(1);
    return { client, rec, done, errors, error };
  }

  it("from onError: no onRetry, no reconnection", async () => {
    const { server } = ctx;
    const baseline = await baselineResources();
    const { client, rec, done, errors, error } = await stoppedFromOnError(503);
    expect((error as HttpError).status).toBe(503);
    expect(liveTimers()).toEqual([]);
    await expectStopped(client, rec, done);
    expect(rec.retries.length).toBe(0);
    expect(errors.length).toBe(1);
    await expectNoClientResources(baseline, server);
    expect(server.requests.length).toBe(1);
  });

  it("from onError on the fatal error: one onClose, the loops throw that error", async () => {
    const { server } = ctx;
    const { rec, done, errors, error } = await stoppedFromOnError(404, (client) => {
      expect(client.readyState).toBe("closed");
    });
    expect((error as HttpError).status).toBe(404);
    // The client was closed by the error already: stopping again changes nothing.
    expect(await done).toEqual({ error, threw: true });
    expect(rec.closes.length).toBe(1);
    expect(errors.length).toBe(1);
    expect(server.requests.length).toBe(1);
  });
});

describe("connect() from onError on the closing error", () => {
  it("starts a new run that the abort signal still stops", async () => {
    const { server } = ctx;
    server.route("/s", [status(404), events(["data: a\n\n"])]);
    const controller = new AbortController();
    const rec = recorder();
    let restarted = false;
    const client: SSEClient = ctx.client(server.url("/s"), {
      ...rec.callbacks,
      signal: controller.signal,
      onError: (error) => {
        rec.callbacks.onError?.(error);
        if (restarted) return;
        restarted = true;
        client.connect();
      },
    });
    const { messages, done } = iterate(client);
    await rec.opens.nth(1);
    expect(client.readyState).toBe("open");
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    expect(client.readyState).toBe("closed");
    expect(rec.closes.length).toBe(2);
    // The loop started before the restart ended with the 404.
    expect((await done).threw).toBe(true);
    expect(messages.length).toBe(0);
  });
});

describe("user callbacks and the constructor", () => {
  it("headers, body and auth.token run after the constructor returns", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n"]));
    const rec = recorder();
    const client: SSEClient = ctx.client(server.url("/s"), {
      // Reads the variable being assigned: it must be initialised by the time this runs.
      headers: () => ({ "x-url": client.url }),
      method: "POST",
      body: () => ({ url: client.url }),
      auth: { token: () => client.url },
      ...rec.callbacks,
    });
    const request = await server.requestsTo("/s").nth(1);
    expect(request.headers["x-url"]).toBe(server.url("/s"));
    expect(request.headers.authorization).toBe(`Bearer ${server.url("/s")}`);
    expect(JSON.parse(request.body)).toEqual({ url: server.url("/s") });
    expect(rec.errors.length).toBe(0);
  });

  it("closed right after construction: no callback, no request", async () => {
    const headers = vi.fn(() => ({}));
    const fetch = vi.fn<typeof globalThis.fetch>();
    const client = ctx.client(ctx.server.url("/s"), { headers, fetch });
    client.close();
    await Promise.resolve();
    await Promise.resolve();
    expect(headers).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("close() while the response is being judged", () => {
  it("the connection is never announced: no onOpen, closed, one onClose", async () => {
    const rec = recorder();
    let client!: SSEClient;
    const body = new ReadableStream<Uint8Array>({ start() {} });
    // The client is closed while it judges the response: when it reads the headers.
    class ClosingResponse extends Response {
      override get headers(): Headers {
        client.close();
        return super.headers;
      }
    }
    const fetch = async () => new ClosingResponse(body, { headers: SSE_CONTENT_TYPE });
    client = ctx.client(ctx.server.url("/s"), { fetch, ...rec.callbacks });
    await rec.closes.nth(1);
    await macrotask();
    expect(rec.opens.length).toBe(0);
    expect(client.readyState).toBe("closed");
    expect(rec.closes.length).toBe(1);
  });
});

describe("close()", () => {
  it("is idempotent: one onClose, and aborting the signal afterwards does nothing", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n"]));
    const controller = new AbortController();
    const rec = recorder();
    const client = ctx.client(server.url("/s"), { signal: controller.signal, ...rec.callbacks });
    const { messages, done } = iterate(client);
    await messages.nth(1);
    client.close();
    client.close();
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
    controller.abort();
    client.close();
    expect(await done).toEqual({ error: undefined, threw: false });
    expect(rec.closes.length).toBe(1);
    expect(rec.errors.length).toBe(0);
    expect(client.readyState).toBe("closed");
  });

  it("ends a loop waiting for a message, and loops on a closed client end at once", async () => {
    const { server } = ctx;
    server.route("/s", hang());
    const client = ctx.client(server.url("/s"));
    const iterator = client[Symbol.asyncIterator]();
    const pending = iterator.next();
    await server.requestsTo("/s").nth(1);
    client.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(await client[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
  });

  it("is what `break` does", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: 1\n\n", "data: 2\n\n"]));
    const rec = recorder();
    const client = ctx.client(server.url("/s"), rec.callbacks);
    const seen: string[] = [];
    for await (const message of client) {
      seen.push(message.data);
      break;
    }
    expect(seen).toEqual(["1"]);
    expect(client.readyState).toBe("closed");
    expect(rec.closes.length).toBe(1);
    expect(rec.errors.length).toBe(0);
    expect(await server.requests.items[0]?.closed).toEqual({ finished: false });
  });

  it.each([
    ["close()", "close"],
    ["a fatal error", "fatal"],
    ["a clean end (POST)", "end"],
  ] as const)("removes its signal listener when it closes by %s", async (_, by) => {
    const { server } = ctx;
    const handlers: Record<typeof by, Handler> = {
      close: events(["data: a\n\n"]),
      fatal: status(404),
      end: events(["data: a\n\n"], "end"),
    };
    server.route("/s", handlers[by]);
    const controller = new AbortController();
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      method: "POST",
      signal: controller.signal,
      ...rec.callbacks,
    });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    const { messages, done } = iterate(client);
    if (by === "close") {
      await messages.nth(1);
      client.close();
    }
    const result = await done;
    expect(result.threw).toBe(by === "fatal");
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
    controller.abort();
    expect(rec.closes.length).toBe(1);
    expect(rec.errors.length).toBe(by === "fatal" ? 1 : 0);
  });

  it("closes at once when the signal is already aborted", async () => {
    const { server } = ctx;
    const fetch = vi.fn<typeof globalThis.fetch>();
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      signal: AbortSignal.abort(),
      fetch,
      ...rec.callbacks,
    });
    expect(client.readyState).toBe("closed");
    expect(await iterate(client).done).toEqual({ error: undefined, threw: false });
    expect(fetch).not.toHaveBeenCalled();
    expect(rec.closes.length).toBe(1);
  });
});

describe("what a closed client leaves behind", () => {
  const scenarios: [string, (server: TestServer) => Promise<void>][] = [
    [
      "closed while open",
      async (server) => {
        server.route("/s", events(["data: a\n\n"]));
        const client = ctx.client(server.url("/s"));
        await iterate(client).messages.nth(1);
        client.close();
      },
    ],
    [
      "closed while connecting",
      async (server) => {
        server.route("/s", hang());
        const client = ctx.client(server.url("/s"));
        await server.requestsTo("/s").nth(1);
        client.close();
      },
    ],
    [
      "closed while waiting to reconnect after a clean end (keep-alive socket)",
      async (server) => {
        server.route("/s", events(["data: a\n\n"], "end"));
        const rec = recorder();
        const client = ctx.client(server.url("/s"), {
          retry: { initialDelay: 60_000 },
          ...rec.callbacks,
        });
        await rec.retries.nth(1);
        client.close();
      },
    ],
    [
      "ended by a fatal error",
      async (server) => {
        server.route("/s", status(404, { body: "gone" }));
        const client = ctx.client(server.url("/s"));
        expect((await iterate(client).done).threw).toBe(true);
      },
    ],
    [
      "ended by a clean end of a POST",
      async (server) => {
        server.route("/s", events(["data: a\n\n"], "end"));
        const client = ctx.client(server.url("/s"), { method: "POST" });
        expect(await iterate(client).done).toEqual({ error: undefined, threw: false });
      },
    ],
    [
      "broken out of with `break`",
      async (server) => {
        server.route("/s", events(["data: a\n\n", "data: b\n\n"]));
        for await (const _ of ctx.client(server.url("/s"))) break;
      },
    ],
    [
      "closed from a listener",
      async (server) => {
        server.route("/s", events(["data: a\n\ndata: b\n\n"]));
        const closed = deferred();
        const client = ctx.client(server.url("/s"), { onClose: () => closed.resolve() });
        client.on("message", () => client.close());
        await closed.promise;
      },
    ],
  ];

  it.each(scenarios)(
    "%s: no timer, no client socket, nothing once the server is closed",
    async (_, scenario) => {
      const baseline = await baselineResources();
      const server = await startServer();
      try {
        await scenario(server);
        await expectNoClientResources(
          { ...baseline, TCPServerWrap: (baseline.TCPServerWrap ?? 0) + 1 },
          server,
        );
      } finally {
        await server.close();
      }
      expect(server.errors).toEqual([]);
      // After the server's `close` event its handles (and the peer sockets) still take a few
      // turns. Then nothing is left beyond the baseline (a timer of it may have ended since).
      await settle(
        () => Object.entries(resources()).every(([type, count]) => count <= (baseline[type] ?? 0)),
        () => ({ baseline, now: resources() }),
      );
    },
  );
});
