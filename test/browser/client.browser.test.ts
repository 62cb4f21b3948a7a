/**
 * SSEClient in real Chromium against the fixture server (test/fixtures/server.ts, started by
 * global-setup.ts). The page and the server listen on different ports, so every request is
 * cross-origin: a POST with a JSON body, a custom header, an `Authorization` header or a
 * `Last-Event-ID` goes through a CORS preflight, which the /client/ routes answer (and record).
 *
 * The server's side is read from its request log (/es/log, keyed by each test's `key`): method,
 * headers, body, the decoded `Last-Event-ID`, and when and how each connection ended.
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { NetworkError, type RetryInfo, SSEClient, type SSEError } from "../../src/index.js";
import { Fixture, newKey, within } from "../event-source/helpers.js";
import { Collector } from "../fixtures/collector.js";
import { msgWithId } from "../fixtures/messages.js";
import type { EsLog, EsRequestRecord } from "../fixtures/server.js";

const sseUrl = inject("sseUrl");
const fixture = new Fixture(sseUrl);

/** A fast, deterministic backoff: every reconnection waits exactly 10 ms. */
const FAST_RETRY = { initialDelay: 10, jitter: 0 } as const;

/** /client/numbered: see {@link Fixture.numbered}. */
const numbered = fixture.numbered.bind(fixture);

/** What a test compares of a message. */
interface Message {
  type: string;
  data: string;
  lastEventId: string;
}

/**
 * Starts a `for await` loop over the client at once (before anything is awaited, so it misses no
 * message): `seen` fills as messages arrive, `done` resolves with all of them when the loop ends.
 */
function consume(client: SSEClient): { seen: Collector<Message>; done: Promise<Message[]> } {
  const seen = new Collector<Message>();
  const done = (async () => {
    for await (const { type, data, lastEventId } of client) seen.push({ type, data, lastEventId });
    return seen.items;
  })();
  return { seen, done };
}

/** `loop.done`, failing after `ms` with the messages the loop got. */
function loopEnd(loop: ReturnType<typeof consume>, what: string, ms = 4000): Promise<Message[]> {
  return within(
    loop.done,
    ms,
    () => `${what}; messages so far: ${JSON.stringify(loop.seen.items)}`,
  );
}

/** The requests of a log, briefly: for failure messages. */
function summary(log: EsLog): string {
  return JSON.stringify(
    log.requests.map((r) => ({
      method: r.method,
      lastEventId: r.lastEventId,
      xTest: r.headers["x-test"],
      endedBy: r.endedBy,
    })),
  );
}

/**
 * Polls the server's log until `done(log)` holds. Each poll is a long poll on the server (`wait`
 * until the nth request arrived or closed, up to 500 ms); the whole wait is bounded by `ms`, after
 * which it fails naming `what` and showing the last log.
 */
