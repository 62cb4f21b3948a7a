/**
 * The classification table, row by row, for GET and for POST, against a real server: what is
 * retried (and with which delay), what closes cleanly, what ends the client with which error.
 */
import { describe, expect, it, vi } from "vitest";
import {
  ContentTypeError,
  HttpError,
  MissingBodyError,
  NetworkError,
  RetriesExhaustedError,
  type RetryInfo,
  type SSEClientOptions,
  type SSEError,
} from "../../src/index.js";
import { FAST_RETRY, iterate, recorder } from "../fixtures/client-recorder.js";
import { destroy, events, redirect, status } from "../fixtures/handlers.js";
import { closedPort } from "../fixtures/ports.js";
import { type Handler, type RecordedRequest, useServer } from "../fixtures/recording-server.js";
import { SSE_CONTENT_TYPE } from "../fixtures/sse-heads.js";

const ctx = useServer();

type Method = "GET" | "POST";

/** 10 KB of text whose first 2048 bytes are recognisable. */
const BIG_BODY = Array.from({ length: 1024 }, (_, i) => `line ${i}.`.padEnd(10, "-"))
  .join("")
  .slice(0, 10_240);

/** The options every row uses; POST carries a JSON body. */
function base(method: Method, rec: ReturnType<typeof recorder>): SSEClientOptions {
  return {
    method,
    ...(method === "POST" ? { body: { question: "why?" } } : {}),
    retry: FAST_RETRY,
    ...rec.callbacks,
  };
}

/** The request the client made: its method and body are the same on every attempt. */
function expectSameRequest(method: Method, request: RecordedRequest | undefined): void {
  expect(request?.method).toBe(method);
  if (method === "POST") expect(JSON.parse(request?.body ?? "")).toEqual({ question: "why?" });
  else expect(request?.body).toBe("");
}

/**
 * The first request is answered by `first`; the client must report it through onError and onRetry
 * (attempt 1), then reconnect to a stream and deliver its message (after the `before` ones).
 */
async function expectRetried(
  method: Method,
  first: Handler,
  check: (cause: SSEError, retry: RetryInfo) => void,
  options: SSEClientOptions = {},
  before: readonly string[] = [],
): Promise<void> {
  const { server } = ctx;
  server.route("/s", [first, events(["data: ok\n\n"])]);
  const rec = recorder();
  const client = ctx.client(server.url("/s"), { ...base(method, rec), ...options });
  const { messages } = iterate(client);
  const all = await messages.waitFor(before.length + 1);
  expect(all.map((m) => m.data)).toEqual([...before, "ok"]);
  const [retry] = rec.retries.items;
  expect(rec.retries.length).toBe(1);
  expect(retry?.attempt).toBe(1);
  expect(retry?.cause).not.toBe("end");
  const cause = retry?.cause as SSEError;
  check(cause, retry as RetryInfo);
  expect(rec.errors.items).toEqual([cause]);
  expect(rec.closes.length).toBe(0);
  expect(client.readyState).toBe("open");
  const requests = server.requestsTo("/s").items;
  expect(requests.length).toBe(2);
  for (const request of requests) expectSameRequest(method, request);
}

/** The only request is answered by `handler`; the client must end with the error `check` accepts. */
async function expectFatal(
  method: Method,
  handler: Handler,
  check: (error: SSEError) => void,
  options: SSEClientOptions = {},
): Promise<void> {
  const { server } = ctx;
  server.route("/s", handler);
  const rec = recorder();
  const states: string[] = [];
  const client = ctx.client(server.url("/s"), {
    ...base(method, rec),
    ...options,
    onError: (error) => {
      states.push(client.readyState);
      rec.errors.push(error);
    },
  });
  const { messages, done } = iterate(client);
  const { error, threw } = await done;
  expect(threw).toBe(true);
  check(error as SSEError);
  // onError got the fatal error once, with readyState already closed; then onClose.
  expect(rec.errors.items).toEqual([error]);
  expect(states).toEqual(["closed"]);
  expect(rec.closes.length).toBe(1);
  expect(rec.retries.length).toBe(0);
  expect(messages.length).toBe(0);
  expect(client.readyState).toBe("closed");
  expect(server.requests.length).toBe(1);
  expectSameRequest(method, server.requests.items[0]);
}

