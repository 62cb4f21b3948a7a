/**
 * A `fetch` made of `XMLHttpRequest`, for browsers: its body hands over every byte that reached
 * the page before the connection failed, where a `fetch` body stream may drop them.
 */

/** The members of `XMLHttpRequest` used here: its type is in the DOM lib only. */
interface Xhr {
  readyState: number;
  status: number;
  statusText: string;
  responseURL: string;
  responseText: string;
  withCredentials: boolean;
  onreadystatechange: ((event?: { type?: string }) => void) | null;
  onprogress: ((event?: { type?: string }) => void) | null;
  onload: ((event?: { type?: string }) => void) | null;
  onerror: (() => void) | null;
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getAllResponseHeaders(): string;
  overrideMimeType(type: string): void;
  send(body: unknown): void;
  abort(): void;
}

/** Options of {@link createXhrFetch}. */
export interface XhrFetchOptions {
  /**
   * The browser keeps the whole text of a response until it ends. Once one connection has
   * received this many characters, its body ends with a network error after the chunk that
   * crossed the limit, which frees the text; the client then reconnects (with `Last-Event-ID`)
   * as after any dropped connection.
   * @defaultValue 4194304 (4 Mi characters: at most 8 MB of text)
   */
  maxText?: number;
}

const HEADERS_RECEIVED = 2;

/** Statuses whose response has no body: `new Response` refuses one for them. */
const NULL_BODY = [101, 103, 204, 205, 304];

/**
 * Creates a `fetch` over `XMLHttpRequest`, for the `fetch` option of `SSEClient` or of
 * `EventSource`, in browsers.
 *
 * Why: in Chromium, when the bytes of an event arrive together with the failure of the
 * connection (a server crash, a proxy cutting a chunked body), the `fetch` body stream often
 * drops them: a stream that errors discards the chunks queued in it, whatever reads it.
 * `XMLHttpRequest` shows each chunk as it arrives, before its `error` event, and the body here is
 * a pull stream (nothing queued) that errors only after every chunk received before the failure
 * has been read.
 *
 * Costs, why it is not the default: Chromium tells an `XMLHttpRequest` of a response only when
 * its first body byte arrives, so the connection opens (`onOpen`, `open`) with the first event
 * or comment rather than with the headers (a server should write a comment at once); the
 * request's `cache: "no-store"` cannot be applied (a response the server lets caches keep may be
 * reused: send `Cache-Control: no-store`); the browser keeps a connection's whole response text
 * (bounded by `maxText`); the request body cannot be a stream; `redirect`, `priority`,
 * `keepalive`, `integrity` are not applied (redirects are followed; `credentials: "include"` sets
 * `withCredentials`, any other mode sends cookies same-origin only); the text is encoded back to
 * bytes for the parser. It needs `globalThis.XMLHttpRequest` (browsers and dedicated workers,
 * not service workers or Node).
 *
 * @example
 * ```ts
 * const client = new SSEClient("/feed", { fetch: createXhrFetch() });
 * const source = new EventSource("/feed", { fetch: createXhrFetch() });
 * ```
 */
export function createXhrFetch(options: XhrFetchOptions = {}): typeof fetch {
  const maxText = options.maxText ?? 4_194_304;
  return (input, init = {}) =>
    new Promise((resolve, reject) => {
      const { signal, body } = init;
      const xhr = new (globalThis as unknown as { XMLHttpRequest: new () => Xhr }).XMLHttpRequest();
      const encoder = new TextEncoder();
      // The response text as of the last event (after a network error `responseText` is empty),
      // how much of it the body has handed over, and the body's pending read.
      let received = "";
      let taken = 0;
      let wake: (() => void) | undefined;
      let failure: unknown;
      let loaded = false;
      let poll: ReturnType<typeof setInterval> | undefined;
      // Nothing of a request outlives it: no listener on the signal, no timer.
      const finish = () => {
        signal?.removeEventListener("abort", abort);
        clearInterval(poll);
        poll = undefined;
      };
      // A failure, whatever its cause, ends the request (which frees its text).
      const fail = (error: unknown) => {
        if (failure === undefined) {
          failure = error;
          finish();
          xhr.abort();
        }
        reject(failure);
        wake?.();
      };
      const abort = () => fail(signal?.reason);

      const stream = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            for (;;) {
              // Every chunk that arrived is read before a failure or the end is reported.
              if (received.length > taken) {
                // XMLHttpRequest's decoder drops a leading BOM, which the parser drops too (once per
                // stream): the first chunk gets one back, so exactly one is dropped in all.
                const text = received.slice(taken);
                controller.enqueue(encoder.encode(taken === 0 ? `\uFEFF${text}` : text));
                taken = received.length;
                if (taken >= maxText)
                  fail(new TypeError(`response text over maxText (${maxText})`));
                return;
              }
              if (failure !== undefined || loaded) {
                return failure === undefined ? controller.close() : controller.error(failure);
              }
              await new Promise<void>((resolve) => {
                wake = resolve;
              });
            }
          },
          cancel(reason) {
            fail(reason ?? new TypeError("cancelled"));
          },
        },
        { highWaterMark: 0 },
      );

      // Takes what arrived. The text only grows; a failed request's `responseText` is empty.
      const take = () => {
        const text = xhr.readyState > HEADERS_RECEIVED ? xhr.responseText : "";
        if (text.length > received.length) {
          received = text;
          wake?.();
        }
      };
      // Chromium fires `progress` at most every 50 ms, and bytes that arrive in between are gone
      // if the connection fails before the next one: for 60 ms after each event, look every 10.
      let until = 0;
      const watch = () => {
        until = Date.now() + 60;
        poll ??= setInterval(() => {
          take();
          if (Date.now() > until) {
            clearInterval(poll);
            poll = undefined;
          }
        }, 10);
      };
      xhr.onprogress =
        xhr.onreadystatechange =
        xhr.onload =
          (event?: { type?: string }) => {
            if (failure !== undefined) return;
            const state = xhr.readyState;
            take();
            // DONE comes before the `error` event of a failed request: only `load` says it is whole.
            if (event?.type === "load") {
              loaded = true;
              finish();
            } else if (state > HEADERS_RECEIVED) watch();
            if (state === HEADERS_RECEIVED) {
              const headers = new Headers();
              for (const line of xhr.getAllResponseHeaders().split("\r\n")) {
                const colon = line.indexOf(":");
                if (colon > 0) headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
              }
              const { status } = xhr;
              const response = new Response(NULL_BODY.includes(status) ? null : stream, {
                status,
                statusText: xhr.statusText,
                headers,
              });
              // A constructed Response has no URL; the final one, after redirects, is XHR's.
              Object.defineProperty(response, "url", { value: xhr.responseURL });
              resolve(response);
            }
            wake?.();
          };
      // Before the headers a failure rejects the promise; after them it errors the body, once the
      // chunks that came before it are read.
      xhr.onerror = () => fail(new TypeError("Failed to fetch (XMLHttpRequest)"));
      if (signal?.aborted) return reject(signal.reason);
      if (body instanceof ReadableStream) {
        return reject(new TypeError("createXhrFetch: a request body cannot be a stream"));
      }
      signal?.addEventListener("abort", abort);
      xhr.open(init.method ?? "GET", String(input));
      // An event stream is always UTF-8, whatever charset its content type names.
      xhr.overrideMimeType("text/plain; charset=utf-8");
      xhr.withCredentials = init.credentials === "include";
      for (const [name, value] of new Headers(init.headers)) xhr.setRequestHeader(name, value);
      xhr.send(body ?? null);
    });
}
