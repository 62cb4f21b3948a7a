import { SSEError } from "./sse-error.js";

/**
 * One of the functions in the options (`headers`, `body`, `auth.token`, `auth.refresh`) threw or
 * rejected. Fatal unless `shouldRetry` says otherwise; the original error is `cause`.
 */
export class CallbackError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "CallbackError";

  /** Which option failed, e.g. `"headers"` or `"auth.refresh"`. */
  readonly option: string;

  constructor(option: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`options.${option} failed: ${reason}`, { cause });
    this.option = option;
  }
}
