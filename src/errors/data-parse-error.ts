import { SSEError } from "./sse-error.js";

/**
 * The `parse` option failed on one message's data (e.g. invalid JSON). The message is skipped and
 * the stream goes on; the raw message is kept here.
 */
export class DataParseError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "DataParseError";

  /** The event type of the message. */
  readonly type: string;
  /** The raw, unparsed data. */
  readonly data: string;
  /** The last event ID of the message. */
  readonly lastEventId: string;

  constructor(message: { type: string; data: string; lastEventId: string }, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Could not parse the data of a "${message.type}" event: ${reason}`, { cause });
    this.type = message.type;
    this.data = message.data;
    this.lastEventId = message.lastEventId;
  }
}
