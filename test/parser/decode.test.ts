/**
 * Both byte decoders of src/parser/decode.ts on their own, `Utf8Decoder` (createParser, SSEClient)
 * and `StreamingDecoder` (EventSource), against the Encoding standard's UTF-8 decode as
 * `TextDecoder` implements it, with the BOM kept (`ignoreBOM`; the parser strips it).
 *
 * A run pushes the chunks of a byte stream, calls drain() where the parser would (before a text
 * chunk; nothing in the contract stops two in a row) and end() at the end. Checked on every run:
 * - the pieces put together are the decode of all the bytes at once;
 * - nothing comes out before a streaming decoder could know it;
 * - no line ending is held back: after each push, the text up to the last CR or LF so far is out
 *   (the parser sees each line, so each event, as soon as its bytes arrive);
 * - after drain() at most an incomplete last sequence (up to 3 bytes) is left;
 * - push() gives a string or undefined (held), drain() and end() strings.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ByteDecoder, StreamingDecoder, Utf8Decoder } from "../../src/parser/decode.js";

type DecoderClass = new () => ByteDecoder;

const DECODERS: { name: string; Decoder: DecoderClass }[] = [
  { name: "Utf8Decoder", Decoder: Utf8Decoder },
  { name: "StreamingDecoder", Decoder: StreamingDecoder },
];

const encoder = new TextEncoder();

/** The text the parser must get for these bytes. */
const reference = (bytes: Uint8Array): string =>
  new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Bytes from text (UTF-8) and raw byte values. */
const bytesOf = (...parts: (string | number[])[]): Uint8Array =>
  concat(parts.map((p) => (typeof p === "string" ? encoder.encode(p) : Uint8Array.from(p))));

/** What a run does: push a chunk, or call drain(). end() always comes last. */
type Step = Uint8Array | "drain";

const DRAIN = "drain" as const;

interface RunOptions {
  /**
   * After each drain(), everything a streaming decoder has decoded so far must be out: the held
   * bytes that are already invalid too, not only complete characters.
   */
  strictDrain?: boolean;
}

function fail(what: string, steps: Step[], index: number): never {
  throw new Error(`${what} (step ${index} of ${steps.length})`);
}

/** Runs the steps with a fresh decoder, checking the invariants of the module comment. */
function run(Decoder: DecoderClass, steps: Step[], options: RunOptions = {}): string {
  const chunks = steps.filter((s): s is Uint8Array => s !== DRAIN);
  const bytes = concat(chunks);
  const whole = reference(bytes);
  const decoder = new Decoder();
  // What a streaming decoder knows after the same chunks: its length and last line ending.
  const streaming = new TextDecoder("utf-8", { ignoreBOM: true });
  let known = 0;
  let knownLineEnd = 0;
  let out = "";
  let pushed = 0;
  const take = (text: unknown, i: number): void => {
    if (typeof text !== "string") fail(`not a string: ${String(text)}`, steps, i);
    if (!whole.startsWith(text, out.length)) {
      fail(`${JSON.stringify(text)} does not continue at ${out.length}`, steps, i);
    }
    out += text;
    if (out.length > known) fail("ahead of a streaming decoder", steps, i);
  };
  steps.forEach((step, i) => {
    if (step === DRAIN) {
      take(decoder.drain(), i);
      const left = [0, 1, 2, 3].filter((k) => k <= pushed);
      if (!left.some((k) => reference(bytes.subarray(0, pushed - k)) === out)) {
        fail("drain() left more than an incomplete last sequence", steps, i);
      }
      if (options.strictDrain && out.length !== known) {
        fail(`drain() left ${known - out.length} code units a streaming decoder gave`, steps, i);
      }
      return;
    }
    const text = decoder.push(step);
    pushed += step.length;
    const seen = streaming.decode(step, { stream: true });
    const lineEnd = Math.max(seen.lastIndexOf("\n"), seen.lastIndexOf("\r"));
    if (lineEnd !== -1) knownLineEnd = known + lineEnd + 1;
    known += seen.length;
    if (text !== undefined) take(text, i);
    if (out.length < knownLineEnd) fail("a line ending is held", steps, i);
  });
  const rest = decoder.end();
  if (typeof rest !== "string") fail("end() gave no string", steps, steps.length);
  out += rest;
  expect(out).toBe(whole);
  return out;
}

