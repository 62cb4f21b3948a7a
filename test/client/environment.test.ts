/**
 * Browser niceties, run in Node by faking the globals src/client/environment.ts reads:
 * - `globalThis.navigator.onLine` and `globalThis.addEventListener("online", …)`: offline
 *   failures spend no attempts and the client waits for `online`, which also cuts a backoff short;
 * - `globalThis.document.hidden` and `document.addEventListener("visibilitychange", …)`: with
 *   pauseWhenHidden, a hidden page closes the connection and a visible one resumes it with
 *   Last-Event-ID.
 * Every global is stubbed with vi.stubGlobal and restored after each test; time is a fake clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type HttpError, NetworkError, RetriesExhaustedError } from "../../src/index.js";
import { fakeClients } from "../fixtures/fake-client.js";
import { advance, settle, startFakeClock } from "../fixtures/fake-clock.js";
import { fakeFetch, sseResponse } from "../fixtures/fake-fetch.js";

const clients = fakeClients("http://sse.test/env");
const start = clients.start;

/** An EventTarget standing in for `window` (the global scope) with `online` events. */
function fakeWindow(onLine: boolean) {
  const target = new EventTarget();
  const navigator = { onLine };
  const add = vi.fn(target.addEventListener.bind(target));
  const remove = vi.fn(target.removeEventListener.bind(target));
  vi.stubGlobal("navigator", navigator);
  vi.stubGlobal("addEventListener", add);
  vi.stubGlobal("removeEventListener", remove);
  return {
    navigator,
    add,
    remove,
    goOnline() {
      navigator.onLine = true;
      target.dispatchEvent(new Event("online"));
    },
    /** Listeners for `type` added and not removed since. */
    live(type: string): number {
      const added = add.mock.calls.filter(([t]) => t === type).map(([, l]) => l);
      const removed = remove.mock.calls.filter(([t]) => t === type).map(([, l]) => l);
      return added.filter((l) => !removed.includes(l)).length;
    },
  };
}

/** A `document` with a settable `hidden` and `visibilitychange` events. */
function fakeDocument(hidden: boolean) {
  const target = new EventTarget();
  const add = vi.fn(target.addEventListener.bind(target));
  const remove = vi.fn(target.removeEventListener.bind(target));
  const doc = {
    hidden,
    addEventListener: add,
    removeEventListener: remove,
    dispatchEvent: target.dispatchEvent.bind(target),
  };
  vi.stubGlobal("document", doc);
  return {
    doc,
    add,
    remove,
    setHidden(value: boolean) {
      doc.hidden = value;
      target.dispatchEvent(new Event("visibilitychange"));
    },
    live(): number {
      const added = add.mock.calls.map(([, l]) => l);
      const removed = remove.mock.calls.map(([, l]) => l);
      return added.filter((l) => !removed.includes(l)).length;
    },
  };
}

const g = globalThis as { navigator?: unknown; document?: unknown; addEventListener?: unknown };
// What the runtime has of its own: Node 21+ has a `navigator` (without `onLine`), Node 20 none.
const own = { navigator: g.navigator, document: g.document, addEventListener: g.addEventListener };

beforeEach(() => {
  startFakeClock();
});

afterEach(() => {
  clients.closeAll();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  // The runtime's own globals again: nothing leaks into the next test.
  expect({
    navigator: g.navigator,
    document: g.document,
    addEventListener: g.addEventListener,
  }).toEqual(own);
});

