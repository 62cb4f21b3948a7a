import { SSEError } from "./sse-error.js";

/**
 * A response stream (an answer to a `POST`, or any stream with `reconnectOnEnd: false`) broke off
 * after it had delivered events, and the server gave no event ID to resume from. The client did
 * not send the request again: that would replay the answer from its start (and, for an LLM, pay
 * for a second generation). `cause` is the failure that broke it off. `shouldRetry` returning
 * `true` sends the request again anyway.
 */
export class ResponseInterruptedError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "ResponseInterruptedError";

  /** How many events the response delivered before it broke off. */
  readonly events: number;

  constructor(events: number, cause: SSEError) {
    super(
      `The response broke off after ${events} event${events === 1 ? "" : "s"} and was not replayed (no event ID to resume from): ${cause.message}`,
      { cause },
    );
    this.events = events;
  }
}
