// @ts-check
/**
 * What test/runtimes.test.ts runs in every runtime (Node 18-26, Bun, Deno, workerd), and
 * test/browser/worker.browser.test.ts in a Web Worker in Chromium: ssekit against the fixture
 * server, with nothing but web platform APIs. Plain JavaScript, so
 * that each runtime loads it as it is. It only observes and reports (as JSON); the assertions are
 * in test/runtimes.test.ts, in one place for every runtime.
 */

/**
 * A stream that exercises the parser's rules: a BOM, CRLF and lone CR line endings, multi-byte
 * UTF-8 (2, 3 and 4 bytes), an event type, an `id` with NUL (ignored), `retry` with and without
 * only digits, a comment, and an unterminated last event (discarded).
 */
export const PARSER_INPUT =
  "\uFEFFdata: héllo\r\nid: é1\r\n\r\nevent: tick\rdata: 𝄞 日本\r\rid: a\0b\ndata: x\n" +
  "retry: 15\nretry: 1x\n\n: heartbeat\ndata: never dispatched";

/**
 * Runs every scenario and returns what was observed.
 * @param {typeof import("../../src/index.js")} ssekit the built package
 * @param {string} base the fixture server's base URL
 * @param {string} key a prefix for this run's request log keys
 */
export async function runScenarios(ssekit, base, key) {
  return {
    runtime: runtimeName(),
    parser: parser(ssekit),
    stream: await stream(ssekit),
    client: await client(ssekit, base, key),
    auth: await auth(ssekit, base),
    idle: await idle(ssekit, base),
    eventSource: await eventSource(ssekit, base, key),
  };
}

function runtimeName() {
  const scope = /** @type {Record<string, any>} */ (globalThis);
  if (scope.Deno) return `Deno ${scope.Deno.version.deno}`;
  if (scope.Bun) return `Bun ${scope.Bun.version}`;
  if (scope.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (scope.process?.versions?.node) return `Node ${scope.process.versions.node}`;
  if (scope.WorkerGlobalScope && scope instanceof scope.WorkerGlobalScope) {
    return `Web Worker (${scope.navigator.userAgent})`;
  }
  return "unknown";
}

/**
 * The parser over every two-chunk split of the input and over one-byte chunks: how many chunkings
 * were parsed, how many gave something other than the whole input in one chunk, and what that was.
 * @param {typeof import("../../src/index.js")} ssekit
 */
function parser(ssekit) {
  const bytes = new TextEncoder().encode(PARSER_INPUT);
  /** @param {Uint8Array[]} chunks */
  const parse = (chunks) => {
    /** @type {unknown[]} */
    const seen = [];
    const p = ssekit.createParser({
      onMessage: (m) => seen.push(["message", m.type, m.data, m.lastEventId]),
      onRetry: (ms) => seen.push(["retry", ms]),
      onComment: (text) => seen.push(["comment", text]),
    });
    for (const chunk of chunks) p.feed(chunk);
    p.end();
    return JSON.stringify(seen);
  };
  const whole = parse([bytes]);
  let chunkings = 0;
  let differing = 0;
  /** @param {Uint8Array[]} chunks */
  const compare = (chunks) => {
    chunkings++;
    if (parse(chunks) !== whole) differing++;
  };
  for (let i = 1; i < bytes.length; i++) compare([bytes.subarray(0, i), bytes.subarray(i)]);
  compare(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)));
  return { whole: JSON.parse(whole), bytes: bytes.length, chunkings, differing };
}

/**
 * SSEParserStream fed one byte at a time.
 * @param {typeof import("../../src/index.js")} ssekit
 */
async function stream(ssekit) {
  const bytes = new TextEncoder().encode(PARSER_INPUT);
  let i = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (i < bytes.length) controller.enqueue(bytes.slice(i, ++i));
      else controller.close();
    },
  });
  const seen = [];
  for await (const m of body.pipeThrough(new ssekit.SSEParserStream())) {
    seen.push([m.type, m.data, m.lastEventId]);
  }
  return seen;
}

/**
 * SSEClient: a POST with a JSON body and headers from a function, resumed with `Last-Event-ID`
 * (non-ASCII ids) after a dropped connection and after a clean end. After the last event the
 * server holds the stream: were it to end, whether the client announced one more reconnection
 * before the loop's `break` closed it would be a race between the two.
 * @param {typeof import("../../src/index.js")} ssekit
 * @param {string} base
 * @param {string} key
 */
async function client(ssekit, base, key) {
  /** @type {number[]} */
  const retries = [];
  const sse = new ssekit.SSEClient(
    `${base}/client/numbered?key=${key}-client&n=6&drop=2&end=4&last=hold`,
    {
      method: "POST",
      body: { hello: "world" },
      headers: async () => ({ "x-runtime": "yes" }),
      retry: { initialDelay: 10, jitter: 0 },
      reconnectOnEnd: true,
      onRetry: (info) => retries.push(info.attempt),
    },
  );
  const messages = [];
  for await (const m of sse) {
    messages.push(`${m.lastEventId}=${m.data}`);
    if (messages.length === 6) break;
  }
  return { messages, retries, readyState: sse.readyState };
}

/**
 * SSEClient: a 401, the token refreshed once, the stream with the new token.
 * @param {typeof import("../../src/index.js")} ssekit
 * @param {string} base
 */
async function auth(ssekit, base) {
  let token = "stale";
  let refreshes = 0;
  const sse = new ssekit.SSEClient(`${base}/client/auth`, {
    auth: {
      token: () => token,
      refresh: async () => {
        refreshes++;
        token = "fresh";
      },
    },
  });
  let data = "";
  for await (const m of sse) {
    data = m.data;
    break;
  }
  return { data, refreshes, readyState: sse.readyState };
}

/**
 * SSEClient: a connection that goes silent is dropped after `idleTimeout` with an
 * IdleTimeoutError.
 * @param {typeof import("../../src/index.js")} ssekit
 * @param {string} base
 */
async function idle(ssekit, base) {
  /** @type {(error: unknown) => void} */
  let failed = () => {};
  const error = new Promise((resolve) => {
    failed = resolve;
  });
  const sse = new ssekit.SSEClient(`${base}/client/numbered?n=1&last=hold`, {
    idleTimeout: 100,
    retry: { initialDelay: 10, jitter: 0 },
    onError: (e) => failed(e),
  });
  const first = await error;
  sse.close();
  return {
    name: /** @type {Error} */ (first).name,
    isIdleTimeoutError: first instanceof ssekit.IdleTimeoutError,
    readyState: sse.readyState,
  };
}

/**
 * EventSource: 300 numbered events over 20 dropped connections (`retry: 10`), then close().
 * @param {typeof import("../../src/index.js")} ssekit
 * @param {string} base
 * @param {string} key
 */
function eventSource(ssekit, base, key) {
  const source = new ssekit.EventSource(`${base}/es/faults?seed=7&n=300&drops=20&key=${key}-es`);
  /** @type {string[]} */
  const messages = [];
  /** @type {number[]} */
  const errorStates = [];
  return new Promise((resolve) => {
    source.onerror = () => errorStates.push(source.readyState);
    source.onmessage = (event) => {
      messages.push(`${event.lastEventId}=${event.data}`);
      if (event.lastEventId !== "300") return;
      source.close();
      resolve({ messages, errorStates, readyState: source.readyState });
    };
  });
}