describe("offline (navigator.onLine === false)", () => {
  it("a failure spends no attempt: no onRetry, no timer, the client waits for `online`", async () => {
    const win = fakeWindow(false);
    const { fetch, calls } = fakeFetch("fail");
    const h = start(fetch, { retry: { jitter: 0 } });
    await settle();
    expect(calls).toHaveLength(1);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toBeInstanceOf(NetworkError);
    expect(h.retries).toEqual([]);
    expect(h.client.readyState).toBe("connecting");
    expect(vi.getTimerCount()).toBe(0);
    expect(win.live("online")).toBe(1);

    // Time alone does not reconnect.
    await advance(10 * 60_000);
    expect(calls).toHaveLength(1);

    // `online` reconnects at once.
    const before = Date.now();
    win.goOnline();
    await settle();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.at).toBe(before);
    // Now online, the failure is a normal one: the first attempt.
    expect(h.retries).toEqual([{ attempt: 1, delay: 1000, cause: h.errors[1] }]);
    expect(win.live("online")).toBe(1); // the backoff wait listens for `online` too
  });

  it("failures while offline never exhaust maxAttempts", async () => {
    const win = fakeWindow(false);
    const { fetch, calls } = fakeFetch("fail");
    const h = start(fetch, { retry: { maxAttempts: 1, jitter: 0 } });
    await settle();
    // Back online for a moment: the reconnection fails while offline again.
    for (let i = 0; i < 3; i++) {
      win.goOnline();
      win.navigator.onLine = false;
      await settle();
    }
    expect(calls).toHaveLength(4);
    expect(h.errors).toHaveLength(4);
    expect(h.retries).toEqual([]);
    expect(h.client.readyState).toBe("connecting");

    win.goOnline();
    await settle();
    expect(calls).toHaveLength(5);
    expect(h.retries.map((r) => r.attempt)).toEqual([1]);
    await advance(1000);
    expect(calls).toHaveLength(6);
    const last = h.errors.at(-1) as RetriesExhaustedError;
    expect(last).toBeInstanceOf(RetriesExhaustedError);
    expect(last.attempts).toBe(1);
  });

  it("an HTTP error while offline waits for `online` too", async () => {
    const win = fakeWindow(false);
    const { fetch, calls } = fakeFetch(503, { body: "data: back\n\n" });
    const h = start(fetch, { retry: { jitter: 0 } });
    await settle();
    expect((h.errors[0] as HttpError).status).toBe(503);
    expect(h.retries).toEqual([]);
    await advance(60_000);
    expect(calls).toHaveLength(1);
    win.goOnline();
    await settle();
    expect(calls).toHaveLength(2);
    expect(h.messages).toEqual([":back"]);
    expect(h.client.readyState).toBe("open");
  });

  it("close() while waiting for `online` removes the listener; a later `online` does nothing", async () => {
    const win = fakeWindow(false);
    const { fetch, calls } = fakeFetch("fail");
    const h = start(fetch);
    await settle();
    expect(win.live("online")).toBe(1);
    h.client.close();
    expect(win.live("online")).toBe(0);
    win.goOnline();
    await settle();
    expect(calls).toHaveLength(1);
    expect(h.client.readyState).toBe("closed");
  });
});

describe("`online` during a backoff wait", () => {
  it("reconnects at once instead of waiting out the delay", async () => {
    const win = fakeWindow(true);
    const { fetch, calls } = fakeFetch(503, { body: "data: ok\n\n" });
    const h = start(fetch, { retry: { initialDelay: 10_000, jitter: 0 } });
    await settle();
    expect(h.retries).toMatchObject([{ attempt: 1, delay: 10_000 }]);
    await advance(3000);
    expect(calls).toHaveLength(1);
    win.goOnline();
    await settle();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.at).toBe((calls[0]?.at ?? 0) + 3000);
    expect(h.messages).toEqual([":ok"]);
    // The cut-short wait left no timer behind and no listener.
    expect(vi.getTimerCount()).toBe(0);
    expect(win.live("online")).toBe(0);
  });

  it("close() during the backoff removes the `online` listener", async () => {
    const win = fakeWindow(true);
    const { fetch, calls } = fakeFetch(503);
    const h = start(fetch);
    await settle();
    expect(win.live("online")).toBe(1);
    h.client.close();
    expect(win.live("online")).toBe(0);
    win.goOnline();
    await advance(60_000);
    expect(calls).toHaveLength(1);
  });

  it("no `online` listener while connected", async () => {
    const win = fakeWindow(true);
    const { fetch } = fakeFetch({ body: "data: x\n\n" });
    const h = start(fetch);
    await settle();
    expect(h.client.readyState).toBe("open");
    expect(win.live("online")).toBe(0);
  });
});

