/**
 * A WHATWG `EventSource` (HTML §9.2) on the same connection engine as {@link SSEClient}: the spec's
 * semantics are its configuration (fixed reconnection time, any status but 200 fails).
 */
import { Connection } from "../engine/connection.js";
import type { BodyOption, HeadersOption } from "../engine/request.js";
import { baseURL, splitCredentials } from "../engine/url.js";
import { StreamingDecoder } from "../parser/decode.js";
import { EventClass, EventTargetBase, MessageEventClass, syntaxError } from "./dom-events.js";

/**
 * The init dictionary: the standard `withCredentials`, and opt-in extensions that change nothing
 * when absent.
 */
export interface EventSourceInit {
  /** Send credentials (cookies) cross-origin: request credentials mode `include`. @defaultValue false */
  withCredentials?: boolean;
  /**
   * Extension: the `fetch` to use (the global `fetch` fits, as does a wrapper of it). It gets the
   * request's headers as a plain object with lower-case names, as the `eventsource` package's
   * does, so that a wrapper can add its own with `headers: { ...init.headers, ... }`.
   * @defaultValue the global `fetch`, looked up per connection
   */
  fetch?: (
    url: string,
    init: RequestInit & { headers: Record<string, string>; signal: AbortSignal },
  ) => Promise<Response>;
  /** Extension: extra request headers, or a function returning them, called per connection. */
  headers?: HeadersOption;
  /** Extension: the HTTP method. @defaultValue "GET" */
  method?: string;
  /** Extension: a request body (for a method other than GET), or a function returning one. */
  body?: BodyOption;
}

// No `this:` parameter type: it would make the type incompatible with lib.dom's EventSource
// (whose `this` is its own interface); at run time `this` is the EventSource, as in browsers.
/** The type of `onopen` (`onerror`'s takes an error event: {@link EventSourceEventMap}). */
export type EventSourceHandler = ((event: Event) => unknown) | null;
/** The type of `onmessage`. */
export type EventSourceMessageHandler = ((event: MessageEvent) => unknown) | null;

/** The URL schemes `fetch` can return an event stream from. */
const FETCHABLE = /^(https?|data|blob):$/;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** The events an {@link EventSource} fires besides the server's own event types. */
export interface EventSourceEventMap {
  /** With what failed, as the `eventsource` package reports it (an extension). */
  error: Event & {
    /** The HTTP status of a response other than 200; undefined for any other failure. */
    readonly code?: number | undefined;
    /** What failed, when known: the status, or the network error (undefined for the rest). */
    readonly message?: string | undefined;
  };
  message: MessageEvent;
  open: Event;
}

