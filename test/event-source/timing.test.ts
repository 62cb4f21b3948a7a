/**
 * ssekit's EventSource where the timing is the point, with a fake clock and the `fetch` extension
 * (so no server and no real time): when the first request goes out, and how long a reconnection
 * waits, `retry:` values past setTimeout's limit included. The conformance suite covers the rest
 * against a real server.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EventSource } from "../../src/index.js";

/** A fetch that answers every request with `body` (an event stream that then ends). */
function streamingFetch(body: string) {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    calls.push(String(input));
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };
  return { fetch, calls };
}

const sources: EventSource[] = [];
const open = (url: string, init: ConstructorParameters<typeof EventSource>[1]) => {
  const source = new EventSource(url, init);
  sources.push(source);
  return source;
};

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  for (const source of sources.splice(0)) source.close();
  vi.useRealTimers();
});

describe("the first request", () => {
  it("goes out after the constructor returns: an extension callback may read the source", async () => {
    const { fetch, calls } = streamingFetch("data: x\n\n");
    const seen: string[] = [];
    const source: EventSource = open("http://sse.test/a", {
      fetch,
      headers: () => {
        seen.push(source.url);
        return {};
      },
    });
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(["http://sse.test/a"]);
    expect(calls).toEqual(["http://sse.test/a"]);
  });

  it("is never made when close() follows the constructor", async () => {
    const { fetch, calls } = streamingFetch("data: x\n\n");
    const headers = vi.fn(() => ({}));
    open("http://sse.test/a", { fetch, headers }).close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(headers).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
  });
});

describe("the reconnection time", () => {
  it("is 3 s by default", async () => {
    const { fetch, calls } = streamingFetch("data: x\n\n");
    open("http://sse.test/a", { fetch });
    await vi.advanceTimersByTimeAsync(2_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
  });

  it("retry: 0 is honoured as the spec says: no floor, unlike SSEClient's (SECURITY.md)", async () => {
    const { fetch, calls } = streamingFetch("retry: 0\ndata: x\n\n");
    open("http://sse.test/a", { fetch });
    // Each connection ends at once and the next one starts at once: many within 20 ms.
    for (let i = 0; i < 20; i++) await vi.advanceTimersByTimeAsync(1);
    expect(calls.length).toBeGreaterThanOrEqual(10);
  });

  it("past setTimeout's limit is capped, not fired at once", async () => {
    // 3e9 ms overflows setTimeout (2^31 - 1), which would then fire after 1 ms: a tight loop.
    const { fetch, calls } = streamingFetch("retry: 3000000000\ndata: x\n\n");
    const source = open("http://sse.test/a", { fetch });
    const errors: number[] = [];
    source.onerror = () => errors.push(source.readyState);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(errors).toEqual([EventSource.CONNECTING]);
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(calls).toHaveLength(2);
  });
});
