/** The parser's public types: its options and the object {@link createParser} returns. */
import type { ParseError } from "../errors/parse-error.js";
import type { SSEMessage } from "./message.js";

/** Options of {@link createParser}. */
export interface ParserOptions {
  /** Called for every dispatched event, synchronously from {@link SSEParser.feed}. */
  onMessage: (message: SSEMessage) => void;
  /**
   * Called for every comment line (a line starting with `:`), with the text after the colon
   * verbatim. Servers send comments as heartbeats; the spec otherwise ignores them.
   */
  onComment?: ((comment: string) => void) | undefined;
  /** Called when a `retry:` field made of ASCII digits only sets the reconnection time (ms). */
  onRetry?: ((ms: number) => void) | undefined;
  /**
   * Called when the stream breaks a parser limit. Without it, {@link SSEParser.feed} throws the
   * error instead (after parsing the rest of the chunk). Either way the offending event is
   * discarded up to the next blank line and parsing continues after it; an `id:` or `retry:` the
   * event had before the limit was reached stays in effect, so a resume skips past it.
   */
  onError?: ((error: ParseError) => void) | undefined;
  /**
   * The longest line, and the largest data of one event, the parser buffers, in UTF-16 code units
   * (bytes, for ASCII). Past it the event is discarded with a {@link ParseError}.
   *
   * The default is far above any legitimate event (tens of MiB of base64 fit) yet keeps a hostile
   * stream from exhausting memory or reaching V8's string length limit (2^29 - 24 code units).
   * @defaultValue 134_217_728 (128 Mi)
   */
  maxEventSize?: number | undefined;
  /**
   * At {@link SSEParser.end}, dispatch an event that the stream left unterminated instead of
   * discarding it as the spec says. For gateways that drop the final blank line.
   * @defaultValue false
   */
  flushOnEnd?: boolean | undefined;
  /** The last event ID to start from, e.g. one saved from an earlier session. @defaultValue "" */
  lastEventId?: string | undefined;
}

/** An incremental event stream parser; see {@link createParser}. */
export interface SSEParser {
  /**
   * Parses the next chunk of the stream: bytes (UTF-8, decoded in streaming mode so a character
   * split across chunks is fine and invalid bytes become U+FFFD) or already decoded text.
   * Callbacks run synchronously, in stream order, before `feed` returns.
   */
  feed(chunk: Uint8Array | string): void;
  /**
   * Ends the stream: an unterminated last event is discarded (or dispatched, with `flushOnEnd`),
   * then the parser is ready for the next stream, as after {@link SSEParser.reset}.
   */
  end(): void;
  /**
   * Discards the partial line, partial character and undispatched event, so that nothing from a
   * dropped connection leaks into the next one. The last event ID is kept, as browsers keep it
   * across reconnections. Called from a callback, it also stops the rest of the current chunk.
   */
  reset(): void;
  /**
   * The "last event ID string": the ID in force when the last event was dispatched. A blank line
   * updates it even when the event had no data (spec, "dispatch the event", step 1).
   */
  readonly lastEventId: string;
}
