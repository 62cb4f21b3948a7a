/**
 * The options of {@link SSEClient}, checked and resolved once, in the constructor. A programming
 * error fails here, before any request, with a `TypeError` (wrong kind of value) or a
 * `RangeError` (a number out of range) that names the option: never later as a network error
 * retried forever.
 */
import type { RequestInitFields } from "../engine/request.js";
import { baseURL, splitCredentials } from "../engine/url.js";
import { MAX_TIMER_DELAY } from "../engine/wait.js";
import type { ClientConnectionSettings } from "./client-connection.js";
import { resolveRetryOptions } from "./retry-policy.js";
import type { SSEClientOptions } from "./types.js";

/**
 * The options that are ssekit's own, the callbacks last; every other field of the options is a
 * `RequestInit` field for `fetch`. (One string: the smallest form of the list in the bundle.)
 */
// Pure-marked: bundlers drop them from builds that import only EventSource or the parser.
const OWN =
  /* @__PURE__ */
  "start method body headers auth lastEventId retry reconnectOnEnd idleTimeout connectTimeout signal maxEventSize parse pauseWhenHidden highWaterMark share fetch shouldRetry onOpen onMessage onError onRetry onClose onComment".split(
    " ",
  );
const CALLBACKS = /* @__PURE__ */ OWN.slice(-8);