/** The bytes cut at the given offsets, with drain() after the chunks whose index is in `drains`. */
function cut(bytes: Uint8Array, offsets: number[], drains: number[] = []): Step[] {
  const steps: Step[] = [];
  let from = 0;
  [...offsets, bytes.length].forEach((to, i) => {
    steps.push(bytes.subarray(from, to));
    if (drains.includes(i)) steps.push(DRAIN);
    from = to;
  });
  return steps;
}

/** Every way to cut `bytes` in two and in three, each also with drain() after the first chunk. */
function everySplit(bytes: Uint8Array, from = 0, to = bytes.length): Step[][] {
  const all: Step[][] = [];
  for (let i = from; i <= to; i++) {
    all.push(cut(bytes, [i]), cut(bytes, [i], [0]));
    for (let j = i; j <= to; j++) all.push(cut(bytes, [i, j], [1]));
  }
  return all;
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Well-formed text of every UTF-8 length, line endings, BOM, NUL, and the edges of each range. */
const wellFormed = fc
  .constantFrom(
    "a",
    "Z",
    " ",
    ":",
    "\0",
    "\x7f",
    "\n",
    "\r",
    "\r\n",
    "\u0080",
    "é",
    "\u07ff",
    "\u0800",
    "€",
    "中文",
    "日本語",
    "\uFEFF",
    "\uFFFD",
    "\uFFFF",
    "\u{10000}",
    "😀",
    "𝄞",
    "\u{10FFFF}",
  )
  .map((s) => encoder.encode(s));

/** Byte sequences that are not UTF-8, each becoming one U+FFFD or more. */
const illFormed = fc
  .constantFrom(
    // Lone continuation bytes, one and more than a sequence can take.
    [0x80],
    [0xbf],
    [0x80, 0x80, 0x80, 0x80, 0x80],
    // Overlong forms.
    [0xc0, 0x80],
    [0xc1, 0xbf],
    [0xe0, 0x80, 0x80],
    [0xe0, 0x9f, 0xbf],
    [0xf0, 0x80, 0x80, 0x80],
    [0xf0, 0x8f, 0xbf, 0xbf],
    // Surrogates encoded in UTF-8, alone and as a CESU-8 pair (U+1F600).
    [0xed, 0xa0, 0x80],
    [0xed, 0xbf, 0xbf],
    [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80],
    // Beyond U+10FFFF, and bytes UTF-8 never uses.
    [0xf4, 0x90, 0x80, 0x80],
    [0xf5, 0x80, 0x80, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xfe],
    [0xff],
    // Truncated sequences, alone and before ASCII or a line ending; a truncated BOM.
    [0xc3],
    [0xe2, 0x82],
    [0xf0, 0x9f],
    [0xf0, 0x9f, 0x98],
    [0xc3, 0x41],
    [0xe2, 0x0a],
    [0xf0, 0x9f, 0x0d],
    [0xef, 0xbb],
  )
  .map((a) => Uint8Array.from(a));

/** A piece of a stream; ASCII runs around the size below which chunks are held (64). */
const piece = fc.oneof(
  { weight: 5, arbitrary: wellFormed },
  { weight: 3, arbitrary: illFormed },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 6 }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: "binary", maxLength: 4 }).map((s) => encoder.encode(s)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(5, 63, 64, 65, 130).map((n) => encoder.encode("x".repeat(n))),
  },
);

const stream = fc.array(piece, { maxLength: 40 }).map(concat);

/** Chunk sizes (the rest of the bytes is one more chunk), each with how many drain() follow. */
interface Splitting {
  sizes: { size: number; drains: number }[];
}

function splitting(size: fc.Arbitrary<number>): fc.Arbitrary<Splitting> {
  return fc.record({
    sizes: fc.array(
      fc.record({
        size,
        drains: fc.oneof(
          { weight: 4, arbitrary: fc.constant(0) },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) },
        ),
      }),
      { maxLength: 40 },
    ),
  });
}

const smallSplitting = splitting(
  fc.oneof(
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 6, max: 70 }),
    fc.integer({ min: 60, max: 200 }),
  ),
);

function stepsOf(bytes: Uint8Array, how: Splitting): Step[] {
  const steps: Step[] = [];
  let from = 0;
  for (const { size, drains } of how.sizes) {
    if (from >= bytes.length) break;
    steps.push(bytes.subarray(from, from + size));
    for (let d = 0; d < drains; d++) steps.push(DRAIN);
    from += size;
  }
  if (from < bytes.length || steps.length === 0) steps.push(bytes.subarray(from));
  return steps;
}

