import { withoutSecrets } from "./http-error.js";
import { SSEError } from "./sse-error.js";

/**
 * The connection failed or broke: DNS, refused connection, reset, TLS, CORS, or a body that ended
 * in the middle of the transfer. Always retried. `cause` is what `fetch` or the body reader threw.
 */
export class NetworkError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "NetworkError";

  /** Whether the failure happened while reading an open stream (`true`) or while connecting. */
  // `declare`: assigned in the constructor, so no class-field definition is emitted (smaller).
  declare readonly duringStream: boolean;

  constructor(cause: unknown, duringStream: boolean) {
    const reason = failureReason(cause);
    super(`${duringStream ? "The event stream broke off" : "Could not connect"}: ${reason}`, {
      cause,
    });
    this.duringStream = duringStream;
  }
}

/** What `fetch` throws, as read here: Node's errors have a `code`, an AggregateError `errors`. */
type Thrown = Partial<AggregateError> & { code?: string };

/**
 * What failed, in words, from what `fetch` or the body reader threw. Node's fetch (undici) rejects
 * with a `fetch failed` TypeError whose `cause` says what failed: `connect ECONNREFUSED
 * 127.0.0.1:1234`, or an AggregateError (no message, a `code`, one error per address) when
 * several addresses were tried. URLs in it lose their query and credentials.
 */
export function failureReason(error: unknown): string {
  const inner = (error as Error | undefined)?.cause;
  const cause = inner instanceof Error ? inner : error;
  // (`Object()`: a non-object was thrown, `undefined` even; its text is the message.)
  const { message = String(cause), code, errors }: Thrown = Object(cause);
  let text = message || (errors ?? []).map((each) => each.message).join(", ");
  if (code && !text.includes(code)) text += ` (${code})`;
  return withoutSecrets(text);
}
