/**
 * `createXhrFetch()` in Chromium, with SSEClient and EventSource, against the fixture server: what
 * the transport must keep of `fetch` (bytes, headers, bodies, statuses, aborts, UTF-8) and what
 * its `maxText` bound does (the connection ends and resumes with nothing lost or repeated).
 */
import { describe, expect, inject, it } from "vitest";
import {
  createXhrFetch,
  HttpError,
  SSEClient,
  EventSource as SsekitEventSource,
} from "../../src/index.js";
import { faultEventData } from "../event-source/fault-plan.js";
import { Fixture, newKey } from "../event-source/helpers.js";

const sseUrl = inject("sseUrl");
const fixture = new Fixture(sseUrl);
const FAST_RETRY = { initialDelay: 10, jitter: 0 } as const;

/** The data of every message of a client that ends by itself (or after `count` messages). */
async function collect(client: SSEClient, count = Infinity): Promise<string[]> {
  const seen: string[] = [];
  for await (const message of client) {
    seen.push(message.data);
    if (seen.length >= count) break;
  }
  return seen;
}

describe("createXhrFetch with SSEClient", () => {
  it("reads a stream as UTF-8 whatever charset its content type names, dropping one BOM", async () => {
    const charset = fixture.message("data: ok…\n\n", {
      type: "text/event-stream;charset=windows-1252",
      after: "end",
    });
    const fetch = createXhrFetch();
    expect(await collect(new SSEClient(charset, { fetch, reconnectOnEnd: false }))).toEqual([
      "ok…",
    ]);
    const oneBom = fixture.message("\uFEFFdata: 1\n\n", { after: "end" });
    expect(await collect(new SSEClient(oneBom, { fetch, reconnectOnEnd: false }))).toEqual(["1"]);
    // Only one BOM is skipped: the second makes the first line's field name unknown.
    const twoBoms = fixture.message("\uFEFF\uFEFFdata: 1\n\ndata: 2\n\n", { after: "end" });
    expect(await collect(new SSEClient(twoBoms, { fetch, reconnectOnEnd: false }))).toEqual(["2"]);
  });

  it("sends the method, headers and body, and resumes with Last-Event-ID after a drop", async () => {
    const key = newKey();
    const url = `${sseUrl}/client/numbered?key=${key}&n=6&drop=2`;
    const client = new SSEClient(url, {
      fetch: createXhrFetch(),
      method: "POST",
      body: { question: "ça va?" },
      headers: { "x-trace": "t-1" },
      retry: FAST_RETRY,
      // A response stream with ids resumes (the first hour's rule): nothing replayed.
      reconnectOnEnd: false,
    });
    expect(await collect(client)).toEqual(["1", "2", "3", "4", "5", "6"]);
    const { requests } = await fixture.log(key);
    expect(
      requests.map((r) => [r.method, r.lastEventId]),
      JSON.stringify(requests.map((r) => [r.lastEventId, r.endedBy, r.at, r.closedAt])),
    ).toEqual([
      ["POST", null],
      ["POST", "2"],
    ]);
    expect(requests[0]?.body).toBe('{"question":"ça va?"}');
    expect(requests[0]?.headers["x-trace"]).toBe("t-1");
    expect(requests[0]?.headers["content-type"]).toBe("application/json");
  });

  it("a status other than 200 is the client's HttpError, with the body's snippet", async () => {
    const client = new SSEClient(fixture.status(404, newKey()), { fetch: createXhrFetch() });
    const error = await client.closed.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(404);
  });

  it("close() aborts the request: the server sees the client go", async () => {
    const key = newKey();
    const url = fixture.script(key, [{ body: ["data: 1\n\n"], after: "hold" }]);
    const client = new SSEClient(url, { fetch: createXhrFetch() });
    expect(await collect(client, 1)).toEqual(["1"]);
    const log = await fixture.log(key, { wait: "closed", n: 1 });
    expect(log.requests[0]?.endedBy).toBe("client");
  });

  it("refuses a stream request body with a TypeError", async () => {
    const fetch = createXhrFetch();
    await expect(
      fetch(`${sseUrl}/es/message`, { method: "POST", body: new ReadableStream() }),
    ).rejects.toThrow(TypeError);
  });
});

describe("maxText", () => {
  /** Events 1..n of the fault stream, with `drops` drops, read through a small `maxText`. */
  const faults = (key: string, n: number, drops: number) =>
    `${sseUrl}/es/faults?${new URLSearchParams({ key, n: String(n), drops: String(drops) })}`;
  const expected = (n: number) => Array.from({ length: n }, (_, i) => faultEventData(i + 1));

  it("SSEClient: the connection ends past the bound and resumes; nothing lost or repeated", async () => {
    const key = newKey();
    const client = new SSEClient(faults(key, 300, 10), {
      fetch: createXhrFetch({ maxText: 2000 }),
      retry: FAST_RETRY,
    });
    expect(await collect(client, 300)).toEqual(expected(300));
    client.close();
    // 300 events of about 40 characters through a 2000-character bound: many connections.
    expect((await fixture.log(key)).requests.length).toBeGreaterThan(5);
  });

  it("EventSource: the same, through its fetch extension", async () => {
    const key = newKey();
    const source = new SsekitEventSource(faults(key, 300, 10), {
      fetch: createXhrFetch({ maxText: 2000 }),
    });
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      source.onmessage = (event) => {
        seen.push(event.data);
        if (seen.length === 300) resolve();
      };
    });
    source.close();
    expect(seen).toEqual(expected(300));
    expect((await fixture.log(key)).requests.length).toBeGreaterThan(5);
  });
});
