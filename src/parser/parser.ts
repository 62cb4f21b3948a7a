import { ParseError } from "../errors/parse-error.js";
import { type ByteDecoder, Utf8Decoder } from "./decode.js";
import type { ParserOptions, SSEParser } from "./types.js";

export type { ParserOptions, SSEParser };

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
/** The known field names; a field is its index here plus one, and 0 for any other field. */
const FIELD_NAMES = ["data", "event", "id", "retry"];
const DATA = 1;
const EVENT = 2;
const ID = 3;
const NOT_SKIPPING = 0;
const SKIPPING_LINE = 1;
const SKIPPING_EVENT = 2;

/**
 * Creates an incremental parser for `text/event-stream`, exactly per WHATWG HTML §9.2.5-9.2.6
 * ("Parsing an event stream", "Interpreting an event stream"). The callbacks are called as
 * methods of `options`.
 *
 * @example
 * ```ts
 * const parser = createParser({ onMessage: (m) => console.log(m.type, m.data) });
 * for await (const chunk of response.body) parser.feed(chunk);
 * parser.end();
 * ```
 */
export function createParser(options: ParserOptions): SSEParser {
  if (typeof options?.onMessage !== "function") {
    throw new TypeError(
      "createParser: options.onMessage must be a function (it receives each event)",
    );
  }
  return new Parser(options, Utf8Decoder);
}

// A class with private fields rather than closures: one shared set of methods, so a parser costs
// a few hundred bytes per connection, and the minifier shortens the field names.
export class Parser implements SSEParser {
  readonly #callbacks: ParserOptions;
  readonly #maxSize: number;
  readonly #flushOnEnd: boolean;
  readonly #Decoder: new () => ByteDecoder;
  #decoder: ByteDecoder | undefined;
  // "One leading U+FEFF BYTE ORDER MARK character must be ignored": once per stream.
  #atStart = true;
  // The tail of the last chunk that has no line ending yet.
  #pending = "";
  // The last chunk ended in CR: an LF starting the next chunk belongs to the same line ending.
  #afterCR = false;
  // After a ParseError: dropping the rest of the oversized line, then lines up to a blank line.
  #skipping = NOT_SKIPPING;
  // Thrown at the end of feed() when there is no onError, so the events after it still arrive.
  #deferred: ParseError | undefined;
  // Bumped by reset() so that a feed() interrupted by a callback stops.
  #generation = 0;
  // The data buffer; `undefined` stands for the spec's empty buffer so that one empty `data:`
  // line (buffer "\n") still dispatches an event with empty data.
  #data: string | undefined;
  #eventType = "";
  /** The `id:` field of the event being read, if it had one. */
  #ownId: string | undefined;
  #idBuffer: string;
  #lastEventId: string;

  /** @param Decoder - the class that decodes bytes, one instance per stream. */
  constructor(options: ParserOptions, Decoder: new () => ByteDecoder) {
    this.#Decoder = Decoder;
    this.#callbacks = options;
    this.#maxSize = options.maxEventSize ?? 134_217_728;
    this.#flushOnEnd = options.flushOnEnd === true;
    this.#idBuffer = options.lastEventId ?? "";
    this.#lastEventId = this.#idBuffer;
  }

  get lastEventId(): string {
    return this.#lastEventId;
  }

