/**
 * One event dispatched from an event stream.
 *
 * Field for field what the WHATWG "dispatch the event" steps put into a `MessageEvent`.
 */
export interface SSEMessage {
  /** The event type: the last `event:` field of the event, or `"message"` when there was none. */
  type: string;
  /** The `data:` lines of the event joined with `"\n"`, exactly as sent (never trimmed or parsed). */
  data: string;
  /**
   * The last event ID at the time of dispatch. It persists across events: an event without an
   * `id:` field carries the ID of the last one that had it, and `id:` with an empty value resets it.
   */
  lastEventId: string;
  /**
   * The event's own `id:` field, or `undefined` when it had none (it then still carries the
   * persistent `lastEventId`). Not part of the spec's `MessageEvent`: for code that deduplicates
   * by event ID, as with eventsource-parser's `id`.
   */
  id?: string | undefined;
}
