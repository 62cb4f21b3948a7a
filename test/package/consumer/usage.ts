// @ts-nocheck
// A consumer of the packed package, as the README shows it. Not checked by the project's own
// `tsc` (which cannot resolve "ssekit" before a build): test/package/types.test.ts copies it, minus
// the line above, into consumer projects and runs `tsc --noEmit` there over its matrix. Every
// `@ts-expect-error` proves that a type is a type there, and not `any` from a name that was not found.
import "ssekit/polyfill";
import "ssekit/share";
import {
  CallbackError,
  ContentTypeError,
  DataParseError,
  EventSource,
  type EventSourceInit,
  HttpError,
  IdleTimeoutError,
  MissingBodyError,
  NetworkError,
  ParseError,
  type RequestInitFields,
  RetriesExhaustedError,
  type ShareOptions,
  SSEClient,
  type SSEClientOptions,
  SSEError,
} from "ssekit";
import {
  createParser,
  ParseError as ParserParseError,
  SSEError as ParserSSEError,
  SSEParserStream,
} from "ssekit/parser";

declare const store: { token: string | undefined; refresh(): Promise<void> };
declare const messages: { role: string; content: string }[];
declare function tenant(): Promise<string>;
declare function render(data: string): void;

// The issue's failing line: without the DOM lib and with @types/node 18 to 22, "Property 'cache'
// is missing", even with skipLibCheck.
export const minimal = new SSEClient("https://api.example.com/stream", { method: "POST" });

// An LLM answer: POST with a JSON body, typed JSON data, auth with refresh.
type Chunk = { choices: { delta: { content?: string } }[] };
export async function chat(): Promise<string> {
  const client = new SSEClient<{ message: Chunk | undefined }>(
    "https://api.example.com/v1/chat/completions",
    {
      method: "POST",
      body: { model: "m", stream: true, messages },
      headers: { authorization: "Bearer t", "x-request-id": "1" },
      auth: { token: () => store.token, refresh: () => store.refresh() },
      parse: (data) => (data === "[DONE]" ? undefined : (JSON.parse(data) as Chunk)),
      credentials: "include",
      cache: "no-store",
      mode: "cors",
      redirect: "follow",
      referrerPolicy: "no-referrer",
      keepalive: false,
      retry: false,
    },
  );
  let text = "";
  for await (const { type, data, lastEventId } of client) {
    const kind: "message" = type;
    text += data?.choices[0]?.delta.content ?? `${kind}${lastEventId}`;
  }
  return text;
}

// A live feed: headers per connection, "json" data, listeners, lifecycle callbacks.
export function feed(): () => void {
  const client = new SSEClient<{ price: { value: number }; news: string }>("/api/feed", {
    headers: async () => ({ "x-tenant": await tenant() }),
    body: () => new URLSearchParams({ since: "0" }),
    method: "PUT",
    idleTimeout: 45_000,
    parse: "json",
    lastEventId: "42",
    retry: { initialDelay: 1000, maxDelay: 30_000, factor: 2, jitter: 0.5, maxAttempts: 10 },
    shouldRetry: (error, { attempt, retry }) => (error instanceof HttpError ? attempt < 3 : retry),
    onOpen: (response) => console.log(response.status, response.headers.get("content-type")),
    onRetry: ({ attempt, delay, cause }) => console.warn(`retry #${attempt} in ${delay} ms`, cause),
    onError: (error) => describeError(error),
    onClose: () => console.log("closed"),
    onComment: (text) => console.log(text),
  });
  const off = client.on("price", (message) => {
    const value: number = message.data.value;
    render(String(value));
  });
  const offNews = client.on("news", (message) => render(message.data));
  return () => {
    off();
    offNews();
    client.close();
  };
}