/** The URL schemes `fetch` can stream an event stream from. */
const SCHEMES = /^(https?|data|blob):$/;
/** An HTTP method is a token (RFC 9110 §9.1); `fetch` forbids CONNECT, TRACE and TRACK. */
const METHOD = /^(?!(connect|trace|track)$)[!#$%&'*+\-.^_`|~0-9a-z]+$/i;

/** The error for option `option` whose value `value` is not `what` it must be. */
function invalid(option: string, what: string, value: unknown, Type = TypeError): Error {
  const got =
    typeof value === "string"
      ? JSON.stringify(value)
      : typeof value === "function"
        ? "a function"
        : String(value);
  return new Type(`SSEClient: options.${option} must be ${what}; got ${got}`);
}

/** A number option: `undefined` gives `fallback`; else a number within [min, max]. */
function number(
  value: unknown,
  option: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const what = `a number from ${min} to ${max}`;
  if (typeof value !== "number") throw invalid(option, what, value);
  if (!(value >= min && value <= max)) throw invalid(option, what, value, RangeError);
  return value;
}

/** The absolute URL of the stream; a relative one needs a page (or worker) to resolve against. */
export function resolveURL(url: string | URL): string {
  const text = String(url);
  let parsed: URL;
  try {
    parsed = new URL(text, baseURL());
  } catch {
    const relative = !/^[a-z][a-z\d+\-.]*:/i.test(text) && baseURL() === undefined;
    throw new TypeError(
      relative
        ? `SSEClient: the URL ${JSON.stringify(text)} is relative, and there is no page to resolve it against: pass an absolute URL`
        : `SSEClient: invalid URL ${JSON.stringify(text)}`,
    );
  }
  if (!SCHEMES.test(parsed.protocol)) {
    throw new TypeError(
      `SSEClient: ${parsed.protocol} URLs cannot carry an event stream (http:, https:, data: or blob:)`,
    );
  }
  return parsed.href;
}

/** Checks every option and resolves the engine's settings. Throws on a programming error. */
export function resolveOptions(url: string, options: SSEClientOptions): ClientConnectionSettings {
  const { method: rawMethod = "GET", headers, lastEventId = "", auth, parse, signal } = options;
  if (typeof rawMethod !== "string" || !METHOD.test(rawMethod)) {
    throw invalid("method", "an HTTP method fetch allows", rawMethod);
  }
  const method = rawMethod.toUpperCase();
  if ((method === "GET" || method === "HEAD") && options.body != null) {
    throw new TypeError(`SSEClient: a ${method} request cannot have a body (options.body)`);
  }
  if (headers !== undefined && typeof headers !== "function") {
    try {
      new Headers(headers);
    } catch (error) {
      throw new TypeError(`SSEClient: options.headers: ${(error as Error).message}`);
    }
  }
  if (typeof lastEventId !== "string" || /[\0\r\n]/.test(lastEventId)) {
    throw invalid("lastEventId", "a string without NUL, CR or LF", lastEventId);
  }
  for (const name of CALLBACKS) {
    const value = options[name as keyof SSEClientOptions];
    if (value !== undefined && typeof value !== "function")
      throw invalid(name, "a function", value);
  }
  if (parse !== undefined && parse !== "json" && typeof parse !== "function") {
    throw invalid("parse", '"json" or a function', parse);
  }
  if (auth !== undefined && typeof auth?.token !== "function") {
    throw invalid("auth.token", "a function", auth?.token);
  }
  if (auth?.refresh !== undefined && typeof auth.refresh !== "function") {
    throw invalid("auth.refresh", "a function", auth.refresh);
  }
  if (signal !== undefined && typeof signal?.addEventListener !== "function") {
    throw invalid("signal", "an AbortSignal", signal);
  }
  const idleTimeout = number(options.idleTimeout, "idleTimeout", 0, 0, MAX_TIMER_DELAY);
  const connectTimeout = number(
    options.connectTimeout,
    "connectTimeout",
    30_000,
    0,
    MAX_TIMER_DELAY,
  );
  const maxEventSize = number(options.maxEventSize, "maxEventSize", 134_217_728, 1, Infinity);
  number(options.highWaterMark, "highWaterMark", 64, 1, Infinity);
  const reconnectOnEnd = options.reconnectOnEnd ?? method === "GET";
  const { url: target, basic } = splitCredentials(url);
  return {
    method,
    headers,
    body: options.body,
    auth,
    init: pickInit(options),
    fetch: options.fetch,
    retry: resolveRetryOptions(options.retry || undefined),
    reconnect: options.retry !== false,
    reconnectOnEnd,
    response: method !== "GET" || !reconnectOnEnd,
    idleTimeout,
    connectTimeout,
    maxEventSize,
    lastEventId,
    pauseWhenHidden: options.pauseWhenHidden ?? false,
    shouldRetry: options.shouldRetry,
    // The URL fetched, without credentials; they go as `Authorization: Basic`. Named, not spread:
    // a spread adds its fields out of the object (a property array, 40 B per client), and one at
    // the start gives each object a hidden class of its own once optimized (about 0.5 KB per
    // client, bench/client-heap.ts).
    url: target,
    basic,
  };
}

/**
 * Every `RequestInit` field of the options, passed to `fetch` as given: the standard ones and
 * those of a platform (undici's `dispatcher` for proxies, `priority`), over the defaults. One
 * shared object when there are none. A field given as `undefined` is passed so: `cache: undefined`
 * sends no cache mode, for a platform that refuses one.
 */
function pickInit(options: SSEClientOptions): RequestInitFields {
  let init: Record<string, unknown> | undefined;
  for (const key of Object.keys(options)) {
    if (OWN.includes(key)) continue;
    init ??= { ...DEFAULT_INIT };
    init[key] = (options as Record<string, unknown>)[key];
  }
  return init ?? DEFAULT_INIT;
}

/**
 * The default `RequestInit` fields. An event stream never comes from the HTTP cache, as
 * `EventSource`'s never does: in the default mode a browser answers a reconnection with its stored
 * copy of a response the server let caches keep (a silent replay), and stores a long stream.
 * (Cloudflare Workers before compatibility date 2024-11-11 refuse any `cache`: pass `cache: undefined`.)
 */
// Pure: bundlers drop it from builds that import only EventSource or the parser.
const DEFAULT_INIT: RequestInitFields = /* @__PURE__ */ Object.freeze({ cache: "no-store" });
