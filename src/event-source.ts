/**
 * A WHATWG `EventSource` (HTML §9.2) on the same connection engine as {@link SSEClient}: the spec's
 * semantics are its configuration (fixed reconnection time, any status but 200 fails).
 */
import { Connection } from "./connection.js";
import { createEvent, createMessageEvent, EventTargetBase, syntaxError } from "./dom-events.js";
import type { BodyOption, HeadersOption } from "./request.js";

/**
 * The init dictionary: the standard `withCredentials`, and opt-in extensions that change nothing
 * when absent.
 */
export interface EventSourceInit {
  /** Send credentials (cookies) cross-origin: request credentials mode `include`. @defaultValue false */
  withCredentials?: boolean;
  /** Extension: the `fetch` to use. @defaultValue the global `fetch`, looked up per connection */
  fetch?: typeof fetch;
  /** Extension: extra request headers, or a function returning them, called per connection. */
  headers?: HeadersOption;
  /** Extension: the HTTP method. @defaultValue "GET" */
  method?: string;
  /** Extension: a request body (for a method other than GET), or a function returning one. */
  body?: BodyOption;
}

// No `this:` parameter type: it would make the type incompatible with lib.dom's EventSource
// (whose `this` is its own interface); at run time `this` is the EventSource, as in browsers.
/** The type of `onopen` and `onerror`. */
export type EventSourceHandler = ((event: Event) => unknown) | null;
/** The type of `onmessage`. */
export type EventSourceMessageHandler = ((event: MessageEvent) => unknown) | null;

/**
 * The reconnection time before the server sets one with `retry:`. The spec leaves it to the user
 * agent; 3 s is what Chromium and undici use.
 */
const DEFAULT_RECONNECTION_TIME = 3000;

/** The URL schemes `fetch` can return an event stream from. */
const FETCHABLE = new Set(["http:", "https:", "data:", "blob:"]);

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** The events an {@link EventSource} fires besides the server's own event types. */
export interface EventSourceEventMap {
  error: Event;
  message: MessageEvent;
  open: Event;
}

// The listener overloads of lib.dom's EventSource, merged into the class so that the class is
// assignable wherever `typeof globalThis.EventSource` is expected; `EventTarget` implements them.
export interface EventSource {
  addEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, event: EventSourceEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: (this: EventSource, event: MessageEvent) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, event: EventSourceEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: (this: EventSource, event: MessageEvent) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

/**
 * A drop-in replacement for the browser's `EventSource`, for every runtime: Node (where it is
 * missing or experimental), workers, React Native, and browsers that need headers or POST.
 *
 * @example
 * ```ts
 * const source = new EventSource("/events");
 * source.onmessage = (event) => console.log(event.data);
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class EventSource extends EventTargetBase {
  // Constants on the constructor and the prototype, read-only like WebIDL constants (defined below).
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSED: 2;
  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSED: 2;

  #url: string;
  #withCredentials: boolean;
  #readyState: 0 | 1 | 2 = CONNECTING;
  #origin = "";
  #connection: Connection;
  #handlers = new Map<string, { handler: EventSourceHandler; listener: (event: Event) => void }>();

  constructor(url: string | URL, eventSourceInitDict: EventSourceInit = {}) {
    super();
    // WebIDL: the URL argument is required (`undefined` passed explicitly is the string).
    // biome-ignore lint/complexity/noArguments: the argument count is what WebIDL checks.
    if (arguments.length === 0) throw new TypeError("EventSource requires a URL");
    const init = eventSourceInitDict ?? {};
    // 3-5. Parse the URL against the document's base URL; failure throws a SyntaxError.
    const scope = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
    const base = scope.document?.baseURI ?? scope.location?.href;
    let parsed: URL;
    try {
      parsed = base === undefined ? new URL(String(url)) : new URL(String(url), base);
    } catch {
      throw syntaxError(`Cannot parse ${JSON.stringify(String(url))} as a URL`);
    }
    this.#url = parsed.href;
    // 6-7. The CORS settings: anonymous, or "use credentials" with withCredentials.
    this.#withCredentials = Boolean(init.withCredentials);
    this.#origin = parsed.origin;

    this.#connection = new Connection(
      {
        url: this.#url,
        method: (init.method ?? "GET").toUpperCase(),
        headers: init.headers,
        body: init.body,
        // 8, 11: a potential-CORS request, cache mode "no-store" (a request option rather than a
        // Cache-Control header, which would force a CORS preflight the native one never needs).
        init: {
          mode: "cors",
          credentials: this.#withCredentials ? "include" : "same-origin",
          cache: "no-store",
        },
        fetch: init.fetch,
        // "Wait a delay equal to the reconnection time of the event source": fixed, no backoff.
        reconnectionTime: DEFAULT_RECONNECTION_TIME,
        maxEventSize: undefined,
        lastEventId: "",
      },
      {
        open: (response) => this.#announce(response),
        message: (message) => {
          // "Queue a task which, if the readyState attribute is set to a value other than
          // CLOSED, dispatches the newly created event."
          if (this.#readyState === CLOSED) return;
          this.dispatchEvent(
            createMessageEvent(message.type, {
              data: message.data,
              origin: this.#origin,
              lastEventId: message.lastEventId,
            }),
          );
        },
        comment: () => {},
        error: (_error, fatal) => {
          // Transient errors are followed by `retry`, which fires the error event.
          if (fatal) this.#fail();
        },
        retry: () => this.#reestablish(),
        closed: () => {},
        backpressure: () => undefined,
      },
    );
    // Fetching any other scheme is a network error that retrying cannot cure: the spec lets the
    // user agent "fail the connection" when it knows reestablishing is futile, as browsers do.
    if (FETCHABLE.has(parsed.protocol)) this.#connection.start();
    else queueMicrotask(() => this.#fail());
  }

  /** The serialised URL of the stream. */
  get url(): string {
    return this.#url;
  }