export function describeError(error: unknown): string {
  if (error instanceof HttpError) return `${error.status} ${error.statusText} ${error.body}`;
  if (error instanceof RetriesExhaustedError)
    return `${error.attempts}: ${error.lastError.message}`;
  if (error instanceof NetworkError) return String(error.cause);
  if (error instanceof ParseError) return `${error.reason} ${error.limit}`;
  if (error instanceof DataParseError) return `${error.type} ${error.data} ${error.lastEventId}`;
  if (
    error instanceof ContentTypeError ||
    error instanceof MissingBodyError ||
    error instanceof IdleTimeoutError ||
    error instanceof CallbackError
  ) {
    return error.name;
  }
  // The classes of "ssekit/parser" are those of "ssekit".
  if (error instanceof ParserParseError || error instanceof ParserSSEError) {
    const same: ParseError | SSEError = error;
    return same.message;
  }
  return error instanceof SSEError ? error.message : "not ssekit's";
}

// The RequestInit fields as their own type, and options built up as a typed object.
const init: RequestInitFields = { credentials: "same-origin", cache: "no-cache", integrity: "" };
export const options: SSEClientOptions = { ...init, method: "POST", body: "text", referrer: "" };

// EventSource with the standard init and the extensions.
export function source(): EventSource {
  const es = new EventSource("/events", { withCredentials: true });
  es.onmessage = (event) => console.log(event.data, event.lastEventId);
  es.onerror = (event) => console.log(event.type, es.readyState === EventSource.CLOSED);
  es.addEventListener("open", (event) => console.log(event.type), { once: true });
  es.addEventListener("price", (event) => console.log((event as MessageEvent).data));
  es.removeEventListener("price", () => {}, false);
  const extended: EventSourceInit = {
    headers: () => ({ authorization: `Bearer ${store.token}` }),
    method: "POST",
    body: JSON.stringify({ topic: "prices" }),
    fetch: (input, requestInit) => fetch(input, requestInit),
  };
  new EventSource(new URL("https://example.com/events"), extended).close();
  return es;
}

// The parser, fed chunks, and as a stream.
export async function parse(response: Response): Promise<void> {
  const parser = createParser({
    onMessage: ({ type, data, lastEventId }) => console.log(type, data, lastEventId),
    onComment: (text) => console.log(text),
    onRetry: (ms) => console.log(ms),
    onError: (error) => console.log(error.limit),
    maxEventSize: 1 << 20,
  });
  parser.feed("data: a\n\n");
  parser.feed(new TextEncoder().encode("data: b\n\n"));
  parser.reset();
  parser.end();
  if (!response.body) return;
  for await (const chunk of response.body) parser.feed(chunk);
  for await (const message of response.body.pipeThrough(
    new SSEParserStream({ flushOnEnd: true }),
  )) {
    console.log(message.type, message.data, message.lastEventId);
  }
}

/** One connection for every tab (README: sharing). */
const shareKey: ShareOptions = { key: "notifications" };
export const shared = [
  new SSEClient("/api/notifications", { share: true }),
  new SSEClient("/api/notifications", { share: shareKey }),
];

// Types are types: each of these must be an error.
// @ts-expect-error: not a RequestCache value
export const badCache = new SSEClient("/x", { cache: "sometimes" });
// @ts-expect-error: not a RequestCredentials value
export const badCredentials: RequestInitFields = { credentials: "always" };
// @ts-expect-error: a number is no body
export const badBody = new SSEClient("/x", { method: "POST", body: 42 });
// @ts-expect-error: a number is no HeadersInit
export const badHeaders = new SSEClient("/x", { headers: 42 });
// @ts-expect-error: share is a boolean or { key }
export const badShare = new SSEClient("/x", { share: "yes" });
// @ts-expect-error: parse is "json" or a function
export const badParse = new SSEClient("/x", { parse: "yaml" });
// @ts-expect-error: withCredentials is a boolean
export const badInit = new EventSource("/x", { withCredentials: "yes" });
// @ts-expect-error: listener options are a boolean or an options object
source().addEventListener("open", () => {}, 42);
// @ts-expect-error: onMessage is required
createParser({});