  feed(chunk: Uint8Array | string): void {
    if (typeof chunk === "string") {
      if (this.#decoder) this.#feedText(this.#decoder.drain());
      this.#feedText(chunk);
    } else {
      this.#decoder ??= new this.#Decoder();
      const text = this.#decoder.push(chunk);
      if (text !== undefined) this.#feedText(text);
    }
    const error = this.#deferred;
    if (error) {
      this.#deferred = undefined;
      throw error;
    }
  }

  end(): void {
    const gen = this.#generation;
    // The held bytes; a trailing partial character becomes U+FFFD, as the spec's decoder says.
    if (this.#decoder) this.#feedText(this.#decoder.end());
    if (gen === this.#generation && this.#flushOnEnd && this.#skipping === NOT_SKIPPING) {
      // End the last line, as if the stream had, then the event.
      if (this.#pending !== "") this.#feedText("\n");
      if (gen === this.#generation && this.#skipping === NOT_SKIPPING) this.#dispatch();
    }
    const error = this.#deferred;
    // reset() forgets the error; it is thrown here, once.
    if (gen === this.#generation) this.reset();
    if (error) throw error;
  }

  reset(): void {
    this.#generation++;
    this.#decoder = undefined;
    this.#atStart = true;
    this.#pending = "";
    this.#afterCR = false;
    this.#skipping = NOT_SKIPPING;
    this.#deferred = undefined;
    this.#data = undefined;
    this.#eventType = "";
    this.#idBuffer = this.#lastEventId;
    this.#ownId = undefined;
  }

  #fail(state: typeof SKIPPING_LINE | typeof SKIPPING_EVENT): void {
    this.#pending = "";
    this.#data = undefined;
    this.#eventType = "";
    this.#ownId = undefined;
    this.#skipping = state;
    const error = new ParseError(this.#maxSize);
    if (this.#callbacks.onError) this.#callbacks.onError(error);
    else this.#deferred ??= error;
  }

  // "Dispatch the event".
  #dispatch(): void {
    // 1. Set the last event ID string to the last event ID buffer.
    const lastEventId = this.#idBuffer;
    this.#lastEventId = lastEventId;
    const data = this.#data;
    const type = this.#eventType;
    // 2. If the data buffer is empty, reset it and the event type buffer, and return.
    // 7. Reset the data and event type buffers (before the callback, which may feed again).
    this.#data = undefined;
    this.#eventType = "";
    if (data === undefined) {
      this.#ownId = undefined;
      return;
    }
    // 3-6. The trailing LF is never added here; the type defaults to "message".
    // The event's own `id:` (not the spec's, which only has the persistent last event ID): code
    // that deduplicates by event ID must not take a carried-over ID for a repeat.
    const id = this.#ownId;
    this.#ownId = undefined;
    this.#callbacks.onMessage({ type: type || "message", data, lastEventId, id });
  }

  // Splits text into lines and interprets each ("Interpreting an event stream").
  #feedText(text: string): void {
    const maxSize = this.#maxSize;
    const length = text.length;
    if (length === 0) return;
    const gen = this.#generation;
    let pos = 0;
    if (this.#atStart) {
      this.#atStart = false;
      if (text.charCodeAt(0) === 0xfeff) pos = 1;
    }
    if (this.#afterCR) {
      this.#afterCR = false;
      if (text.charCodeAt(pos) === LF) pos++;
    }
    let head = this.#pending;
    this.#pending = "";
    // Next LF and next CR at or after `pos`; -1 once there are none left in this chunk.
    let lf = text.indexOf("\n", pos);
    let cr = text.indexOf("\r", pos);
    while (lf !== -1 || cr !== -1) {
      let end: number;
      let next: number;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        end = lf;
        next = lf + 1;
        // A blank line next (the end of an event) without a call to indexOf.
        lf = text.charCodeAt(next) === LF ? next : text.indexOf("\n", next);
      } else {
        end = cr;
        next = cr + 1;
        if (next === length) {
          // A CR ends the chunk: the line is complete now (no waiting for a possible LF).
          this.#afterCR = true;
        } else if (text.charCodeAt(next) === LF) {
          next++;
          lf = text.indexOf("\n", next);
        }
        cr = text.charCodeAt(next) === CR ? next : text.indexOf("\r", next);
      }
      // The line is s[start, end), without its line ending.
      let s = text;
      let start = pos;
      pos = next;
      if (head !== "") {
        // Only the first line of a chunk can have begun in an earlier one. With the line ending,
        // so that no part is empty.
        s = head + text.slice(start, end + 1);
        head = "";
        start = 0;
        end = s.length - 1;
      }
      // Interprets the line s[start, end), inline: as a method it was too large for V8 to inline.
      if (this.#skipping !== NOT_SKIPPING) {
        // The tail of an oversized line ends it; the discarded event then lasts to a blank line.
        if (this.#skipping === SKIPPING_LINE) this.#skipping = SKIPPING_EVENT;
        else if (start === end) this.#skipping = NOT_SKIPPING;
      } else if (end - start > maxSize) {
        // The limits depend only on the stream, never on its chunking: one line, or the data
        // buffer.
        this.#fail(SKIPPING_EVENT);
      } else if (start === end) {
        // "If the line is empty, dispatch the event."
        this.#dispatch();
      } else {
        const first = s.charCodeAt(start);
        let colon = start;
        // The field: its index in FIELD_NAMES plus one, 0 for any other field or a comment.
        let field = 0;
        // Fast paths: `data:` and `id:` by char code (reading past `end` is safe: there
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
          this.#callbacks.onComment?.(s.slice(start + 1, end));
        } else if (
          first === 105 &&
          s.charCodeAt(start + 2) === COLON &&
          s.charCodeAt(start + 1) === 100
        ) {
          colon = start + 2;
          field = ID;
        } else {
          // Bounded by `end`: indexOf could run on through the rest of the chunk on every line.
          while (colon < end && s.charCodeAt(colon) !== COLON) colon++;
          // Without a colon the whole line is the field name and the value is empty.
          field = FIELD_NAMES.indexOf(s.slice(start, colon)) + 1;
        }
        // Any other field is ignored.
        if (field !== 0) {
          let valueStart = colon + 1;
          // "If value starts with a U+0020 SPACE character, remove it from value."
          if (valueStart < end && s.charCodeAt(valueStart) === SPACE) valueStart++;
          const value = valueStart < end ? s.slice(valueStart, end) : "";
          if (field === DATA) {
            // "Append the field value to the data buffer, then append a single U+000A LINE FEED":
            // joining with LF here is the same as the spec's trailing LF removed at dispatch.
            this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
            if (this.#data.length > maxSize) this.#fail(SKIPPING_EVENT);
          } else if (field === EVENT) {
            this.#eventType = value;
          } else if (field === ID) {
            // "If the field value does not contain U+0000 NULL, set the last event ID buffer."
            if (!value.includes("\0")) {
              this.#idBuffer = value;
              this.#ownId = value;
            }
          } else if (/^\d+$/.test(value)) {
            // RETRY: "If the field value consists of only ASCII digits", set the reconnection time.
            this.#callbacks.onRetry?.(+value);
          }
        }
      }
      if (gen !== this.#generation) return;
    }
    if (head !== "") this.#pending = head;
    if (pos < length && gen === this.#generation) {
      if (this.#skipping !== NOT_SKIPPING) {
        // A line of a discarded event: not kept, but its tail must not pass for a blank line.
        this.#skipping = SKIPPING_LINE;
      } else {
        // A rope append: a line arriving in many chunks costs linear time, not quadratic.
        this.#pending += pos === 0 ? text : text.slice(pos);
        if (this.#pending.length > maxSize) this.#fail(SKIPPING_LINE);
      }
    }
  }
}