describe("pauseWhenHidden", () => {
  it("hidden closes the connection (abort); visible reconnects with Last-Event-ID", async () => {
    const page = fakeDocument(false);
    const { fetch, calls } = fakeFetch({ body: "id: 5\ndata: first\n\n" });
    const h = start(fetch, { pauseWhenHidden: true, retry: { jitter: 0 } });
    await settle();
    expect(h.client.readyState).toBe("open");
    expect(h.messages).toEqual(["5:first"]);
    expect(page.live()).toBe(1);

    page.setHidden(true);
    expect(calls[0]?.signal.aborted).toBe(true);
    await settle();
    expect(h.client.readyState).toBe("connecting");
    // Pausing is not a failure.
    expect(h.errors).toEqual([]);
    expect(h.retries).toEqual([]);
    await advance(10 * 60_000);
    expect(calls).toHaveLength(1);

    page.setHidden(false);
    await settle();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.headers.get("last-event-id")).toBe("5");
    expect(h.client.readyState).toBe("open");
    expect(h.opens).toBe(2);
    expect(h.errors).toEqual([]);
  });

  it("hidden at start: no request until the page is visible", async () => {
    const page = fakeDocument(true);
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n" });
    const h = start(fetch, { pauseWhenHidden: true });
    await settle();
    await advance(60_000);
    expect(calls).toHaveLength(0);
    expect(h.client.readyState).toBe("connecting");
    page.setHidden(false);
    await settle();
    expect(calls).toHaveLength(1);
    expect(h.client.readyState).toBe("open");
  });

  it("close() while paused: the request is never built, not even once the page is visible", async () => {
    const page = fakeDocument(true);
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n" });
    const headers = vi.fn(() => ({ "x-built": "yes" }));
    const h = start(fetch, { pauseWhenHidden: true, headers });
    await settle();
    h.client.close();
    await settle();
    page.setHidden(false);
    await settle();
    await advance(60_000);
    expect(headers).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
    expect(h.client.readyState).toBe("closed");
  });

  it("hidden during a backoff wait: no request when it runs out; visible reconnects at once", async () => {
    const page = fakeDocument(false);
    const { fetch, calls } = fakeFetch(503, { body: "data: x\n\n" });
    const h = start(fetch, { pauseWhenHidden: true, retry: { jitter: 0, initialDelay: 1000 } });
    await settle();
    page.setHidden(true);
    await advance(5000);
    expect(calls).toHaveLength(1);
    page.setHidden(false);
    await settle();
    expect(calls).toHaveLength(2);
    expect(h.client.readyState).toBe("open");
  });

  it("visible without having been hidden does not cut a backoff short", async () => {
    const page = fakeDocument(false);
    const { fetch, calls } = fakeFetch(503);
    start(fetch, { pauseWhenHidden: true, retry: { jitter: 0, initialDelay: 1000 } });
    await settle();
    page.setHidden(false);
    await settle();
    expect(calls).toHaveLength(1);
    await advance(1000);
    expect(calls).toHaveLength(2);
  });

  it("a second hidden event while paused changes nothing", async () => {
    const page = fakeDocument(false);
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n" });
    start(fetch, { pauseWhenHidden: true });
    await settle();
    page.setHidden(true);
    await settle();
    page.setHidden(true);
    await settle();
    expect(calls).toHaveLength(1);
    page.setHidden(false);
    await settle();
    expect(calls).toHaveLength(2);
  });

  it("hidden while the request is pending aborts it; no error, no attempt spent", async () => {
    const page = fakeDocument(false);
    // Headers never come; a real fetch rejects with the abort reason.
    const { fetch, calls } = fakeFetch("pending", () => sseResponse("data: late\n\n"));
    const h = start(fetch, { pauseWhenHidden: true, retry: { jitter: 0 } });
    await settle();
    expect(calls).toHaveLength(1);
    page.setHidden(true);
    expect(calls[0]?.signal.aborted).toBe(true);
    await settle();
    expect(h.errors).toEqual([]);
    expect(h.retries).toEqual([]);
    expect(h.client.readyState).toBe("connecting");
    page.setHidden(false);
    await settle();
    expect(calls).toHaveLength(2);
    expect(h.messages).toEqual([":late"]);
  });

  it("hidden then visible again at once: one reconnection, straight away", async () => {
    const page = fakeDocument(false);
    const { fetch, calls } = fakeFetch({ body: "id: 9\ndata: x\n\n" });
    const h = start(fetch, { pauseWhenHidden: true });
    await settle();
    page.setHidden(true);
    page.setHidden(false);
    await settle();
    expect(calls).toHaveLength(2);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(calls[1]?.headers.get("last-event-id")).toBe("9");
    expect(h.client.readyState).toBe("open");
    expect(h.errors).toEqual([]);
  });

  it("close() removes the visibilitychange listener", async () => {
    const page = fakeDocument(false);
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n" });
    const h = start(fetch, { pauseWhenHidden: true });
    await settle();
    h.client.close();
    expect(page.live()).toBe(0);
    page.setHidden(true);
    page.setHidden(false);
    await settle();
    expect(calls).toHaveLength(1);
  });

  it("off (the default): visibility changes do nothing and no listener is added", async () => {
    const page = fakeDocument(false);
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n" });
    const h = start(fetch);
    await settle();
    expect(page.add).not.toHaveBeenCalled();
    page.setHidden(true);
    await advance(60_000);
    expect(calls[0]?.signal.aborted).toBe(false);
    expect(h.client.readyState).toBe("open");
    page.setHidden(false);
    await settle();
    expect(calls).toHaveLength(1);
  });

  it("off: a page hidden at start still connects", async () => {
    fakeDocument(true);
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n" });
    const h = start(fetch, { pauseWhenHidden: false });
    await settle();
    expect(calls).toHaveLength(1);
    expect(h.client.readyState).toBe("open");
  });
});

