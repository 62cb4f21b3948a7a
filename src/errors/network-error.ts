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
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${duringStream ? "The event stream broke off" : "Could not connect"}: ${reason}`, {
      cause,
    });
    this.duringStream = duringStream;
  }
}