  /** Whether credentials are sent cross-origin. */
  get withCredentials(): boolean {
    return this.#withCredentials;
  }

  /** `CONNECTING` (0), `OPEN` (1) or `CLOSED` (2). */
  get readyState(): number {
    return this.#readyState;
  }

  /** Fired when the connection opens. */
  get onopen(): EventSourceHandler {
    return this.#getHandler("open");
  }
  set onopen(handler: EventSourceHandler) {
    this.#setHandler("open", handler);
  }

  /** Fired for events without an `event:` field (type `message`). */
  get onmessage(): EventSourceMessageHandler {
    return this.#getHandler("message") as EventSourceMessageHandler;
  }
  set onmessage(handler: EventSourceMessageHandler) {
    this.#setHandler("message", handler as EventSourceHandler);
  }

  /** Fired when the connection fails (`readyState` CLOSED) or is being reestablished (CONNECTING). */
  get onerror(): EventSourceHandler {
    return this.#getHandler("error");
  }
  set onerror(handler: EventSourceHandler) {
    this.#setHandler("error", handler);
  }

  /**
   * "Abort any instances of the fetch algorithm started for this EventSource object, and set the
   * readyState attribute to CLOSED." No event of any kind follows.
   */
  close(): void {
    this.#readyState = CLOSED;
    this.#connection.close();
  }

  // "Announce the connection": if readyState is not CLOSED, set it to OPEN and fire `open`.
  #announce(response: Response): void {
    if (this.#readyState === CLOSED) return;
    // The origin of the final URL, after redirects.
    if (response.url) this.#origin = new URL(response.url).origin;
    this.#readyState = OPEN;
    this.dispatchEvent(createEvent("open"));
  }

  // "Reestablish the connection", step 2: if not CLOSED, set CONNECTING and fire `error`.
  #reestablish(): void {
    if (this.#readyState === CLOSED) return;
    this.#readyState = CONNECTING;
    this.dispatchEvent(createEvent("error"));
  }

  // "Fail the connection": if not CLOSED, set CLOSED and fire `error`.
  #fail(): void {
    if (this.#readyState === CLOSED) return;
    this.#readyState = CLOSED;
    this.dispatchEvent(createEvent("error"));
  }

  #getHandler(type: string): EventSourceHandler {
    return this.#handlers.get(type)?.handler ?? null;
  }

  // Event handler IDL attributes: the listener is added when first set and keeps its place among
  // the listeners when replaced; setting null removes it.
  #setHandler(type: string, handler: EventSourceHandler): void {
    const current = this.#handlers.get(type);
    const value = typeof handler === "function" ? handler : null;
    if (value === null) {
      if (current) {
        this.removeEventListener(type, current.listener);
        this.#handlers.delete(type);
      }
      return;
    }
    if (current) {
      current.handler = value;
      return;
    }
    const entry = {
      handler: value as EventSourceHandler,
      listener: (event: Event) => {
        (entry.handler as (this: EventSource, event: Event) => unknown).call(this, event);
      },
    };
    this.#handlers.set(type, entry);
    this.addEventListener(type, entry.listener);
  }
}

for (const [name, value] of [
  ["CONNECTING", CONNECTING],
  ["OPEN", OPEN],
  ["CLOSED", CLOSED],
] as const) {
  Object.defineProperty(EventSource, name, { value, enumerable: true });
  Object.defineProperty(EventSource.prototype, name, { value, enumerable: true });
}
// WebIDL attributes and operations are enumerable (class members are not by default), and the
// interface name is the `Symbol.toStringTag`.
for (const name of [
  "url",
  "withCredentials",
  "readyState",
  "onopen",
  "onmessage",
  "onerror",
  "close",
]) {
  Object.defineProperty(EventSource.prototype, name, { enumerable: true });
}
Object.defineProperty(EventSource.prototype, Symbol.toStringTag, {
  value: "EventSource",
  configurable: true,
});