/** One-byte chunks. */
const bytewise = (bytes: Uint8Array): Step[] =>
  Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));

const HOLD_SMALL = 64;
const HOLD_MAX = 65_536;

/**
 * A run of about `filler` bytes of one character (ASCII, 2-byte or 4-byte), kept as its length so
 * that a counterexample stays readable; chunk ends then fall inside characters too.
 */
type LargePart = Uint8Array | { filler: number; char: string };

/** Streams with runs around the held-bytes limit (65,536) and chunks of every size. */
const largeStream = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: piece as fc.Arbitrary<LargePart> },
    {
      weight: 1,
      arbitrary: fc.record({
        filler: fc.constantFrom(HOLD_MAX - 70, HOLD_MAX - 1, HOLD_MAX, HOLD_MAX + 1, 70_000),
        char: fc.constantFrom("y", "y", "é", "😀"),
      }),
    },
  ),
  { maxLength: 12 },
);

/** The bytes of the parts, each filler as `filler` bytes' worth of its character (rounded up). */
function large(parts: LargePart[]): Uint8Array {
  return concat(
    parts.map((p) => {
      if (p instanceof Uint8Array) return p;
      const one = encoder.encode(p.char);
      const run = new Uint8Array(Math.ceil(p.filler / one.length) * one.length);
      for (let at = 0; at < run.length; at += one.length) run.set(one, at);
      return run;
    }),
  );
}

const largeSplitting = splitting(
  fc.oneof(
    fc.integer({ min: 0, max: 70 }),
    fc.integer({ min: 1000, max: 5000 }),
    fc.constantFrom(HOLD_MAX - 1, HOLD_MAX, HOLD_MAX + 1, 70_000, 2 * HOLD_MAX + 1),
  ),
);

/**
 * Mostly ASCII with a trace of other bytes, in chunks of 512 B and more: `Utf8Decoder` then takes
 * chunks with a few non-ASCII (or ill-formed) bytes to its stateless decoder too.
 */
const sparseStream = fc
  .array(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .integer({ min: 100, max: 3000 })
          .map((n) => encoder.encode(`${"s".repeat(n - 1)}\n`)),
      },
      { weight: 2, arbitrary: piece },
    ),
    { maxLength: 16 },
  )
  .map(concat);

const sparseSplitting = splitting(
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 512, max: 4096 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 70 }) },
  ),
);

/**
 * Bytes that `Utf8Decoder` keeps past drain() although they are already U+FFFD: a byte that looks
 * like the start of a sequence, followed by fewer continuation bytes than it announces, where no
 * character can start that way (see the bug note below).
 */
const invalidLookingIncomplete: number[][] = [
  [0xff],
  [0xfe],
  [0xf5],
  [0xc0],
  [0xc1],
  [0xe0, 0x80],
  [0xed, 0xa0],
  [0xf0, 0x80],
  [0xf4, 0x90],
  [0xf8, 0x88, 0x80],
];

// ---------------------------------------------------------------------------------------------

