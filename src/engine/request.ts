/**
 * The request of one connection as the spec builds it, plus the caller's headers, method, body and
 * `RequestInit` fields, evaluated anew every time. (The client's additions: `client/request.ts`.)
 */

/** A JSON-serialisable body: a plain object or an array, sent with `content-type: application/json`. */
export type JsonBody = Record<string, unknown> | readonly unknown[];

/** What `body` may be, or return: any `BodyInit` or a value sent as JSON. */
export type BodyValue = BodyInit | JsonBody | null | undefined;

/** The `body` option: a value, or a function called for every connection. */
export type BodyOption = BodyValue | (() => BodyValue | Promise<BodyValue>);

/** The `headers` option: a `HeadersInit`, or a function called for every connection. */
export type HeadersOption = HeadersInit | (() => HeadersInit | Promise<HeadersInit>);

/** The `RequestInit` fields passed to `fetch` as they are. */
export type RequestInitFields = Pick<
  RequestInit,
  | "cache"
  | "credentials"
  | "integrity"
  | "keepalive"
  | "mode"
  | "redirect"
  | "referrer"
  | "referrerPolicy"
>;

/** What {@link baseRequest} needs. */
export interface BaseRequestSettings {
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
 * one), and `Last-Event-ID` when the last event ID string is not empty; plus the caller's headers,
 * method, body and `RequestInit` fields.
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
  if (lastEventId !== "") headers.set("last-event-id", encodeHeaderValue(lastEventId));
  const userBody = settings.body;
  const body = typeof userBody === "function" ? await call("body", userBody) : userBody;
  const init: RequestInit & { headers: Headers } = {
    ...settings.init,
    method: settings.method,
    headers,
    signal,
  };
  if (body != null) init.body = body as BodyInit;
  return init;
}
