/**
 * UTF-8 bytes to text for the parser: the same text a streaming WHATWG UTF-8 decoder gives
 * (invalid bytes become U+FFFD), produced more cheaply.
 *
 * - Every decode ends on a character boundary: an incomplete sequence at the end of a chunk waits
 *   for the next one. Decoding the same bytes split only at such boundaries yields the same text,
 *   and it lets each call run without streaming state, which is several times faster for ASCII
 *   in V8 (Node's `decode()` without `stream` takes a SIMD path). Non-ASCII text keeps using a
 *   streaming decoder, faster there.
 * - A small chunk without CR or LF cannot end a line, so no event: it is held and decoded with the
 *   chunk that does. One decode of many tiny chunks costs far less than one decode each.
 *
 * The BOM is left in the text (`ignoreBOM`); the parser strips it once per stream.
 */

/** Chunks up to this size without a line ending are held rather than decoded at once. */
const HOLD_SMALL = 64;
/** Held bytes are decoded once they reach this much, so holding never grows without bound. */
const HOLD_MAX = 65_536;
const STREAM = { stream: true };

/** What turns a stream's byte chunks into text for the parser (see `Utf8Decoder`). */
export interface ByteDecoder {
  /** The text of `chunk` to parse now, or `undefined` when it is held for later. */
  push(chunk: Uint8Array): string | undefined;
  /** The text of the held bytes, before text that did not come as bytes. */
  drain(): string;
  /** The end of the stream: the rest, an incomplete last character as U+FFFD. */
  end(): string;
}

/** Turns the byte chunks of one stream into text chunks; see the module comment. */
export class Utf8Decoder implements ByteDecoder {
  #fast: TextDecoder | undefined;
  #streaming: TextDecoder | undefined;
  // Whether the text looks ASCII, so the stateless decoder is the faster one. The streaming
  // decoder is only left when it holds no partial character (its last byte was ASCII).
  #ascii = true;
  #buffer: Uint8Array | undefined;
  #length = 0;

  /** The text of `chunk` to parse now, or `undefined` when it is held for later. */
  push(chunk: Uint8Array): string | undefined {
    const size = chunk.length;
    if (
      size <= HOLD_SMALL &&
      this.#length + size <= HOLD_MAX &&
      chunk.indexOf(10) === -1 &&
      chunk.indexOf(13) === -1
    ) {
      this.#hold(chunk);
      return undefined;
    }
    if (this.#length === 0) return this.#decode(chunk, false);
    this.#hold(chunk);
    return this.drain();
  }

  /** The text of every held complete character (before text that did not come as bytes). */
  drain(): string {
    const buffer = this.#buffer;
    if (this.#length === 0 || !buffer) return "";
    const text = this.#decode(buffer.subarray(0, this.#length), true);
    // A buffer grown by one large chunk is not kept for the rest of the stream; an incomplete
    // last character (moved to its front by #decode) is.
    if (buffer.length > HOLD_MAX * 2) {
      this.#buffer = this.#length === 0 ? undefined : buffer.slice(0, this.#length);
    }
    return text;
  }

  /** The end of the stream: the held bytes, an incomplete last character as U+FFFD. */
  end(): string {
    const bytes = (this.#buffer ?? new Uint8Array()).subarray(0, this.#length);
    this.#length = 0;
    // A call without `stream`: a last incomplete character becomes U+FFFD.
    return this.#decoder().decode(bytes);
  }

  // The decoder for the current guess: stateless for ASCII, streaming otherwise.
  #decoder(): TextDecoder {
    if (this.#ascii) {
      this.#fast ??= newDecoder();
      return this.#fast;
    }
    this.#streaming ??= newDecoder();
    return this.#streaming;
  }

  #hold(bytes: Uint8Array): void {
    const length = this.#length;
    const total = length + bytes.length;
    let buffer = this.#buffer;
    if (!buffer || buffer.length < total) {
      const grown = new Uint8Array(Math.max(1024, total * 2));
      if (buffer) grown.set(buffer.subarray(0, length));
      this.#buffer = buffer = grown;
    }
    buffer.set(bytes, length);
    this.#length = total;
  }

  // Decodes `bytes` (the held bytes when `held`), keeping an incomplete last character for later.
  #decode(bytes: Uint8Array, held: boolean): string {
    const size = bytes.length;
    if (held) this.#length = 0;
    if (!this.#ascii) {
      const text = this.#decoder().decode(bytes, STREAM);
      this.#ascii = text.length === size && (bytes[size - 1] as number) < 0x80;
      return text;
    }
    const cut = boundary(bytes, size);
    const text =
      cut === 0 ? "" : this.#decoder().decode(cut === size ? bytes : bytes.subarray(0, cut));
    this.#ascii = text.length === cut;
    if (cut < size) {
      if (held) {
        (this.#buffer as Uint8Array).copyWithin(0, cut, size);
        this.#length = size - cut;
      } else {
        this.#hold(bytes.subarray(cut));
      }
    }
    return text;
  }
}

const newDecoder = () => new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * A plain streaming `TextDecoder` as a {@link ByteDecoder}: less code than `Utf8Decoder`, slower on
 * ASCII. For `EventSource`, whose bundle size counts more than its parsing speed.
 */
export class StreamingDecoder implements ByteDecoder {
  readonly #decoder = newDecoder();

  push(chunk: Uint8Array): string {
    return this.#decoder.decode(chunk, STREAM);
  }

  drain(): string {
    return "";
  }

  end(): string {
    return this.#decoder.decode();
  }
}

/**
 * Where the incomplete UTF-8 sequence at the end of `bytes[0, length)` starts, or `length` when
 * there is none: the last lead byte within the last four bytes, when fewer bytes follow it than
 * it announces and the bytes so far can still start a character. Cutting there never changes what
 * a streaming decoder would produce: the byte at the cut is not a continuation byte, so nothing
 * before it still waits for one; and a sequence that is invalid already (a lead byte no character
 * starts with, or a second byte out of its range) is decoded now, as a streaming decoder would.
 */
function boundary(bytes: Uint8Array, length: number): number {
  const stop = length > 4 ? length - 4 : 0;
  let lead = length - 1;
  while (lead >= stop && ((bytes[lead] as number) & 0xc0) === 0x80) lead--;
  if (lead < stop) return length;
  const byte = bytes[lead] as number;
  // 0xC0, 0xC1 and 0xF5-0xFF start no character (WHATWG Encoding, UTF-8 decoder).
  if (byte < 0xc2 || byte > 0xf4) return length;
  const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
  if (length - lead >= needed) return length;
  const second = bytes[lead + 1];
  if (second !== undefined) {
    // The second byte's range narrows for these lead bytes (no overlong forms, no surrogates,
    // nothing above U+10FFFF).
    const low = byte === 0xe0 ? 0xa0 : byte === 0xf0 ? 0x90 : 0x80;
    const high = byte === 0xed ? 0x9f : byte === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return length;
  }
  return lead;
}