/** The client must close cleanly: onClose, no error, the loop ends without throwing. */
async function expectClosed(method: Method, handler: Handler, options: SSEClientOptions = {}) {
  const { server } = ctx;
  server.route("/s", handler);
  const rec = recorder();
  const client = ctx.client(server.url("/s"), { ...base(method, rec), ...options });
  const { messages, done } = iterate(client);
  expect(await done).toEqual({ error: undefined, threw: false });
  expect(rec.closes.length).toBe(1);
  expect(rec.errors.length).toBe(0);
  expect(rec.retries.length).toBe(0);
  expect(client.readyState).toBe("closed");
  expect(server.requests.length).toBe(1);
  return messages.items;
}

function httpError(code: number, body = ""): (error: SSEError) => void {
  return (error) => {
    expect(error).toBeInstanceOf(HttpError);
    const http = error as HttpError;
    expect(http.status).toBe(code);
    expect(http.body).toBe(body);
  };
}

interface Row {
  name: string;
  run(method: Method): Promise<void>;
}

const rows: Row[] = [
  {
    name: "connection refused -> NetworkError, retried with backoff",
    async run(method) {
      const rec = recorder();
      const port = await closedPort();
      const client = ctx.client(`http://127.0.0.1:${port}/s`, {
        ...base(method, rec),
        retry: { initialDelay: 1, factor: 2, maxDelay: 1000, jitter: 0 },
      });
      const { done } = iterate(client);
      const retries = await rec.retries.waitFor(3);
      client.close();
      expect(retries.slice(0, 3).map((r) => [r.attempt, r.delay])).toEqual([
        [1, 1],
        [2, 2],
        [3, 4],
      ]);
      for (const { cause } of retries) {
        expect(cause).toBeInstanceOf(NetworkError);
        expect((cause as NetworkError).duringStream).toBe(false);
      }
      expect(rec.errors.items.slice(0, 3)).toEqual(retries.slice(0, 3).map((r) => r.cause));
      expect(await done).toEqual({ error: undefined, threw: false });
    },
  },
  {
    name: "socket destroyed before the headers -> NetworkError, retried",
    run: (method) =>
      expectRetried(method, destroy(), (cause) => {
        expect(cause).toBeInstanceOf(NetworkError);
        expect((cause as NetworkError).duringStream).toBe(false);
      }),
  },
  {
    name: "abrupt end mid-stream -> NetworkError (during stream), retried with Last-Event-ID",
    async run(method) {
      await expectRetried(
        method,
        events(["id: 7\ndata: before\n\n", "data: cut off mid-ev"], "destroy"),
        (cause) => {
          expect(cause).toBeInstanceOf(NetworkError);
          expect((cause as NetworkError).duringStream).toBe(true);
        },
        {},
        ["before"],
      );
      expect(ctx.server.requests.items.map((r) => r.lastEventId)).toEqual([undefined, "7"]);
    },
  },
  ...[408, 429, 500, 502, 503, 504].map(
    (code): Row => ({
      name: `${code} -> HttpError, retried, body snippet bounded to 2048 bytes`,
      run: (method) =>
        expectRetried(method, status(code, { body: BIG_BODY }), (cause) => {
          httpError(code, BIG_BODY.slice(0, 2048))(cause);
          expect(BIG_BODY.length).toBe(10_240);
        }),
    }),
  ),
  {
    name: "500 with a body that never ends -> the snippet is taken without waiting for the end",
    async run(method) {
      let closedAfter = Number.POSITIVE_INFINITY;
      const endless: Handler = ({ res }) => {
        const start = performance.now();
        res.on("close", () => {
          closedAfter = performance.now() - start;
        });
        res.writeHead(500, { "content-type": "text/plain" });
        res.write(BIG_BODY);
      };
      await expectRetried(method, endless, (cause) => {
        expect((cause as HttpError).body).toBe(BIG_BODY.slice(0, 2048));
      });
      // The client dropped the response once it had its 2048 bytes, long before its 1 s
      // fallback for slow bodies.
      expect(closedAfter).toBeLessThan(500);
    },
  },
  {
    name: "500 with a multi-byte body -> the snippet is cut at 2048 bytes, not characters",
    run: (method) =>
      expectRetried(method, status(500, { body: "é".repeat(3000) }), (cause) => {
        const body = (cause as HttpError).body;
        // 1024 two-byte characters fill the 2048 bytes exactly.
        expect(body).toBe("é".repeat(1024));
      }),
  },
  ...[429, 503].flatMap((code): Row[] => [
    {
      name: `${code} with Retry-After in seconds -> that delay`,
      async run(method) {
        const { server } = ctx;
        server.route("/s", status(code, { headers: { "retry-after": "7" } }));
        const rec = recorder();
        const client = ctx.client(server.url("/s"), {
          ...base(method, rec),
          onRetry: (info) => {
            rec.retries.push(info);
            client.close();
          },
        });
        const { done } = iterate(client);
        const retry = await rec.retries.nth(1);
        expect(retry.delay).toBe(7000);
        expect(retry.attempt).toBe(1);
        expect((retry.cause as HttpError).status).toBe(code);
        expect(await done).toEqual({ error: undefined, threw: false });
        expect(server.requests.length).toBe(1);
      },
    },
    {
      name: `${code} with Retry-After as an HTTP date -> the time until then`,
      async run(method) {
        const { server } = ctx;
        server.route("/s", ({ res }) => {
          res.writeHead(code, { "retry-after": new Date(Date.now() + 5000).toUTCString() });
          res.end();
        });
        const rec = recorder();
        const client = ctx.client(server.url("/s"), {
          ...base(method, rec),
          onRetry: (info) => {
            rec.retries.push(info);
            client.close();
          },
        });
        const { done } = iterate(client);
        const retry = await rec.retries.nth(1);
        // The date has whole seconds: (4 s, 5 s] ahead when sent, a little less when read.
        expect(retry.delay).toBeGreaterThan(3000);
        expect(retry.delay).toBeLessThanOrEqual(5000);
        expect(await done).toEqual({ error: undefined, threw: false });
      },
    },
  ]),
  {
    name: "Retry-After on a 500 is not a delay: the backoff applies",
    run: (method) =>
      expectRetried(method, status(500, { headers: { "retry-after": "7" } }), (cause, retry) => {
        expect((cause as HttpError).status).toBe(500);
        expect(retry.delay).toBe(1);
      }),
  },
  {
    name: "204 -> clean close, no error",
    async run(method) {
      expect(await expectClosed(method, status(204))).toEqual([]);
    },
  },
  ...[400, 401, 403, 404, 405, 410, 501].map(
    (code): Row => ({
      name: `${code} -> fatal HttpError`,
      run: (method) =>
        expectFatal(
          method,
          status(code, { body: `status ${code}` }),
          httpError(code, `status ${code}`),
        ),
    }),
  ),
  {
    name: "300 (a 3xx fetch does not follow) -> fatal HttpError",
    run: (method) => expectFatal(method, status(300), httpError(300)),
  },
  {
    name: "200 with content-type text/html -> fatal ContentTypeError",
    run: (method) =>
      expectFatal(
        method,
        ({ res }) => {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          res.end("<!doctype html><p>login</p>");
        },
        (error) => {
          expect(error).toBeInstanceOf(ContentTypeError);
          expect((error as ContentTypeError).contentType).toBe("text/html; charset=utf-8");
          expect((error as ContentTypeError).status).toBe(200);
        },
      ),
  },
  {
    name: "200 without a content-type -> fatal ContentTypeError",
    run: (method) =>
      expectFatal(
        method,
        ({ res }) => {
          res.writeHead(200);
          res.end("data: x\n\n");
        },
        (error) => {
          expect(error).toBeInstanceOf(ContentTypeError);
          expect((error as ContentTypeError).contentType).toBeNull();
        },
      ),
  },
  {
    name: "content-type Text/Event-Stream; charset=utf-8 is an event stream",
    async run(method) {
      const { server } = ctx;
      server.route(
        "/s",
        events(["data: ok\n\n"], "keep", { "content-type": "Text/Event-Stream; charset=utf-8" }),
      );
      const rec = recorder();
      const client = ctx.client(server.url("/s"), base(method, rec));
      const { messages } = iterate(client);
      expect((await messages.nth(1)).data).toBe("ok");
      expect(rec.opens.length).toBe(1);
      expect(rec.errors.length).toBe(0);
      expect(client.readyState).toBe("open");
    },
  },
  {
    name: "201 with an event stream is open too",
    async run(method) {
      const { server } = ctx;
      server.route("/s", ({ res }) => {
        res.writeHead(201, SSE_CONTENT_TYPE);
        res.write("data: created\n\n");
      });
      const rec = recorder();
      const client = ctx.client(server.url("/s"), base(method, rec));
      const { messages } = iterate(client);
      expect((await messages.nth(1)).data).toBe("created");
      expect(rec.opens.items[0]?.status).toBe(201);
    },
  },
  ...[undefined, true, false].map(
    (reconnectOnEnd): Row => ({
      name: `clean end of stream, reconnectOnEnd: ${reconnectOnEnd} -> ${
        reconnectOnEnd === undefined
          ? "GET reconnects, POST closes"
          : reconnectOnEnd
            ? "reconnects"
            : "closes"
      }`,
      async run(method) {
        const options = reconnectOnEnd === undefined ? {} : { reconnectOnEnd };
        const reconnects = reconnectOnEnd ?? method === "GET";
        if (!reconnects) {
          const messages = await expectClosed(
            method,
            events(["id: 1\ndata: a\n\n", "data: b\n\n"], "end"),
            options,
          );
          expect(messages.map((m) => m.data)).toEqual(["a", "b"]);
          return;
        }
        const { server } = ctx;
        server.route("/s", [events(["id: 1\ndata: a\n\n"], "end"), events(["data: b\n\n"])]);
        const rec = recorder();
        const client = ctx.client(server.url("/s"), { ...base(method, rec), ...options });
        const { messages } = iterate(client);
        expect((await messages.waitFor(2)).map((m) => m.data)).toEqual(["a", "b"]);
        expect(rec.retries.items.map((r) => r.cause)).toEqual(["end"]);
        expect(rec.errors.length).toBe(0);
        const requests = server.requestsTo("/s").items;
        expect(requests.map((r) => r.lastEventId)).toEqual([undefined, "1"]);
        for (const request of requests) expectSameRequest(method, request);
      },
    }),
  ),
  {
    name: "clean end with retry: false -> closes",
    async run(method) {
      await expectClosed(method, events(["data: a\n\n"], "end"), {
        reconnectOnEnd: true,
        retry: false,
      });
    },
  },
  ...[301, 302, 303, 307, 308].map(
    (code): Row => ({
      name: `${code} redirect to the stream is followed`,
      async run(method) {
        const { server } = ctx;
        server.route("/s", redirect(code, "/stream"));
        server.route("/stream", events(["data: here\n\n"]));
        const rec = recorder();
        const client = ctx.client(server.url("/s"), base(method, rec));
        const { messages } = iterate(client);
        expect((await messages.nth(1)).data).toBe("here");
        expect(rec.opens.items[0]?.url).toBe(server.url("/stream"));
        const target = await server.requestsTo("/stream").nth(1);
        // fetch keeps the method and body on 307/308, turns a POST into a GET on 301/302/303.
        if (code === 307 || code === 308) expectSameRequest(method, target);
        else expectSameRequest("GET", target);
      },
    }),
  ),
  {
    name: "shouldRetry turns a fatal 404 into a retry",
    async run(method) {
      const shouldRetry = vi.fn(() => true);
      await expectRetried(method, status(404), httpError(404), { shouldRetry });
      expect(shouldRetry).toHaveBeenCalledTimes(1);
      const [error, context] = shouldRetry.mock.calls[0] as unknown as [HttpError, object];
      expect(error.status).toBe(404);
      expect(context).toEqual({ attempt: 1, retry: false });
    },
  },
  {
    name: "shouldRetry turns a retryable 503 into a fatal error",
    async run(method) {
      const shouldRetry = vi.fn(() => false);
      await expectFatal(method, status(503), httpError(503), { shouldRetry });
      expect(shouldRetry).toHaveBeenCalledTimes(1);
      expect(shouldRetry.mock.calls[0]?.[1 as never]).toEqual({ attempt: 1, retry: true });
    },
  },
  {
    name: "shouldRetry returning undefined keeps the decision",
    async run(method) {
      const shouldRetry = vi.fn(() => undefined);
      await expectRetried(method, status(503), httpError(503), { shouldRetry });
      expect(shouldRetry).toHaveBeenCalledTimes(1);
    },
  },
  {
    name: "retry: false makes a 503 fatal",
    run: (method) => expectFatal(method, status(503), httpError(503), { retry: false }),
  },
  {
    name: "retry: false makes a broken stream fatal",
    async run(method) {
      const { server } = ctx;
      server.route("/s", events(["data: a\n\n", "data: par"], "destroy"));
      const rec = recorder();
      const client = ctx.client(server.url("/s"), { ...base(method, rec), retry: false });
      const { messages, done } = iterate(client);
      const { error, threw } = await done;
      expect(threw).toBe(true);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).duringStream).toBe(true);
      expect(messages.items.map((m) => m.data)).toEqual(["a"]);
      expect(rec.retries.length).toBe(0);
      expect(server.requests.length).toBe(1);
    },
  },
  {
    name: "maxAttempts: 3 with a server always answering 503 -> RetriesExhaustedError",
    async run(method) {
      const { server } = ctx;
      server.route("/s", status(503, { body: "busy" }));
      const rec = recorder();
      const client = ctx.client(server.url("/s"), {
        ...base(method, rec),
        retry: { ...FAST_RETRY, maxAttempts: 3 },
      });
      const { error, threw } = await iterate(client).done;
      expect(threw).toBe(true);
      expect(error).toBeInstanceOf(RetriesExhaustedError);
      const exhausted = error as RetriesExhaustedError;
      expect(exhausted.attempts).toBe(3);
      httpError(503, "busy")(exhausted.lastError);
      expect(exhausted.cause).toBe(exhausted.lastError);
      expect(rec.retries.items.map((r) => r.attempt)).toEqual([1, 2, 3]);
      // The first request and three reconnections.
      expect(server.requests.length).toBe(4);
      expect(rec.errors.items.at(-1)).toBe(error);
      expect(rec.closes.length).toBe(1);
      expect(client.readyState).toBe("closed");
    },
  },
];

it("a response without a body (HEAD) -> fatal MissingBodyError", async () => {
  const { server } = ctx;
  server.route("/s", ({ res }) => {
    res.writeHead(200, SSE_CONTENT_TYPE);
    res.end();
  });
  const rec = recorder();
  const client = ctx.client(server.url("/s"), {
    method: "HEAD",
    retry: FAST_RETRY,
    ...rec.callbacks,
  });
  const { error, threw } = await iterate(client).done;
  expect(threw).toBe(true);
  expect(error).toBeInstanceOf(MissingBodyError);
  expect((error as MissingBodyError).status).toBe(200);
  expect(rec.retries.length).toBe(0);
  expect(server.requests.items.map((r) => r.method)).toEqual(["HEAD"]);
});

describe.each(["GET", "POST"] as const)("%s", (method) => {
  it.each(rows)("$name", (row) => row.run(method));
});
