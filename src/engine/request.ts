/**
 * The request of one connection as the spec builds it, plus the caller's headers, method, body and
 * `RequestInit` fields, evaluated anew every time, and the credentials of the URL as a Basic
 * `Authorization`. (The client's additions: `client/request.ts`.)
 */

/** A JSON-serialisable body: a plain object or an array, sent with `content-type: application/json`. */
export type JsonBody = Record<string, unknown> | readonly unknown[];

/**
 * What `body` may be, or return: any `BodyInit` or a value sent as JSON.
 *
 * `BodyInit` is spelled as the type of `RequestInit["body"]`: lib.dom declares a global `BodyInit`
 * but @types/node does not, so the name would not compile without the DOM lib. This is lib.dom's
 * `BodyInit` where that lib is loaded and undici's (what Node's `fetch` takes) where it is not.
 */
export type BodyValue = NonNullable<RequestInit["body"]> | JsonBody | null | undefined;

/** The `body` option: a value, or a function called for every connection. */
export type BodyOption = BodyValue | (() => BodyValue | Promise<BodyValue>);

/**
 * The `headers` option: a `HeadersInit`, or a function called for every connection.
 *
 * `HeadersInit` is spelled as the type of `RequestInit["headers"]`, for the reason given at
 * {@link BodyValue}.
 */
export type HeadersOption =
  | NonNullable<RequestInit["headers"]>
  | (() => NonNullable<RequestInit["headers"]> | Promise<NonNullable<RequestInit["headers"]>>);

/**
 * The `RequestInit` fields passed to `fetch` as they are, with the values the Fetch standard
 * defines for them (lib.dom's `RequestInit` fields are assignable to them).
 *
 * Declared here rather than picked from the global `RequestInit`: without the DOM lib that is
 * @types/node's, which differs by version (before v24 it has no `cache`), and the enum types
 * (`RequestCache`, `RequestMode`, ...) are not global there at all.
 */
export interface RequestInitFields {
  /**
   * How the request uses the HTTP cache. `"no-store"` keeps caches out, as `EventSource` does: no
   * reconnection is answered with a stored copy of the stream. (A `Cache-Control` header instead
   * would force a CORS preflight.) `undefined` sends no cache mode, for a platform that refuses
   * the field (Cloudflare Workers before compatibility date 2024-11-11).
   * @defaultValue "no-store"
   */
  cache?:
    | "default"
    | "force-cache"
    | "no-cache"
    | "no-store"
    | "only-if-cached"
    | "reload"
    | undefined;
  /**
   * Whether cookies and HTTP authentication are sent: `"omit"` never, `"same-origin"` to the
   * request's origin only, `"include"` cross-origin too. @defaultValue "same-origin"
   */
  credentials?: "include" | "omit" | "same-origin";
  /** Subresource integrity metadata the response body must match (e.g. `"sha384-..."`). */
  integrity?: string;
  /** Let the request outlive the page that made it (its body size is then limited). */
  keepalive?: boolean;
  /**
   * The request mode: `"cors"` allows cross-origin requests under CORS, `"same-origin"` fails them,
   * `"no-cors"` gets an opaque response (no readable body, so no event stream); `"navigate"` is for
   * documents. @defaultValue "cors"
   */
  mode?: "cors" | "navigate" | "no-cors" | "same-origin";
  /**
   * What a redirect does: `"follow"` it, fail the request (`"error"`), or end with the redirect
   * response (`"manual"`; opaque in browsers). @defaultValue "follow"
   */
  redirect?: "error" | "follow" | "manual";
  /** The referrer: a same-origin URL, `"about:client"` (the default) or `""` for none. */
  referrer?: string;
  /** The referrer policy of the request (the `Referrer-Policy` values). */
  referrerPolicy?:
    | ""
    | "no-referrer"
    | "no-referrer-when-downgrade"
    | "origin"
    | "origin-when-cross-origin"
    | "same-origin"
    | "strict-origin"
    | "strict-origin-when-cross-origin"
    | "unsafe-url";
  /** The request's priority relative to others (Fetch Priority); ignored where unsupported. */
  priority?: "high" | "low" | "auto";
  /**
   * Node (undici) only: the dispatcher the request goes through, e.g. a `ProxyAgent` for a proxy.
   * Typed loosely so that the types need no undici; passed to `fetch` as it is.
   */
  dispatcher?: unknown;
}

/** What {@link baseRequest} needs. */
export interface BaseRequestSettings {
  /** The `Authorization` of the URL's credentials (see {@link splitCredentials}), if it had any. */
  basic?: string | undefined;
  method: string;
  headers: HeadersOption | undefined;
  body: BodyOption | undefined;
  init: RequestInitFields;
}

/** Calls a user callback; `option` names it for error messages. */
export type Call = <T>(option: string, fn: () => T | Promise<T>) => Promise<T>;

const plainCall: Call = async (_option, fn) => fn();

/**
 * Encodes a last event ID for the `Last-Event-ID` header: the spec sends it "encoded as UTF-8",
 * but `Headers` only takes byte strings (one character per byte) and throws on anything else.
 * So non-ASCII IDs become the byte string of their UTF-8 encoding.
 */
export function encodeHeaderValue(value: string): string {
  // ASCII is one byte per character already: it comes out unchanged.
  let bytes = "";
  for (const byte of new TextEncoder().encode(value)) bytes += String.fromCharCode(byte);
  return bytes;
}

/**
 * The request as the spec builds it: "set `Accept` to `text/event-stream`" (unless the caller set
 * one), and `Last-Event-ID` when the last event ID string is not empty (and has no control
 * character but TAB); plus the caller's headers,
 * method, body and `RequestInit` fields, and the URL's credentials unless the caller set an
 * `Authorization` of its own.
 */
export async function baseRequest(
  settings: BaseRequestSettings,
  lastEventId: string,
  signal: AbortSignal,
  call: Call = plainCall,
): Promise<RequestInit & { headers: Headers }> {
  const userHeaders = settings.headers;
  const headers = new Headers(
    typeof userHeaders === "function" ? await call("headers", userHeaders) : userHeaders,
  );
  if (!headers.has("accept")) headers.set("accept", "text/event-stream");
  // An ID with a control character is a valid ID, but Node's and Chromium's fetch refuse it in a
  // header (no request would reach the server again): such an ID is not sent at all.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what it looks for
  if (/^[^\0-\b\n-\x1f\x7f]+$/.test(lastEventId))
    headers.set("last-event-id", encodeHeaderValue(lastEventId));
  if (settings.basic && !headers.has("authorization")) headers.set("authorization", settings.basic);
  const userBody = settings.body;
  const body = typeof userBody === "function" ? await call("body", userBody) : userBody;
  const init: RequestInit & { headers: Headers } = {
    // Its fields may be `undefined` (`cache: undefined`: no cache mode), which `fetch` reads as absent.
    ...(settings.init as RequestInit),
    method: settings.method,
    headers,
    signal,
  };
  if (body != null) init.body = body as BodyInit;
  return init;
}
