/**
 * The options of {@link SSEClient}, checked and resolved once, in the constructor. A programming
 * error fails here, before any request, with a `TypeError` (wrong kind of value) or a
 * `RangeError` (a number out of range) that names the option: never later as a network error
 * retried forever.
 */
import type { RequestInitFields } from "../engine/request.js";
import { MAX_TIMER_DELAY } from "../engine/wait.js";
import type { ClientConnectionSettings } from "./client-connection.js";
import { resolveRetryOptions } from "./retry-policy.js";
import type { SSEClientOptions } from "./types.js";

/** The options that are ssekit's own; every other field is a `RequestInit` field for `fetch`. */
const OWN = new Set<string>([
  "start",
  "method",
  "body",
  "headers",
  "auth",
  "lastEventId",
  "retry",
  "reconnectOnEnd",
  "idleTimeout",
  "signal",
  "fetch",
  "maxEventSize",
  "parse",
  "shouldRetry",
  "pauseWhenHidden",
  "highWaterMark",
  "onOpen",
  "onError",
  "onRetry",
  "onClose",
  "onComment",
]);

/** The URL schemes `fetch` can stream an event stream from. */
const SCHEMES = new Set(["http:", "https:", "data:", "blob:"]);
/** An HTTP method is a token (RFC 9110 §9.1); these are ones `fetch` forbids. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const CALLBACKS = [
  "fetch",
  "shouldRetry",
  "onOpen",
  "onError",
  "onRetry",
  "onClose",
  "onComment",
] as const;

const fail = (option: string, rule: string, value: unknown): TypeError =>
  new TypeError(`SSEClient: options.${option} ${rule}; got ${describe(value)}`);

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  return String(value);
}

/** A number option: `undefined` gives `fallback`; else a number within [min, max]. */
function number(
  options: SSEClientOptions,
  option: "idleTimeout" | "maxEventSize" | "highWaterMark",
  fallback: number,
  min: number,
  max: number,
  rule: string,
): number {
  const value: unknown = options[option];
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw fail(option, `must be a number (${rule})`, value);
  if (!(value >= min && value <= max)) {
    throw new RangeError(`SSEClient: options.${option} must be ${rule}; got ${value}`);
  }
  return value;
}

/** The base URL relative URLs resolve against: the document's, or a worker's location. */
function baseURL(): string | undefined {
  const scope = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  return scope.document?.baseURI ?? scope.location?.href;
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
  if (!SCHEMES.has(parsed.protocol)) {
    throw new TypeError(
      `SSEClient: ${parsed.protocol} URLs cannot carry an event stream (http:, https:, data: or blob:)`,
    );
  }
  return parsed.href;
}

/** Checks every option and resolves the engine's settings. Throws on a programming error. */
export function resolveOptions(url: string, options: SSEClientOptions): ClientConnectionSettings {
  const rawMethod: unknown = options.method ?? "GET";
  if (typeof rawMethod !== "string" || !TOKEN.test(rawMethod)) {
    throw fail("method", "must be an HTTP method name (a token)", rawMethod);
  }
  const method = rawMethod.toUpperCase();
  if (FORBIDDEN_METHODS.has(method)) throw fail("method", "is one fetch forbids", rawMethod);
  if ((method === "GET" || method === "HEAD") && options.body != null) {
    throw new TypeError(`SSEClient: a ${method} request cannot have a body (options.body)`);
  }
  const { headers, lastEventId = "", auth } = options;
  if (headers !== undefined && typeof headers !== "function") {
    try {
      new Headers(headers);
    } catch (error) {
      throw new TypeError(`SSEClient: options.headers: ${(error as Error).message}`);
    }
  }
  if (typeof lastEventId !== "string" || /[\0\r\n]/.test(lastEventId)) {
    throw fail("lastEventId", "must be a string without NUL, CR or LF", lastEventId);
  }
  for (const name of CALLBACKS) {
    const value: unknown = options[name];
    if (value !== undefined && typeof value !== "function")
      throw fail(name, "must be a function", value);
  }
  if (
    options.parse !== undefined &&
    options.parse !== "json" &&
    typeof options.parse !== "function"
  ) {
    throw fail("parse", 'must be "json" or a function', options.parse);
  }
  if (auth !== undefined) {
    if (typeof auth?.token !== "function")
      throw fail("auth.token", "must be a function", auth?.token);
    if (auth.refresh !== undefined && typeof auth.refresh !== "function") {
      throw fail("auth.refresh", "must be a function", auth.refresh);
    }
  }
  const { signal } = options;
  if (signal !== undefined && typeof signal?.addEventListener !== "function") {
    throw fail("signal", "must be an AbortSignal", signal);
  }
  const idleTimeout = number(
    options,
    "idleTimeout",
    0,
    0,
    MAX_TIMER_DELAY,
    `a number of ms from 0 (off) to ${MAX_TIMER_DELAY}`,
  );
  const maxEventSize = number(options, "maxEventSize", 134_217_728, 1, Infinity, "at least 1");
  number(options, "highWaterMark", 64, 1, Infinity, "at least 1 (Infinity: never pause)");
  const reconnectOnEnd = options.reconnectOnEnd ?? method === "GET";
  return {
    url,
    method,
    headers,
    body: options.body,
    auth,
    init: pickInit(options),
    fetch: options.fetch,
    retry: resolveRetryOptions(options.retry === false ? {} : options.retry),
    reconnect: options.retry !== false,
    reconnectOnEnd,
    response: method !== "GET" || !reconnectOnEnd,
    idleTimeout,
    maxEventSize,
    lastEventId,
    pauseWhenHidden: options.pauseWhenHidden ?? false,
    shouldRetry: options.shouldRetry,
  };
}

/**
 * Every `RequestInit` field of the options, passed to `fetch` as given: the standard ones and
 * those of a platform (undici's `dispatcher` for proxies, `priority`). One shared empty object
 * when there are none.
 */
function pickInit(options: SSEClientOptions): RequestInitFields {
  let init: Record<string, unknown> | undefined;
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (OWN.has(key) || value === undefined) continue;
    init ??= {};
    init[key] = value;
  }
  return init ?? NO_INIT;
}

// Pure: bundlers drop it from builds that import only EventSource or the parser.
const NO_INIT: RequestInitFields = /* @__PURE__ */ Object.freeze({});
