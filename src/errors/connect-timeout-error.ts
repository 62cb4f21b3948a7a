import { SSEError } from "./sse-error.js";

/**
 * No response (status and headers) came within `connectTimeout` ms of the start of a connection;
 * the request was aborted and, as after a network error, is retried.
 */
export class ConnectTimeoutError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "ConnectTimeoutError";

  /** The `connectTimeout` that ran out, in ms. */
  readonly timeout: number;

  constructor(timeout: number) {
    super(`No response within ${timeout} ms (connectTimeout)`);
    this.timeout = timeout;
  }
}
