import { SSEError } from "./sse-error.js";

/**
 * The server answered with a status that is not a usable event stream (e.g. 401, 404, 500).
 * Retryable statuses (408, 429, 5xx but 501) reach `onError` on every attempt; the others end the
 * client.
 */
export class HttpError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "HttpError";

  /** The HTTP status code. */
  readonly status: number;
  /** The HTTP status text (empty over HTTP/2 and later). */
  readonly statusText: string;
  /** The response headers. */
  readonly headers: Headers;
  /** The start of the response body, decoded as UTF-8: at most {@link HttpError.MAX_BODY} bytes. */
  readonly body: string;

  /** How many bytes of the body {@link HttpError.body} keeps: enough to read an error message. */
  static readonly MAX_BODY = 2048;

  constructor(response: Response, body: string, options?: { cause?: unknown }) {
    const text = response.statusText ? ` ${response.statusText}` : "";
    const url = response.url ? withoutSecrets(response.url) : "no URL";
    super(`The server answered ${response.status}${text} (${url})`, options);
    this.status = response.status;
    this.statusText = response.statusText;
    this.headers = response.headers;
    this.body = body;
  }
}

/**
 * `text` with every URL in it cut to its scheme, host and path: no query string (where tokens go),
 * no fragment, no credentials. Error messages end up in logs; the full URL stays in `cause` or
 * the response.
 */
export function withoutSecrets(text: string): string {
  // scheme:// [userinfo@] host and path (kept) [?query] [#fragment], up to a space, quote or `)`.
  return text.replace(/(\w+:\/\/)(?:[^\s/?#]*@)?([^\s?#)'"]*)[^\s)'"]*/g, "$1$2");
}