async function logUntil(
  key: string,
  what: string,
  wait: { wait: "count" | "closed"; n: number },
  done: (log: EsLog) => boolean,
  ms = 4000,
): Promise<EsLog> {
  const deadline = performance.now() + ms;
  for (let poll = 1; ; poll++) {
    const left = Math.round(deadline - performance.now());
    const log = await fixture.log(key, { ...wait, timeout: Math.max(0, Math.min(500, left)) });
    if (done(log)) return log;
    if (performance.now() >= deadline) {
      throw new Error(
        `server log: ${what} not seen within ${ms} ms (${poll} polls); requests: ${summary(log)}`,
      );
    }
    // The long poll's condition held but `done` does not yet: poll again shortly.
    if (!log.timedOut) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The nth request of a log, or a failure that shows the log. */
function request(log: EsLog, index: number): EsRequestRecord {
  const entry = log.requests[index];
  if (!entry) throw new Error(`no request #${index} in the server log: ${summary(log)}`);
  return entry;
}

/** The headers a preflight asked for, sorted. */
function askedHeaders(preflight: EsRequestRecord): string[] {
  return (preflight.headers["access-control-request-headers"] ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "")
    .sort();
}

const clients: SSEClient[] = [];

/** Closes the client after the test, whatever happened. */
function track(client: SSEClient): SSEClient {
  clients.push(client);
  return client;
}

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

describe("SSEClient in Chromium, cross-origin", () => {
  it("is cross-origin: the page and the fixture server are different origins", () => {
    expect(new URL(sseUrl).origin).not.toBe(location.origin);
  });

  it("POSTs a JSON body with async headers and a bearer token; events reach for await and on()", async () => {
    const key = newKey();
    const body = { prompt: "héllo wörld", n: 4, nested: { list: [1, "二", null], ok: true } };
    const opened: Response[] = [];
    const errors: SSEError[] = [];
    const client = track(
      new SSEClient(numbered(key, { n: 4, types: "message,tick" }), {
        method: "POST",
        body,
        headers: async () => {
          await Promise.resolve();
          return { "x-test": "alpha" };
        },
        auth: { token: async () => "secret-token" },
        retry: FAST_RETRY,
        onOpen: (response) => opened.push(response),
        onError: (error) => errors.push(error),
      }),
    );
    const viaMessage: Message[] = [];
    const viaTick: Message[] = [];
    client.on("message", ({ type, data, lastEventId }) =>
      viaMessage.push({ type, data, lastEventId }),
    );
    client.on("tick", ({ type, data, lastEventId }) => viaTick.push({ type, data, lastEventId }));
    const loop = consume(client);

    // A POST is a response, not a subscription: when the server ends it, the loop ends.
    expect(await loopEnd(loop, "the POST stream to end")).toEqual([
      msgWithId("1", "1"),
      msgWithId("2", "2", "tick"),
      msgWithId("3", "é-3"),
      msgWithId("4", "4", "tick"),
    ]);
    expect(viaMessage).toEqual([msgWithId("1", "1"), msgWithId("3", "é-3")]);
    expect(viaTick).toEqual([msgWithId("2", "2", "tick"), msgWithId("4", "4", "tick")]);
    expect(errors).toEqual([]);
    expect(opened.map((r) => [r.status, r.headers.get("content-type")])).toEqual([
      [200, "text/event-stream"],
    ]);
    expect(client.readyState).toBe("closed");

    const log = await logUntil(
      key,
      "the POST",
      { wait: "count", n: 1 },
      (l) => l.requests.length >= 1,
    );
    expect(log.requests).toHaveLength(1);
    const post = request(log, 0);
    expect(post.method).toBe("POST");
    expect(post.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(post.body ?? "")).toEqual(body);
    expect(post.headers["x-test"]).toBe("alpha");
    expect(post.headers.authorization).toBe("Bearer secret-token");
    expect(post.headers.accept).toBe("text/event-stream");
    expect(post.headers.origin).toBe(location.origin);
    expect(post.lastEventId).toBeNull();
    // The preflight before it asked for the headers that are not CORS-safelisted.
    expect(log.preflights).toHaveLength(1);
    const preflight = log.preflights[0] as EsRequestRecord;
    expect(preflight.headers["access-control-request-method"]).toBe("POST");
    expect(askedHeaders(preflight)).toEqual(["authorization", "content-type", "x-test"]);
  });

  it("resumes a dropped POST with a UTF-8 Last-Event-ID, calling body, headers and token again", async () => {
    const key = newKey();
    let bodyCalls = 0;
    let headerCalls = 0;
    let tokenCalls = 0;
    const retries: RetryInfo[] = [];
    const errors: SSEError[] = [];
    // The first connection is destroyed after event 3 (id `é-3`); the second resumes after it.
    const client = track(
      new SSEClient(numbered(key, { n: 6, drop: 3 }), {
        method: "POST",
        body: () => {
          bodyCalls++;
          return { question: "résumé?", page: 1 };
        },
        headers: async () => ({ "x-test": `call-${++headerCalls}` }),
        auth: { token: async () => `token-${++tokenCalls}` },
        retry: FAST_RETRY,
        onRetry: (info) => retries.push(info),
        onError: (error) => errors.push(error),
      }),
    );
    const loop = consume(client);

    // Every event exactly once, in order, across the drop; the loop ends with the second response.
    expect(await loopEnd(loop, "the resumed POST stream to end")).toEqual([
      msgWithId("1", "1"),
      msgWithId("2", "2"),
      msgWithId("3", "é-3"),
      msgWithId("4", "4"),
      msgWithId("5", "5"),
      msgWithId("6", "é-6"),
    ]);
    expect(client.lastEventId).toBe("é-6");
    expect(client.readyState).toBe("closed");
    expect(retries.map(({ attempt, delay }) => ({ attempt, delay }))).toEqual([
      { attempt: 1, delay: 10 },
    ]);
    const cause = retries[0]?.cause;
    expect(cause).toBeInstanceOf(NetworkError);
    expect((cause as NetworkError).duringStream).toBe(true);
    expect(errors).toEqual([cause]);
    expect([bodyCalls, headerCalls, tokenCalls]).toEqual([2, 2, 2]);

    const log = await logUntil(
      key,
      "two POSTs, both closed",
      { wait: "closed", n: 2 },
      (l) => l.requests.length >= 2 && l.requests.every((r) => r.closedAt !== null),
    );
    expect(log.requests).toHaveLength(2);
    const [first, second] = [request(log, 0), request(log, 1)];
    expect(first.method).toBe("POST");
    expect(first.lastEventId).toBeNull();
    expect(first.headers["x-test"]).toBe("call-1");
    expect(first.headers.authorization).toBe("Bearer token-1");
    expect(first.endedBy).toBe("destroy");
    expect(second.method).toBe("POST");
    // The UTF-8 bytes of `é-3` on the wire (node reads them as latin1), decoded back by the server.
    expect(second.headers["last-event-id"]).toBe("\u00c3\u00a9-3");
    expect(second.lastEventId).toBe("é-3");
    expect(second.headers["x-test"]).toBe("call-2");
    expect(second.headers.authorization).toBe("Bearer token-2");
    expect(second.headers["content-type"]).toBe("application/json");
    expect(second.body).toBe(first.body);
    expect(JSON.parse(second.body ?? "")).toEqual({ question: "résumé?", page: 1 });
    expect(second.endedBy).toBe("end");
    // The reconnection's preflight asked for Last-Event-ID too.
    expect(log.preflights.map(askedHeaders)).toContainEqual([
      "authorization",
      "content-type",
      "last-event-id",
      "x-test",
    ]);
  });

  it("reconnects a GET subscription the server ended cleanly, with Last-Event-ID", async () => {
    const key = newKey();
    const retries: RetryInfo[] = [];
    // The first response ends cleanly after event 2; the second sends 3 and 4 and stays open.
    const client = track(
      new SSEClient(numbered(key, { n: 4, end: 2, last: "hold" }), {
        retry: FAST_RETRY,
        onRetry: (info) => retries.push(info),
      }),
    );
    const loop = consume(client);

    const expected = [
      msgWithId("1", "1"),
      msgWithId("2", "2"),
      msgWithId("3", "é-3"),
      msgWithId("4", "4"),
    ];
    expect(await loop.seen.waitFor(4, { what: "4 messages over two GETs" })).toEqual(expected);
    expect(retries).toEqual([{ attempt: 1, delay: 10, cause: "end" }]);
    expect(client.readyState).toBe("open");

    const log = await logUntil(key, "two GETs", { wait: "count", n: 2 }, (l) => {
      return l.requests.length >= 2;
    });
    expect(log.requests).toHaveLength(2);
    const [first, second] = [request(log, 0), request(log, 1)];
    expect([first.method, second.method]).toEqual(["GET", "GET"]);
    expect(first.lastEventId).toBeNull();
    expect(first.endedBy).toBe("end");
    expect(second.lastEventId).toBe("2");
    expect(second.closedAt).toBeNull();
    // Only the reconnection needed a preflight: Accept is safelisted, Last-Event-ID is not.
    expect(log.preflights.map(askedHeaders)).toEqual([["last-event-id"]]);

    client.close();
    expect(await loopEnd(loop, "the loop to end after close()")).toEqual(expected);
  });

  it("never takes a stream from the HTTP cache: each reconnection reaches the server", async () => {
    const key = newKey();
    // /es/cacheable answers `data: <request number>` in a response any cache would keep
    // (max-age=3600, ETag, Last-Modified), then ends: the client reconnects after each.
    const client = track(new SSEClient(`${sseUrl}/es/cacheable?key=${key}`, { retry: FAST_RETRY }));
    const loop = consume(client);
    const seen = await loop.seen.waitFor(3, { what: "3 connections' messages" });
    client.close();
    expect(seen.slice(0, 3).map((message) => message.data)).toEqual(["0", "1", "2"]);
    const log = await logUntil(
      key,
      "3 GETs",
      { wait: "count", n: 3 },
      (l) => l.requests.length >= 3,
    );
    // Nothing revalidated a stored copy: no stored copy was kept.
    for (const { headers } of log.requests) expect(headers["if-none-match"]).toBeUndefined();
    // The browser's own Cache-Control for `cache: "no-store"` needs no preflight (the caller's would).
    expect(log.requests[0]?.headers["cache-control"]).toBe("no-cache");
    expect(log.preflights).toEqual([]);
  });

  it("does not reconnect a POST stream the server ended cleanly: the loop ends", async () => {
    const key = newKey();
    const retries: RetryInfo[] = [];
    let closes = 0;
    const client = track(
      new SSEClient(numbered(key, { n: 2 }), {
        method: "POST",
        body: { once: true },
        retry: FAST_RETRY,
        onRetry: (info) => retries.push(info),
        onClose: () => closes++,
      }),
    );
    const loop = consume(client);

    expect(await loopEnd(loop, "the POST stream to end")).toEqual([
      msgWithId("1", "1"),
      msgWithId("2", "2"),
    ]);
    expect(retries).toEqual([]);
    expect(closes).toBe(1);
    expect(client.readyState).toBe("closed");

    // A reconnection would come within ~10 ms: the server waits 300 ms for a second request, which
    // must not come.
    const log = await fixture.log(key, { wait: "count", n: 2, timeout: 300 });
    expect(log.timedOut, `a second request arrived: ${summary(log)}`).toBe(true);
    expect(log.requests).toHaveLength(1);
    expect(request(log, 0).method).toBe("POST");
    expect(request(log, 0).endedBy).toBe("end");
  });

  it("close() ends the for await loop and the server sees the connection closed", async () => {
    const key = newKey();
    let closes = 0;
    // Two events, then the server holds the stream open.
    const client = track(
      new SSEClient(numbered(key, { n: 2, last: "hold" }), {
        retry: FAST_RETRY,
        onClose: () => closes++,
      }),
    );
    const loop = consume(client);
    const expected = [msgWithId("1", "1"), msgWithId("2", "2")];
    expect(await loop.seen.waitFor(2, { what: "2 messages" })).toEqual(expected);
    expect(client.readyState).toBe("open");

    // The loop is waiting for a third message when close() is called from outside it.
    client.close();
    expect(client.readyState).toBe("closed");
    expect(await loopEnd(loop, "the loop to end after close()", 2000)).toEqual(expected);
    expect(closes).toBe(1);

    const log = await logUntil(
      key,
      "the stream's connection closed",
      { wait: "closed", n: 1 },
      (l) => l.requests[0]?.closedAt != null,
    );
    expect(log.requests).toHaveLength(1);
    expect(request(log, 0).endedBy).toBe("client");
  });
});