// The listener overloads of lib.dom's EventSource, merged into the class so that the class is
// assignable wherever `typeof globalThis.EventSource` is expected; `EventTarget` implements them.
// The listener and options types are EventTarget's own: lib.dom's names for them
// (`AddEventListenerOptions`, `EventListenerOrEventListenerObject`) are not global in @types/node.
export interface EventSource {
  addEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, event: EventSourceEventMap[K]) => unknown,
    options?: Parameters<EventTarget["addEventListener"]>[2],
  ): void;
  addEventListener(
    type: string,
    listener: (this: EventSource, event: MessageEvent) => unknown,
    options?: Parameters<EventTarget["addEventListener"]>[2],
  ): void;
  addEventListener(
    type: string,
    listener: Parameters<EventTarget["addEventListener"]>[1],
    options?: Parameters<EventTarget["addEventListener"]>[2],
  ): void;
  removeEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, event: EventSourceEventMap[K]) => unknown,
    options?: Parameters<EventTarget["removeEventListener"]>[2],
  ): void;
  removeEventListener(
    type: string,
    listener: (this: EventSource, event: MessageEvent) => unknown,
    options?: Parameters<EventTarget["removeEventListener"]>[2],
  ): void;
  removeEventListener(
    type: string,
    listener: Parameters<EventTarget["removeEventListener"]>[1],
    options?: Parameters<EventTarget["removeEventListener"]>[2],
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

  // The event handler IDL attributes: accessors on the prototype (defined below).
  /** Fired when the connection opens. */
  declare onopen: EventSourceHandler;
  /** Fired for events without an `event:` field (type `message`). */
  declare onmessage: EventSourceMessageHandler;
  /** Fired when the connection fails (`readyState` CLOSED) or is being reestablished (CONNECTING). */
  declare onerror: ((event: EventSourceEventMap["error"]) => unknown) | null;

  #url: string;
  #withCredentials: boolean;
  #readyState: 0 | 1 | 2 = CONNECTING;
  #origin: string;
  #connection: Connection;
  /** What the current connection failed with, for its `error` event (see the `fetch` below). */
  #failure: { code?: number; message: string } | undefined;
  /** The values of the event handler attributes, by event type. */
  #handlers: Record<string, EventSourceHandler> = {};
  /** The one listener of every event handler attribute: it calls the handler of the event's type. */
  #handlerListener = (event: Event): void => {
    (this.#handlers[event.type] as (this: EventSource, event: Event) => unknown).call(this, event);
  };

  constructor(url: string | URL, eventSourceInitDict: EventSourceInit = {}) {
    super();
    // WebIDL: the URL argument is required (`undefined` passed explicitly is the string).
    // biome-ignore lint/complexity/noArguments: the argument count is what WebIDL checks.
    if (arguments.length === 0) throw new TypeError("EventSource requires a URL");
    const init = eventSourceInitDict ?? {};
    // 3-5. Parse the URL against the document's base URL; failure throws a SyntaxError.
    let parsed: URL;
    try {
      // A base of `undefined` is as if none were given.
      // (Both convert `url` with its `toString()`, as WebIDL's USVString conversion does.)
      parsed = new URL(url, baseURL());
    } catch {
      throw syntaxError(`Invalid URL: ${url}`);
    }
    this.#url = parsed.href;
    // 6-7. The CORS settings: anonymous, or "use credentials" with withCredentials.
    this.#withCredentials = Boolean(init.withCredentials);
    this.#origin = parsed.origin;

    this.#connection = new Connection(
      {
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
        // Every connection's fetch: it notes what the connection failed with, for the `error`
        // event's `code` and `message`, and passes the headers as a plain object. The global
        // `fetch` gets one too: it takes a plain object as it takes a `Headers` (same names, same
        // values), and one path for both is the least code.
        fetch: async (url, request) => {
          this.#failure = undefined;
          try {
            const response = await ((init.fetch ?? fetch) as typeof fetch)(url, {
              ...request,
              headers: Object.fromEntries(request?.headers as Headers),
            });
            const { status } = response;
            if (status !== 200) this.#failure = { code: status, message: `HTTP ${status}` };
            return response;
          } catch (error) {
            // What failed: the system's error code under undici's "fetch failed" (ECONNREFUSED,
            // ...), else what fetch said (a browser's "Failed to fetch"). The client's
            // NetworkError tells more; this keeps EventSource small.
            const { cause, message } = error as { cause?: { code?: unknown }; message?: unknown };
            this.#failure = {
              message: `${message ?? error}${cause?.code ? ` (${cause.code})` : ""}`,
            };
            throw error;
          }
        },
        // Credentials in the URL go as `Authorization: Basic`: `fetch` refuses them in the URL.
        // Spread last: V8 gives each object that starts with a spread a hidden class of its own.
        ...splitCredentials(this.#url),
      },
      {
        // "Announce the connection": if not CLOSED, set OPEN and fire `open`. Messages carry the
        // origin of the final URL, after redirects.
        open: (response) => {
          if (response.url) this.#origin = new URL(response.url).origin;
          this.#fire(OPEN, "open");
        },
        // "Dispatch the event": `data` and `lastEventId` from the message (its `type` is no
        // member of the init dictionary and is ignored). "If the readyState attribute is set to
        // a value other than CLOSED" holds by construction: the engine delivers nothing after
        // `close()` or failing, not even the rest of the chunk being parsed.
        message: (message) =>
          this.dispatchEvent(
            new MessageEventClass(message.type, {
              data: message.data,
              lastEventId: message.lastEventId,
              origin: this.#origin,
            }),
          ),
        // "Reestablish the connection", step 2: if not CLOSED, set CONNECTING and fire `error`.
        retry: () => this.#fire(CONNECTING, "error"),
        // The engine stops on its own only to "fail the connection" (after `close()`, readyState
        // is already CLOSED and nothing fires).
        closed: () => this.#fire(CLOSED, "error"),
      },
      // The plain streaming decoder: the least code (the client takes the faster one).
      StreamingDecoder,
    );
    // Fetching any other scheme is a network error that retrying cannot cure: the spec lets the
    // user agent "fail the connection" when it knows reestablishing is futile, as browsers do.
    if (FETCHABLE.test(parsed.protocol)) this.#connection.start();
    else queueMicrotask(() => this.#fire(CLOSED, "error"));
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

  /**
   * "Abort any instances of the fetch algorithm started for this EventSource object, and set the
   * readyState attribute to CLOSED." No event of any kind follows.
   */
  close(): void {
    this.#readyState = CLOSED;
    this.#connection.close();
  }

  // Sets readyState and fires a plain event, unless closed: every spec step that does so first
  // checks "if the readyState attribute is set to CLOSED, return". "Fail the connection" is
  // (CLOSED, "error").
  #fire(readyState: 0 | 1 | 2, type: string): void {
    if (this.#readyState === CLOSED) return;
    this.#readyState = readyState;
    // (`#failure` is unset but for the `error` event of a failed connection.)
    this.dispatchEvent(Object.assign(new EventClass(type), this.#failure));
  }

  // The WebIDL details, set up when the class is defined. A static field with a pure-marked
  // initializer rather than a static block: bundlers drop the class from bundles that do not use
  // it (a static block is a side effect to them).
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: run for its effects, never read.
  static #webidl = /* @__PURE__ */ (() => {
    const proto = EventSource.prototype;
    // WebIDL constants: read-only and enumerable, on the interface object and the prototype.
    for (const [value, name] of ["CONNECTING", "OPEN", "CLOSED"].entries()) {
      Object.defineProperty(EventSource, name, { value, enumerable: true });
      Object.defineProperty(proto, name, { value, enumerable: true });
    }
    // Event handler IDL attributes: the shared listener is added when a handler is first set, so
    // it keeps its place among the listeners when the handler is replaced; null removes it.
    for (const type of ["open", "message", "error"]) {
      Object.defineProperty(proto, `on${type}`, {
        get(this: EventSource) {
          return this.#handlers[type] ?? null;
        },
        set(this: EventSource, handler: EventSourceHandler) {
          const value = typeof handler === "function" ? handler : null;
          if (!value) this.removeEventListener(type, this.#handlerListener);
          else if (!this.#handlers[type]) this.addEventListener(type, this.#handlerListener);
          this.#handlers[type] = value;
        },
        enumerable: true,
        configurable: true,
      });
    }
    // WebIDL attributes and operations are enumerable (class members are not by default), and
    // the interface name is the `Symbol.toStringTag`.
    for (const name of ["url", "withCredentials", "readyState", "close"]) {
      Object.defineProperty(proto, name, { enumerable: true });
    }
    Object.defineProperty(proto, Symbol.toStringTag, { value: "EventSource", configurable: true });
    // The `eventsource` package's feature check for the `fetch` extension (a non-enumerable
    // symbol on the class), for libraries that pass a `fetch` only where it is supported.
    Object.defineProperty(EventSource, Symbol.for("eventsource.supports-fetch-override"), {
      value: true,
    });
    // The class name, set explicitly: a minifier renames classes.
    Object.defineProperty(EventSource, "name", { value: "EventSource" });
  })();
}
