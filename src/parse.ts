import { createDecoder, type Utf8Decoder } from "./decode.js";
import { ParseError } from "./errors/parse-error.js";
import type { SSEMessage } from "./types.js";

/** Options of {@link createParser}. */
export interface ParserOptions {
  /** Called for every dispatched event, synchronously from {@link SSEParser.feed}. */
  onMessage: (message: SSEMessage) => void;
  /**
   * Called for every comment line (a line starting with `:`), with the text after the colon
   * verbatim. Servers send comments as heartbeats; the spec otherwise ignores them.
   */
  onComment?: (comment: string) => void;
  /** Called when a `retry:` field made of ASCII digits only sets the reconnection time (ms). */
  onRetry?: (ms: number) => void;
  /**
   * Called when the stream breaks a parser limit. Without it, {@link SSEParser.feed} throws the
   * error instead (after parsing the rest of the chunk). Either way the offending event is
   * discarded up to the next blank line and parsing continues after it; an `id:` or `retry:` the
   * event had before the limit was reached stays in effect, so a resume skips past it.
   */
  onError?: (error: ParseError) => void;
  /**
   * The longest line, and the largest data of one event, the parser buffers, in UTF-16 code units
   * (bytes, for ASCII). Past it the event is discarded with a {@link ParseError}.
   *
   * The default is far above any legitimate event (tens of MiB of base64 fit) yet keeps a hostile
   * stream from exhausting memory or reaching V8's string length limit (2^29 - 24 code units).
   * @defaultValue 134_217_728 (128 Mi)
   */
  maxEventSize?: number;
  /**
   * At {@link SSEParser.end}, dispatch an event that the stream left unterminated instead of
   * discarding it as the spec says. For gateways that drop the final blank line.
   * @defaultValue false
   */
  flushOnEnd?: boolean;
  /** The last event ID to start from, e.g. one saved from an earlier session. @defaultValue "" */
  lastEventId?: string;
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

const LF = 10;
const COLON = 58;
const SPACE = 32;
/** The known field names; a field is its index here plus one, and 0 for any other field. */
const FIELD_NAMES = ["data", "event", "id", "retry"];
const DATA = 1;
const EVENT = 2;
const ID = 3;
const RETRY = 4;
const NOT_SKIPPING = 0;
const SKIPPING_LINE = 1;
const SKIPPING_EVENT = 2;

/**
 * Creates an incremental parser for `text/event-stream`, exactly per WHATWG HTML §9.2.5-9.2.6
 * ("Parsing an event stream", "Interpreting an event stream").
 *
 * @example
 * ```ts
 * const parser = createParser({ onMessage: (m) => console.log(m.type, m.data) });
 * for await (const chunk of response.body) parser.feed(chunk);
 * parser.end();
 * ```
 */
export function createParser(options: ParserOptions): SSEParser {
  const { onMessage, onComment, onRetry, onError } = options;
  const maxSize = options.maxEventSize ?? 134_217_728;
  const flushOnEnd = options.flushOnEnd === true;

  let decoder: Utf8Decoder | undefined;
  // "One leading U+FEFF BYTE ORDER MARK character must be ignored": once per stream.
  let atStart = true;
  // The tail of the last chunk that has no line ending yet.
  let pending = "";
  // The last chunk ended in CR: an LF starting the next chunk belongs to the same line ending.
  let afterCR = false;
  // After a ParseError: dropping the rest of the oversized line, then lines up to a blank line.
  let skipping = NOT_SKIPPING;
  // Thrown at the end of feed() when there is no onError, so the events after it still arrive.
  let deferred: ParseError | undefined;
  // Bumped by reset() so that a feed() interrupted by a callback stops.
  let generation = 0;
  // The data buffer; `undefined` stands for the spec's empty buffer so that one empty `data:`
  // line (buffer "\n") still dispatches an event with empty data.
  let data: string | undefined;
  let eventType = "";
  let idBuffer = options.lastEventId ?? "";
  let lastEventId = idBuffer;

  const fail = (state: typeof SKIPPING_LINE | typeof SKIPPING_EVENT): void => {
    pending = "";
    data = undefined;
    eventType = "";
    skipping = state;
    const error = new ParseError("max-event-size-exceeded", maxSize);
    if (onError) onError(error);
    else deferred ??= error;
  };

  // "Dispatch the event".
  const dispatch = (): void => {
    // 1. Set the last event ID string to the last event ID buffer.
    lastEventId = idBuffer;
    // 2. If the data buffer is empty, reset it and the event type buffer, and return.
    if (data === undefined) {
      eventType = "";
      return;
    }
    // 3-6. The trailing LF is never added here; the type defaults to "message".
    const message: SSEMessage = { type: eventType || "message", data, lastEventId };
    // 7. Reset the data and event type buffers.
    data = undefined;
    eventType = "";
    onMessage(message);
  };

  // Splits text into lines and interprets each ("Interpreting an event stream"). The line code
  // sits inline in the loop rather than in a function of its own: V8 will not inline a function
  // this size, and a call per line costs a good share of the parse time of short-line streams.
  const feedText = (text: string): void => {
    const length = text.length;
    if (length === 0) return;
    const gen = generation;
    let pos = 0;
    if (atStart) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) pos = 1;
    }
    if (afterCR) {
      afterCR = false;
      if (text.charCodeAt(pos) === LF) pos++;
    }
    // Next LF and next CR at or after `pos`; -1 once there are none left in this chunk.
    let lf = text.indexOf("\n", pos);
    let cr = text.indexOf("\r", pos);
    while (lf !== -1 || cr !== -1) {
      if (gen !== generation) return;
      let end: number;
      let next: number;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        end = lf;
        next = lf + 1;
        lf = text.indexOf("\n", next);
      } else {
        end = cr;
        next = cr + 1;
        if (next === length) {
          // A CR ends the chunk: the line is complete now (no waiting for a possible LF).
          afterCR = true;
        } else if (text.charCodeAt(next) === LF) {
          next++;
          lf = text.indexOf("\n", next);
        }
        cr = text.indexOf("\r", next);
      }
      // The line is s[start, end), without its line ending.
      let s = text;
      let start = pos;
      pos = next;
      if (pending !== "") {
        s = pending + text.slice(start, end);
        pending = "";
        start = 0;
        end = s.length;
      }
      if (skipping !== NOT_SKIPPING) {
        // The tail of an oversized line ends it; the discarded event then lasts to a blank line.
        if (skipping === SKIPPING_LINE) skipping = SKIPPING_EVENT;
        else if (start === end) skipping = NOT_SKIPPING;
        continue;
      }
      // The limits depend only on the stream, never on its chunking: one line, or the data buffer.
      if (end - start > maxSize) {
        fail(SKIPPING_EVENT);
        continue;
      }
      // "If the line is empty, dispatch the event."
      if (start === end) {
        dispatch();
        continue;
      }
      const first = s.charCodeAt(start);
      let colon: number;
      let field: number;
      // Fast paths: `data:`, `id:` and `event:` by char code (reading past `end` is safe: there
      // sits the line ending, never a colon, or nothing, NaN); then the general case.
      if (
        first === 100 &&
        s.charCodeAt(start + 4) === COLON &&
        s.charCodeAt(start + 1) === 97 &&
        s.charCodeAt(start + 2) === 116 &&
        s.charCodeAt(start + 3) === 97
      ) {
        colon = start + 4;
        field = DATA;
      } else if (first === COLON) {
        // "If the line starts with a colon, ignore the line" (reported as a comment).
        if (onComment) onComment(s.slice(start + 1, end));
        continue;
      } else if (
        first === 105 &&
        s.charCodeAt(start + 2) === COLON &&
        s.charCodeAt(start + 1) === 100
      ) {
        colon = start + 2;
        field = ID;
      } else if (
        first === 101 &&
        s.charCodeAt(start + 5) === COLON &&
        s.charCodeAt(start + 1) === 118 &&
        s.charCodeAt(start + 2) === 101 &&
        s.charCodeAt(start + 3) === 110 &&
        s.charCodeAt(start + 4) === 116
      ) {
        colon = start + 5;
        field = EVENT;
      } else {
        // Bounded by `end`: indexOf could run on through the rest of the chunk on every line.
        colon = start;
        while (colon < end && s.charCodeAt(colon) !== COLON) colon++;
        // Without a colon the whole line is the field name and the value is empty.
        field = FIELD_NAMES.indexOf(s.slice(start, colon)) + 1;
      }
      let valueStart = colon + 1;
      // "If value starts with a U+0020 SPACE character, remove it from value."
      if (valueStart < end && s.charCodeAt(valueStart) === SPACE) valueStart++;
      const value = valueStart < end ? s.slice(valueStart, end) : "";
      if (field === DATA) {
        // "Append the field value to the data buffer, then append a single U+000A LINE FEED":
        // joining with LF here is the same as the spec's trailing LF removed at dispatch.
        data = data === undefined ? value : `${data}\n${value}`;
        if (data.length > maxSize) fail(SKIPPING_EVENT);
      } else if (field === EVENT) {
        eventType = value;
      } else if (field === ID) {
        // "If the field value does not contain U+0000 NULL, set the last event ID buffer."
        if (!value.includes("\0")) idBuffer = value;
      } else if (field === RETRY) {
        // "If the field value consists of only ASCII digits", set the reconnection time.
        if (onRetry && /^\d+$/.test(value)) onRetry(+value);
      }
      // Any other field is ignored.
    }
    if (pos < length && gen === generation) {
      if (skipping !== NOT_SKIPPING) {
        // A line of a discarded event: not kept, but its tail must not pass for a blank line.
        skipping = SKIPPING_LINE;
      } else {
        // A rope append: a line arriving in many chunks costs linear time, not quadratic.
        pending += pos === 0 ? text : text.slice(pos);
        if (pending.length > maxSize) fail(SKIPPING_LINE);
      }
    }
  };

  const reset = (): void => {
    generation++;
    decoder = undefined;
    atStart = true;
    pending = "";
    afterCR = false;
    skipping = NOT_SKIPPING;
    deferred = undefined;
    data = undefined;
    eventType = "";
    idBuffer = lastEventId;
  };

  const throwDeferred = (): void => {
    if (deferred) {
      const error = deferred;
      deferred = undefined;
      throw error;
    }
  };

  return {
    feed(chunk) {
      if (typeof chunk === "string") {
        if (decoder) feedText(decoder.drain());
        feedText(chunk);
      } else {
        decoder ??= createDecoder();
        const text = decoder.push(chunk);
        if (text !== undefined) feedText(text);
      }
      throwDeferred();
    },
    end() {
      const gen = generation;
      // The held bytes; a trailing partial character becomes U+FFFD, as the spec's decoder says.
      if (decoder) feedText(decoder.end());
      if (gen === generation && flushOnEnd && skipping === NOT_SKIPPING) {
        // End the last line, as if the stream had, then the event.
        if (pending !== "") feedText("\n");
        if (gen === generation && skipping === NOT_SKIPPING) dispatch();
      }
      const error = deferred;
      if (gen === generation) reset();
      deferred = error;
      throwDeferred();
    },
    reset,
    get lastEventId() {
      return lastEventId;
    },
  };
}