describe("a fetch that ignores the abort signal once it responded (msw, some polyfills)", () => {
  it("hidden also lets go of the body when the fetch ignores the abort signal", async () => {
    const page = fakeDocument(false);
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n", ignoreSignal: true });
    const h = start(fetch, { pauseWhenHidden: true });
    await settle();
    expect(h.client.readyState).toBe("open");
    page.setHidden(true);
    await settle();
    expect(calls[0]?.cancelled).toBe(true);
    expect(h.client.readyState).toBe("connecting");
    page.setHidden(false);
    await settle();
    expect(calls).toHaveLength(2);
  });

  it("close() while waiting for a chunk also cancels the body", async () => {
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n", ignoreSignal: true });
    const h = start(fetch);
    await settle();
    expect(h.messages).toEqual([":x"]);
    h.client.close();
    await settle();
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(calls[0]?.cancelled).toBe(true);
  });

  it("the idle timeout also lets go of the body when the fetch ignores the abort signal", async () => {
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n", ignoreSignal: true });
    const h = start(fetch, { idleTimeout: 1000, retry: { jitter: 0, initialDelay: 10 } });
    await settle();
    expect(h.messages).toEqual([":x"]);
    await advance(1000);
    expect(h.errors.map((e) => e.name)).toEqual(["IdleTimeoutError"]);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(calls[0]?.cancelled).toBe(true);
    expect(h.client.readyState).toBe("connecting");
    await advance(10);
    expect(calls).toHaveLength(2);
  });

  it("close() then connect() at once: the old body is cancelled, the new one is read", async () => {
    const { fetch, calls } = fakeFetch(
      { body: "id: 1\ndata: a\n\n", ignoreSignal: true },
      { body: "id: 2\ndata: b\n\n", ignoreSignal: true },
    );
    const h = start(fetch);
    await settle();
    expect(h.messages).toEqual(["1:a"]);
    h.client.close();
    h.client.connect();
    await settle();
    expect(calls).toHaveLength(2);
    expect(calls[0]?.cancelled).toBe(true);
    expect(calls[1]?.cancelled).toBe(false);
    expect(h.client.readyState).toBe("open");
    // The old body still speaking changes nothing; the new one is delivered.
    calls[0]?.push("id: 9\ndata: stale\n\n");
    calls[1]?.push("id: 3\ndata: c\n\n");
    await settle();
    expect(h.messages).toEqual(["1:a", "2:b", "3:c"]);
    h.client.close();
    await settle();
    expect(calls[1]?.cancelled).toBe(true);
  });

  it("an onOpen that throws also lets go of the body when the fetch ignores the abort signal", async () => {
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n", ignoreSignal: true });
    const h = start(fetch, {
      onOpen: () => {
        throw new Error("not this one");
      },
    });
    await settle();
    expect(h.errors.map((e) => e.name)).toEqual(["CallbackError"]);
    expect(h.client.readyState).toBe("closed");
    expect(calls[0]?.cancelled).toBe(true);
    expect(h.messages).toEqual([]);
  });

  it("close() while an error response's body is read for HttpError.body: no timer is left", async () => {
    // A 503 whose body sends a first chunk and then nothing, ignoring the abort signal.
    let cancelled = false;
    const { fetch } = fakeFetch(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start: (controller) => controller.enqueue(new TextEncoder().encode("busy")),
            cancel: () => {
              cancelled = true;
            },
          }),
          { status: 503 },
        ),
    );
    const h = start(fetch);
    await settle();
    expect(h.errors).toEqual([]);
    h.client.close();
    await settle();
    expect(cancelled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(h.errors).toEqual([]);
    expect(h.client.readyState).toBe("closed");
  });

  it("close(): a chunk that still arrives is not delivered to listeners", async () => {
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n", ignoreSignal: true });
    const h = start(fetch);
    await settle();
    h.client.close();
    calls[0]?.push("data: after close\n\n");
    await settle();
    expect(h.messages).toEqual([":x"]);
  });

  it("hidden: a chunk that still arrives is not delivered while paused", async () => {
    const page = fakeDocument(false);
    const { fetch, calls } = fakeFetch({ body: "data: x\n\n", ignoreSignal: true });
    const h = start(fetch, { pauseWhenHidden: true });
    await settle();
    page.setHidden(true);
    calls[0]?.push("data: while hidden\n\n");
    await settle();
    expect(h.messages).toEqual([":x"]);
  });
});

