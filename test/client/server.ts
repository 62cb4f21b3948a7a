/**
 * The end-to-end fixture of the SSEClient tests: a real node:http server on 127.0.0.1 (port 0) with
 * named routes, every request recorded (headers, body, decoded `Last-Event-ID`), and promises to wait
 * on instead of sleeping: "the nth request arrived", "this request's connection closed", "the server
 * side of every socket is gone".
 *
 * Behaviours (`sse`, `status`, `hang`, `destroy`, `redirect`, `events`) build route handlers; a route
 * given an array of handlers answers its nth request with the nth handler (the last one repeats).
 * Also here: `deferred`, `Collector` (a list that can be awaited to reach a length), `recorder`
 * (client callbacks that record into collectors) and `closedPort` (connection refused).
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, beforeEach, expect } from "vitest";
import {
  type EventMap,
  type RetryInfo,
  SSEClient,
  type SSEClientOptions,
  type SSEError,
} from "../../src/index.js";

/** A promise with its resolve and reject functions. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A list that can be awaited to reach a length: the synchronisation point of every test. */
export class Collector<T> {
  readonly items: T[] = [];
  private waiters: { count: number; done: Deferred<T[]> }[] = [];

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.items.length < waiter.count) return true;
      waiter.done.resolve(this.items.slice());
      return false;
    });
  }

  /** Resolves with the items once there are at least `count` of them. */
  waitFor(count: number): Promise<T[]> {
    if (this.items.length >= count) return Promise.resolve(this.items.slice());
    const done = deferred<T[]>();
    this.waiters.push({ count, done });
    return done.promise;
  }

  /** Resolves with the `count`th item (1-based) once it is there. */
  async nth(count: number): Promise<T> {
    const items = await this.waitFor(count);
    return items[count - 1] as T;
  }
}

/** One request the server received, with what a test wants to check about it. */
export interface RecordedRequest {
  /** 0-based, over the whole server. */
  index: number;
  method: string;
  /** The pathname. */
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The request body, read in full before the handler runs (UTF-8). */
  body: string;
  /**
   * `Last-Event-ID` as the client meant it: node:http gives header values as latin1 strings, the
   * client sends the UTF-8 bytes of the ID, so the bytes are decoded again.
   */
  lastEventId: string | undefined;
  req: IncomingMessage;
  res: ServerResponse;
  /** Resolves when the response is done or the connection went away; `finished` tells which. */
  closed: Promise<{ finished: boolean }>;
}

export type Handler = (request: RecordedRequest) => void | Promise<void>;