describe.each(DECODERS)("$name", ({ Decoder }) => {
  describe("properties", () => {
    it("any bytes, any chunks, any drain() calls: the decode of the whole", () => {
      fc.assert(
        fc.property(stream, smallSplitting, (bytes, how) => {
          run(Decoder, stepsOf(bytes, how));
        }),
        { numRuns: 1500 },
      );
    });

    it("any bytes in one-byte chunks", () => {
      fc.assert(
        fc.property(stream, (bytes) => {
          run(Decoder, bytewise(bytes));
        }),
        { numRuns: 300 },
      );
    });

    it("valid UTF-8 with drain() anywhere: drain() leaves only an incomplete character", () => {
      fc.assert(
        fc.property(
          fc.array(wellFormed, { maxLength: 40 }).map(concat),
          smallSplitting,
          (b, how) => {
            run(Decoder, stepsOf(b, how), { strictDrain: true });
          },
        ),
        { numRuns: 500 },
      );
    });

    // Found a bug of Utf8Decoder (fixed); see "drain() gives the U+FFFD of bytes no character can start with".
    it("any bytes: drain() gives all a streaming decoder has decoded", () => {
      fc.assert(
        fc.property(stream, smallSplitting, (bytes, how) => {
          run(Decoder, stepsOf(bytes, how), { strictDrain: true });
        }),
        {
          numRuns: 500,
          examples: invalidLookingIncomplete.map((b): [Uint8Array, Splitting] => [
            Uint8Array.from(b),
            { sizes: [{ size: b.length, drains: 1 }] },
          ]),
        },
      );
    });

    it("mostly ASCII with a few other bytes, chunks of 512 B and more: the decode of the whole", () => {
      fc.assert(
        fc.property(sparseStream, sparseSplitting, (bytes, how) => {
          run(Decoder, stepsOf(bytes, how), { strictDrain: true });
        }),
        { numRuns: 300 },
      );
    });

    // Found a bug of Utf8Decoder (fixed); see "a chunk that outgrows the buffer after held bytes".
    it("streams and chunks around 65,536 bytes: the decode of the whole", () => {
      fc.assert(
        fc.property(largeStream, largeSplitting, (parts, how) => {
          run(Decoder, stepsOf(large(parts), how));
        }),
        {
          numRuns: 60,
          examples: [
            [
              [bytesOf("a\n"), { filler: HOLD_MAX, char: "y" }, bytesOf("😀\n")],
              {
                sizes: [
                  { size: 1, drains: 0 },
                  { size: HOLD_MAX + 3, drains: 0 },
                ],
              },
            ],
          ],
        },
      );
    });
  });

  describe("examples", () => {
    it("a 4-byte emoji split at every offset, alone, in held chunks and in long ones", () => {
      for (const bytes of [
        bytesOf("😀"),
        bytesOf("a😀b\n"),
        bytesOf("data: 😀😀\r\n"),
        bytesOf("p".repeat(100), "😀", "q".repeat(100), "\n"),
      ]) {
        const at = bytes.indexOf(0xf0);
        for (const steps of everySplit(
          bytes,
          Math.max(0, at - 2),
          Math.min(bytes.length, at + 6),
        )) {
          run(Decoder, steps);
        }
      }
    });

    it("CJK text split at every offset", () => {
      for (const bytes of [
        bytesOf("中文字符，日本語のテキスト、한국어\n"),
        bytesOf("中文".repeat(20), "\n", "字".repeat(30)),
      ]) {
        for (const steps of everySplit(bytes, 0, Math.min(bytes.length, 30))) run(Decoder, steps);
        run(Decoder, bytewise(bytes));
      }
    });

    it("a lone continuation byte, alone, between ASCII, after a complete character, at a chunk end", () => {
      for (const bytes of [
        bytesOf([0x80]),
        bytesOf("a", [0x80], "b\n"),
        bytesOf("😀", [0x80], "\n"),
        bytesOf("x".repeat(100), [0x80, 0x80, 0x80, 0x80, 0x80]),
        bytesOf("x".repeat(100), [0xe2, 0x82, 0xac, 0x80], "\n"),
      ]) {
        for (const steps of everySplit(bytes, Math.max(0, bytes.length - 8))) run(Decoder, steps);
      }
      expect(run(Decoder, [bytesOf([0x80])])).toBe("\uFFFD");
    });

    it("overlong forms, encoded surrogates, truncated sequences and bytes never used", () => {
      for (const bad of [
        [0xc0, 0xaf],
        [0xe0, 0x80, 0xaf],
        [0xf0, 0x80, 0x80, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xed, 0xb0, 0x80],
        [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
        [0xe2, 0x82],
        [0xf0, 0x9f, 0x98],
        [0xc3],
        [0xfe, 0xff],
      ]) {
        for (const bytes of [bytesOf("a", bad, "b\n"), bytesOf("a", bad), bytesOf(bad, "\r\n")]) {
          for (const steps of everySplit(bytes)) run(Decoder, steps);
        }
      }
      // A truncated last character becomes one U+FFFD at the end.
      expect(run(Decoder, [bytesOf("a", [0xf0, 0x9f, 0x98])])).toBe("a\uFFFD");
    });

    it("a BOM is kept, split at every offset, also twice", () => {
      for (const bytes of [
        bytesOf("\uFEFFdata:x\n"),
        bytesOf("\uFEFF\uFEFF\n"),
        bytesOf("\uFEFF"),
      ]) {
        for (const steps of everySplit(bytes, 0, 7)) run(Decoder, steps);
      }
      expect(run(Decoder, cut(bytesOf("\uFEFFa"), [1, 2]))).toBe("\uFEFFa");
    });

    it("CR and LF: a CRLF split, a lone CR chunk, line endings at chunk ends", () => {
      for (const bytes of [
        bytesOf("a\r\nb\r\n"),
        bytesOf("\r", "\n", "\r"),
        bytesOf("x".repeat(63), "\r", "é\n"),
        bytesOf("é\r", "y".repeat(64), "\n"),
      ]) {
        for (const steps of everySplit(bytes, 0, 8)) run(Decoder, steps);
        for (const steps of everySplit(bytes, bytes.length - 8)) run(Decoder, steps);
        run(Decoder, bytewise(bytes));
      }
    });

    it("chunks of 63, 64 and 65 bytes without a line ending, then the rest", () => {
      for (const size of [HOLD_SMALL - 1, HOLD_SMALL, HOLD_SMALL + 1]) {
        const plain = bytesOf("x".repeat(size));
        const splitEmoji = bytesOf("x".repeat(size - 2), [0xf0, 0x9f]);
        const wide = bytesOf("é".repeat(Math.floor(size / 2)), size % 2 === 1 ? "x" : "");
        for (const chunk of [plain, splitEmoji, wide]) {
          expect(chunk.length).toBe(size);
          const tails = [bytesOf([0x98, 0x80], "\n"), bytesOf("y\n"), bytesOf("z".repeat(70))];
          for (const tail of tails) {
            run(Decoder, [chunk, tail]);
            run(Decoder, [chunk, DRAIN, tail]);
            run(Decoder, [chunk, chunk, tail, chunk]);
            run(Decoder, [bytesOf("a"), chunk, tail]);
          }
        }
      }
    });

    it("many tiny chunks past 65,536 held bytes: never more than that is held", () => {
      const ascii = bytesOf("a".repeat(HOLD_MAX + 10), "\n");
      const steps = bytewise(ascii);
      run(Decoder, steps);
      // ASCII: one byte, one code unit, so what is held is what was pushed minus what came out.
      const decoder = new Decoder();
      let out = 0;
      let mostHeld = 0;
      steps.forEach((chunk, i) => {
        out += decoder.push(chunk as Uint8Array)?.length ?? 0;
        mostHeld = Math.max(mostHeld, i + 1 - out);
      });
      expect(mostHeld).toBeLessThanOrEqual(HOLD_MAX);
      expect(out + decoder.end().length).toBe(ascii.length);
      // Chunks of 3 bytes over a 5-byte pattern: the limit falls inside a character.
      const mixedBytes = bytesOf("ab€".repeat(14_000));
      const threes: Step[] = [];
      for (let i = 0; i < mixedBytes.length; i += 3) threes.push(mixedBytes.subarray(i, i + 3));
      run(Decoder, threes);
      run(Decoder, [...threes, DRAIN, bytesOf("\n")]);
    });

    it("held bytes that end inside a character, then a chunk too large to copy after them", () => {
      const big = bytesOf("b".repeat(HOLD_MAX + 10), "\n");
      for (const char of ["é", "€", "😀"]) {
        const bytes = bytesOf("data: x", char);
        // A small chunk without a line ending (held) that stops 1 to 3 bytes into the character.
        for (let cut = bytes.length - bytesOf(char).length + 1; cut < bytes.length; cut++) {
          const held = bytes.subarray(0, cut);
          const rest = concat([bytes.subarray(cut), big]);
          run(Decoder, [held, rest]);
          run(Decoder, [held, rest, bytesOf("é\n")]);
          // An incomplete character at the end of the large chunk: U+FFFD at end().
          run(Decoder, [held, concat([rest, bytesOf([0xf0, 0x9f])])]);
        }
      }
    });

    it("switches from ASCII to non-ASCII text and back, mid-stream and mid-character", () => {
      const p = "p".repeat(100);
      const sequences: (string | number[])[][] = [
        ["abc\n", "é\n", "def\n"],
        [p, "é".repeat(50), "\n", p, "\n"],
        ["ab", [0xf0, 0x9f], [0x98, 0x80], "cd\n", "ef\n"],
        ["é", [0xf0, 0x9f], [0x98, 0x80], "ab\n", p],
        ["é a", [0xe2, 0x82], [0xac], "\n", p, "\n"],
        [p, "\n", "中", [0xe4], [0xb8, 0xad], "x\n", p, [0xe4, 0xb8], [0xad], "\n"],
        [[0xff, 0xfe], "a\n", "é", "b\n", [0x80], "c\n"],
        ["😀", [0xff], "a\n", p, "😀\n", "x", [0xf0, 0x9f, 0x98], [0x80], "\n"],
        [p, "é\n", p, [0xc3], [0xa9], "\n", p, [0xed, 0xa0, 0x80], "\n", p],
      ];
      for (const parts of sequences) {
        const chunks = parts.map((part) => bytesOf(part));
        run(Decoder, chunks);
        run(
          Decoder,
          chunks.flatMap((c) => [c, DRAIN]),
        );
        const bytes = concat(chunks);
        for (const steps of everySplit(bytes, 0, 12)) run(Decoder, steps);
        for (let size = 1; size <= 7; size++) {
          run(Decoder, stepsOf(bytes, { sizes: Array(bytes.length).fill({ size, drains: 0 }) }));
        }
      }
    });

    it("empty chunks, drain() and end() on a fresh decoder, drain() twice", () => {
      expect(new Decoder().drain()).toBe("");
      expect(new Decoder().end()).toBe("");
      const empty = new Uint8Array();
      expect(run(Decoder, [empty])).toBe("");
      expect(run(Decoder, [empty, DRAIN, empty])).toBe("");
      expect(run(Decoder, [bytesOf("a"), empty, DRAIN, DRAIN, bytesOf("b\n"), empty])).toBe("ab\n");
    });
  });

  describe("regressions (bugs these tests found in Utf8Decoder, fixed)", () => {
    // Was: drain() left bytes that look like the start of a sequence but that no
    // character can start with (0xC0, 0xC1, 0xF5-0xFF, 0xE0 then 0x80-0x9F, 0xED then 0xA0-0xBF,
    // 0xF0 then 0x80-0x8F, 0xF4 then 0x90-0xBF): `boundary()` holds them like a real incomplete
    // character, where a streaming decoder has already made them U+FFFD. The U+FFFD then comes
    // after the text chunk the parser feeds next: with Utf8Decoder, feed(Uint8Array [0xFF]) then
    // feed("data:x\n\n") dispatches "x" (the line is "data:x", the U+FFFD comes later); with
    // StreamingDecoder the line is "\uFFFDdata:x", an unknown field, and nothing is dispatched.
    it("drain() gives the U+FFFD of bytes no character can start with", () => {
      for (const bad of invalidLookingIncomplete) {
        const decoder = new Decoder();
        const pushed = decoder.push(Uint8Array.from(bad)) ?? "";
        expect(pushed + decoder.drain()).toBe(reference(Uint8Array.from(bad)));
      }
    });

    // Was: after held bytes (a chunk of <= 64 bytes without CR/LF), a chunk that
    // makes the held total exceed 65,536 grows the buffer past HOLD_MAX * 2; drain() keeps the
    // incomplete last character in that buffer (copyWithin, #length = 1..3) and then drops the
    // buffer (`this.#buffer = undefined`) with #length still set. Those bytes are lost: the next
    // #hold() allocates a new zero-filled buffer and writes after #length, so they decode as NULs,
    // and end() decodes an empty array instead of giving U+FFFD.
    it("a chunk that outgrows the buffer after held bytes keeps its last bytes", () => {
      const decoder = new Decoder();
      // Utf8Decoder holds "a" (undefined) and gives it with the big chunk.
      const held = decoder.push(bytesOf("a")) ?? "";
      const big = bytesOf("\n", "b".repeat(69_997), [0xf0, 0x9f]);
      expect(held + decoder.push(big)).toBe(`a\n${"b".repeat(69_997)}`);
      // Utf8Decoder gave "\0\0\uFFFD\uFFFD\n".
      expect(decoder.push(bytesOf([0x98, 0x80], "\n"))).toBe("😀\n");
    });

    it("a chunk that outgrows the buffer after held bytes: end() gives U+FFFD", () => {
      const decoder = new Decoder();
      decoder.push(bytesOf("a"));
      decoder.push(bytesOf("\n", "b".repeat(69_997), [0xf0, 0x9f]));
      // Utf8Decoder gives "".
      expect(decoder.end()).toBe("\uFFFD");
    });
  });
});