describe("plain Node: no window, document or navigator", () => {
  // Node 21+ has a navigator of its own, without `onLine`: removed here, as Node 20 has none (the
  // test below covers one without `onLine`).
  beforeEach(() => {
    vi.stubGlobal("navigator", undefined);
  });

  it("the globals really are absent", () => {
    expect(g.navigator).toBeUndefined();
    expect(g.document).toBeUndefined();
    expect(g.addEventListener).toBeUndefined();
  });

  it("pauseWhenHidden, offline checks and backoff all work without throwing", async () => {
    const { fetch, calls } = fakeFetch("fail", 503, { body: "id: 1\ndata: x\n\n" });
    const h = start(fetch, { pauseWhenHidden: true, retry: { jitter: 0 } });
    await settle();
    expect(h.retries.map((r) => r.attempt)).toEqual([1]);
    await advance(1000);
    await advance(2000);
    expect(calls).toHaveLength(3);
    expect(h.client.readyState).toBe("open");
    expect(h.messages).toEqual(["1:x"]);
    h.client.close();
    expect(h.client.readyState).toBe("closed");
  });

  it("a navigator without onLine (Node 21+, Deno) counts as online", async () => {
    vi.stubGlobal("navigator", { userAgent: "Node.js" });
    const { fetch, calls } = fakeFetch("fail");
    const h = start(fetch, { retry: { jitter: 0 } });
    await settle();
    expect(h.retries.map((r) => r.attempt)).toEqual([1]);
    await advance(1000);
    expect(calls).toHaveLength(2);
  });

  it("a document without addEventListener is tolerated", async () => {
    vi.stubGlobal("document", { hidden: false });
    const { fetch } = fakeFetch({ body: "data: x\n\n" });
    const h = start(fetch, { pauseWhenHidden: true });
    await settle();
    expect(h.client.readyState).toBe("open");
    h.client.close();
  });
});