export interface TestServer {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Every request, in arrival order. */
  readonly requests: Collector<RecordedRequest>;
  /** What handlers threw: a test asserts it stays empty (afterEach does). */
  readonly errors: unknown[];
  /** The server side of the connections currently open. */
  readonly sockets: ReadonlySet<Socket>;
  /** `origin + path`. */
  url(path: string): string;
  /** Sets (or replaces) the handler of a path; an array answers the nth request with the nth handler. */
  route(path: string, handler: Handler | readonly Handler[]): void;
  /** The requests to one path, awaitable. */
  requestsTo(path: string): Collector<RecordedRequest>;
  /** Destroys every connection and stops listening; resolves on the server's `close` event. */
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0. Unknown paths answer 404. */
export async function startServer(
  routes: Record<string, Handler | readonly Handler[]> = {},
): Promise<TestServer> {
  const table = new Map<string, { handlers: readonly Handler[]; seen: number }>();
  const perPath = new Map<string, Collector<RecordedRequest>>();
  const requests = new Collector<RecordedRequest>();
  const errors: unknown[] = [];
  const sockets = new Set<Socket>();

  const requestsTo = (path: string): Collector<RecordedRequest> => {
    let collector = perPath.get(path);
    if (!collector) {
      collector = new Collector();
      perPath.set(path, collector);
    }
    return collector;
  };

  const server = createServer(async (req, res) => {
    try {
      const closed = new Promise<{ finished: boolean }>((resolve) => {
        res.on("close", () => resolve({ finished: res.writableFinished }));
      });
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const rawId = req.headers["last-event-id"];
      const request: RecordedRequest = {
        index: requests.length,
        method: req.method ?? "",
        path: url.pathname,
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        lastEventId:
          typeof rawId === "string" ? Buffer.from(rawId, "latin1").toString("utf8") : undefined,
        req,
        res,
        closed,
      };
      const route = table.get(url.pathname);
      const handler = route
        ? (route.handlers[Math.min(route.seen++, route.handlers.length - 1)] as Handler)
        : status(404, { body: "no such route" });
      // Recorded before the handler runs, so a test waiting for the request can act on a request
      // the handler holds open.
      requests.push(request);
      requestsTo(url.pathname).push(request);
      await handler(request);
    } catch (error) {
      errors.push(error);
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const testServer: TestServer = {
    server,
    port,
    origin,
    requests,
    errors,
    sockets,
    url: (path) => origin + path,
    route(path, handler) {
      table.set(path, {
        handlers: Array.isArray(handler) ? handler : [handler as Handler],
        seen: 0,
      });
    },
    requestsTo,
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  for (const [path, handler] of Object.entries(routes)) testServer.route(path, handler);
  return testServer;
}

/** A port nothing listens on: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------------
// Behaviours

export const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
} as const;

/** Writes a 200 event-stream head (flushed at once) and the given chunks in one write each. */
export function sse(res: ServerResponse, chunks: readonly string[] = [], headers = {}): void {
  res.writeHead(200, { ...SSE_HEADERS, ...headers });
  res.flushHeaders();
  for (const chunk of chunks) res.write(chunk);
}

/** How a stream handler finishes after its chunks. */
export type Ending =
  /** Keep the response open (the test or the client closes it). */
  | "keep"
  /** `res.end()`: a clean end of the stream. */
  | "end"
  /** Destroy the socket (the body breaks off). */
  | "destroy";

/** A handler streaming `chunks` (each written on its own) then ending as told. */
export function events(
  chunks: readonly string[],
  ending: Ending = "keep",
  headers: OutgoingHttpHeaders = {},
): Handler {
  return ({ res }) => {
    sse(res, [], headers);
    for (const chunk of chunks) res.write(chunk);
    finish(res, ending);
  };
}

/** Ends a response as told; waits until written data is flushed before destroying the socket. */
export function finish(res: ServerResponse, ending: Ending): void {
  if (ending === "end") res.end();
  else if (ending === "destroy") res.write("", () => res.socket?.destroy());
}

/** A handler answering `code` with a body (text/plain unless headers say otherwise). */
export function status(
  code: number,
  options: { body?: string; headers?: OutgoingHttpHeaders } = {},
): Handler {
  return ({ res }) => {
    res.writeHead(code, { "content-type": "text/plain", ...options.headers });
    res.end(options.body ?? "");
  };
}

/** A handler that never answers: no status line, no headers. */
export function hang(): Handler {
  return () => {};
}

/** A handler that destroys the socket before sending anything. */
export function destroy(): Handler {
  return ({ req }) => {
    req.socket.destroy();
  };
}

/** A handler redirecting to `location` with `code`. */
export function redirect(code: number, location: string): Handler {
  return ({ res }) => {
    res.writeHead(code, { location });
    res.end();
  };
}

// ---------------------------------------------------------------------------------------------
// The client side

/** Client callbacks that record everything into collectors. */
export interface Recorder {
  opens: Collector<Response>;
  errors: Collector<SSEError>;
  retries: Collector<RetryInfo>;
  closes: Collector<true>;
  comments: Collector<string>;
  callbacks: {
    onOpen: (response: Response) => void;
    onError: (error: SSEError) => void;
    onRetry: (info: RetryInfo) => void;
    onClose: () => void;
    onComment: (text: string) => void;
  };
}

export function recorder(): Recorder {
  const opens = new Collector<Response>();
  const errors = new Collector<SSEError>();
  const retries = new Collector<RetryInfo>();
  const closes = new Collector<true>();
  const comments = new Collector<string>();
  return {
    opens,
    errors,
    retries,
    closes,
    comments,
    callbacks: {
      onOpen: (response) => opens.push(response),
      onError: (error) => errors.push(error),
      onRetry: (info) => retries.push(info),
      onClose: () => closes.push(true),
      onComment: (text) => comments.push(text),
    },
  };
}

/** Collects everything a `for await` loop yields, and how it ended. */
export function iterate<T>(iterable: AsyncIterable<T>): {
  messages: Collector<T>;
  done: Promise<{ error: unknown; threw: boolean }>;
} {
  const messages = new Collector<T>();
  const done = (async () => {
    try {
      for await (const message of iterable) messages.push(message);
      return { error: undefined, threw: false };
    } catch (error) {
      return { error, threw: true };
    }
  })();
  return { messages, done };
}

/** Fast reconnection: 1 ms, doubling up to 4 ms, no jitter. */
export const FAST_RETRY = { initialDelay: 1, maxDelay: 4, jitter: 0 } as const;

/**
 * Registers beforeEach/afterEach hooks: a fresh server per test, and clients made with `client()`
 * closed after it; then the server is closed and must have seen no handler error.
 */
export function useServer(): {
  readonly server: TestServer;
  client<E extends EventMap = Record<string, string>>(
    url: string | URL,
    options?: SSEClientOptions,
  ): SSEClient<E>;
} {
  let current: TestServer | undefined;
  const clients: { close(): void }[] = [];
  beforeEach(async () => {
    current = await startServer();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    const server = current;
    current = undefined;
    if (!server) return;
    await server.close();
    expect(server.errors).toEqual([]);
  });
  return {
    get server() {
      if (!current) throw new Error("useServer: no server outside a test");
      return current;
    },
    client<E extends EventMap = Record<string, string>>(
      url: string | URL,
      options?: SSEClientOptions,
    ): SSEClient<E> {
      const client = new SSEClient<E>(url, options);
      clients.push(client);
      return client;
    },
  };
}
