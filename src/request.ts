/**
 * Builds the request for one connection. Headers, token and body are evaluated anew every time,
 * so a reconnection never sends a stale token or a consumed body.
 */
import { type AuthOptions, authEpoch } from "./auth.js";
import { CallbackError } from "./errors/callback-error.js";

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

/** What {@link buildRequest} needs. */
export interface RequestSettings {
  method: string;
  headers: HeadersOption | undefined;
  body: BodyOption | undefined;
  auth: AuthOptions | undefined;
  init: RequestInitFields;
}

/** A request ready for `fetch`, and the auth refresh epoch it was built in. */
export interface BuiltRequest {
  init: RequestInit;
  epoch: number;
}

/** Calls a user callback; `option` names it for error messages. */
export type Call = <T>(option: string, fn: () => T | Promise<T>) => Promise<T>;

const plainCall: Call = async (_option, fn) => fn();

/** Runs a user callback, wrapping what it throws so the error names the option. */
const wrappingCall: Call = async (option, fn) => {
  try {
    return await fn();
  } catch (error) {
    throw new CallbackError(option, error);
  }
};

function isJsonBody(value: unknown): value is JsonBody {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

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
  settings: Omit<RequestSettings, "auth">,
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

/**
 * {@link baseRequest} plus what {@link SSEClient} adds: JSON bodies, the auth token, streaming
 * bodies, and failing user callbacks reported as {@link CallbackError}.
 */
export async function buildRequest(
  settings: RequestSettings,
  lastEventId: string,
  signal: AbortSignal,
): Promise<BuiltRequest> {
  const init = await baseRequest(settings, lastEventId, signal, wrappingCall);
  const { headers, body } = init;
  const { auth } = settings;
  const epoch = auth ? authEpoch(auth) : 0;
  if (auth) {
    const token = await wrappingCall("auth.token", auth.token);
    if (token) headers.set("authorization", `Bearer ${token}`);
  }
  if (isJsonBody(body)) {
    init.body = JSON.stringify(body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  // A stream body needs half duplex in fetch implementations that follow the current spec.
  if (typeof ReadableStream !== "undefined" && body instanceof ReadableStream) {
    (init as { duplex?: string }).duplex = "half";
  }
  return { init, epoch };
}
