import { SSEError } from "./sse-error.js";

/**
 * The event stream broke a limit the parser enforces. The parser discards the offending event
 * (everything up to the next blank line) and carries on with the ones after it.
 */
export class ParseError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "ParseError";

  /** What went wrong; a string union so callers can `switch` on it as new reasons are added. */
  readonly reason = "max-event-size-exceeded";
  // `declare`: assigned in the constructor, so no class-field definition is emitted (smaller).
  /** The `maxEventSize` that was exceeded, in UTF-16 code units. */
  declare readonly limit: number;

  constructor(limit: number) {
    super(`An event exceeded maxEventSize (${limit}) and was discarded`);
    this.limit = limit;
  }
}
