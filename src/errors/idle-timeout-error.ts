import { SSEError } from "./sse-error.js";

/** No byte (not even a comment) arrived for `idleTimeout` ms; the connection was dropped and retried. */
export class IdleTimeoutError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "IdleTimeoutError";

  /** The `idleTimeout` that ran out, in ms. */
  readonly timeout: number;

  constructor(timeout: number) {
    super(`No data for ${timeout} ms; the connection is presumed dead`);
    this.timeout = timeout;
  }
}
