import { SSEError } from "./sse-error.js";

/** `retry.maxAttempts` reconnections in a row failed; the client gave up. */
export class RetriesExhaustedError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "RetriesExhaustedError";

  /** How many reconnections were tried. */
  readonly attempts: number;
  /** The failure of the last attempt (also `cause`). */
  readonly lastError: SSEError;

  constructor(attempts: number, lastError: SSEError) {
    super(`Gave up after ${attempts} failed reconnection attempts: ${lastError.message}`, {
      cause: lastError,
    });
    this.attempts = attempts;
    this.lastError = lastError;
  }
}
