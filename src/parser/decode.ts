/**
 * UTF-8 bytes to text for the parser: the same text a streaming WHATWG UTF-8 decoder gives
 * (invalid bytes become U+FFFD), produced more cheaply.
 *
 * - Every decode ends on a character boundary: an incomplete sequence at the end of a chunk waits
 *   for the next one. Decoding the same bytes split only at such boundaries yields the same text,
 *   and it lets each call run without streaming state, which is several times faster for ASCII
 *   in V8 (Node's `decode()` without `stream` takes a SIMD path). Text with more than a trace of
 *   non-ASCII keeps using a streaming decoder, faster there; which one a chunk gets is guessed
 *   from the chunk before it.
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
  #streaming: TextDecoder | undefined;
  // Whether the text looks (nearly) ASCII, so the stateless decoder is the faster one. The
  // streaming decoder is only left when it holds no partial character (its last byte was ASCII).
  #ascii = true;
  #buffer: Uint8Array | undefined;
  #length = 0;

  /** The text of `chunk` to parse now, or `undefined` when it is held for later. */
  push(chunk: Uint8Array): string | undefined {
    const size = chunk.length;
    const held = this.#length;
    if (size <= HOLD_SMALL && held + size <= HOLD_MAX) {
      // A loop, not indexOf: on chunks this small the calls cost more than the scan (`npm run
      // bench`, tiny: 0.46x -> 0.27x eventsource-parser 4.1.3).
      let i = 0;
      while (i < size && chunk[i] !== 10 && chunk[i] !== 13) i++;
      if (i === size) {
        this.#hold(chunk);
        return undefined;
      }
    }
    if (held === 0) return this.#decode(chunk);
    if (held + size <= HOLD_MAX) {
      // One decode for the held bytes and the chunk: copying is cheaper than a second call.
      this.#hold(chunk);
      return this.drain();
    }
    // A large chunk is not copied: the held bytes go first. Should they end inside a character,
    // the streaming decoder keeps its start and decodes the chunk after it.
    return this.drain() + this.#decode(chunk);
  }

  /** The text of every held complete character (before text that did not come as bytes). */
  drain(): string {
    const length = this.#length;
    if (length === 0) return "";
    this.#length = 0;
    return this.#decode((this.#buffer as Uint8Array).subarray(0, length));
  }

  /** The end of the stream: the held bytes, an incomplete last character as U+FFFD. */
  end(): string {
    // A call without `stream` after the held bytes: a last incomplete character becomes U+FFFD.
    return this.drain() + this.#decoder().decode();
  }

  // The decoder for the current guess: stateless for ASCII, streaming otherwise.
  #decoder(): TextDecoder {
    if (this.#ascii) {
      stateless ??= newDecoder();
      return stateless;
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

  // Decodes `bytes`. An incomplete last character stays with the streaming decoder, which also
  // turns bytes no character can start with into U+FFFD as it should; the stateless one serves
  // chunks that end on a character boundary.
  #decode(bytes: Uint8Array): string {
    const size = bytes.length;
    if (this.#ascii && boundary(bytes, size) !== size) this.#ascii = false;
    const text = this.#decoder().decode(bytes, this.#ascii ? undefined : STREAM);
    // The stateless decoder next after a trace of non-ASCII, when the chunk ends in ASCII: then the
    // streaming decoder holds no partial character.
    this.#ascii = sparse(size, text.length) && (bytes[size - 1] as number) < 0x80;
    return text;
  }
}

const newDecoder = () => new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Whether `size` bytes that decoded to `length` UTF-16 units held a mere trace of non-ASCII (at
 * most two bytes more than units: one CJK character or emoji, or two accented letters): then the
 * next chunk may well be pure ASCII, where the stateless decoder is about 6x faster, and what it
 * loses on a few non-ASCII characters is less. A count, not a share: a 16 KiB chunk with a trace
 * of non-ASCII predicts a next one with some (measured with `npm run bench` and
 * `npm run bench:client` on llm-3pct: parser 0.68x -> 0.63x eventsource-parser 4.1.3, the client
 * unchanged; one extra byte per 512 instead slowed the client's 0.66x to 0.8x).
 */
const sparse = (size: number, length: number) => size - length <= 2;
// One for every stream: a decoder never called with `stream` keeps no state between calls, and a
// shared one is a TextDecoder less per open connection (bench/client-heap.ts).
let stateless: TextDecoder | undefined;

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
 * Whether `bytes[0, length)` ends inside a UTF-8 sequence: where its last lead byte (within the
 * last four bytes) starts, when fewer bytes follow it than it announces; `length` otherwise.
 */
function boundary(bytes: Uint8Array, length: number): number {
  const stop = length > 4 ? length - 4 : 0;
  let lead = length - 1;
  while (lead >= stop && ((bytes[lead] as number) & 0xc0) === 0x80) lead--;
  if (lead < stop) return length;
  const byte = bytes[lead] as number;
  const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return length - lead < needed ? lead : length;
}
