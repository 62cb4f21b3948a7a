/**
 * Fuzzing: random bytes and random mixtures of SSE-ish tokens, in random chunkings, with a small
 * maxEventSize, random reset()/end() calls (also from inside onMessage) and text or byte chunks.
 * Without onError the parser may throw ParseError and nothing else, and stays usable; with onError
 * it never throws. Whatever it yields respects maxEventSize.
 *
 * Each test runs once per byte decoder (src/parser/decode.ts): `Utf8Decoder`, which
 * `createParser` and `SSEClient` use, and `StreamingDecoder`, which `EventSource` uses.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ParseError,
  type ParserOptions,
  type SSEMessage,
  type SSEParser,
} from "../../src/index.js";
import { StreamingDecoder, Utf8Decoder } from "../../src/parser/decode.js";
import { Parser } from "../../src/parser/parser.js";
import { splitAt } from "../fixtures/bytes.js";

const encoder = new TextEncoder();

/** Raw bytes, biased towards the ones that matter: CR, LF, colon, space, UTF-8 lead bytes. */
const rawBytes = fc.uint8Array({ maxLength: 400 });
const biasedBytes = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(0x0a, 0x0d, 0x3a, 0x20, 0x00, 0xef, 0xbb, 0xbf, 0xf0, 0x9f, 0xe2, 0x80),
    ),
    { maxLength: 400 },
  )
  .map((a) => Uint8Array.from(a));

/** SSE-ish tokens, some of them broken UTF-8. */
const token = fc.oneof(
  fc.constantFrom(
    "data:",
    "data: ",
    "data",
    "event:",
    "event: e",
    "id:",
    "id: 1",
    "retry:",
    "retry: 10",
    "retry:1e3",
    ":",
    ": comment",
    " ",
    "\r",
    "\n",
    "\r\n",
    "\n\n",
    "\r\r",
    "x",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "é",
    "😀",
    "\uFEFF",
    "\0",
  ),
  fc.string({ maxLength: 6 }),
);
const tokenStream = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: token.map((t) => encoder.encode(t)) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          [0xff],
          [0xef, 0xbb],
          [0xf0, 0x9f],
          [0xc0, 0x80],
          [0xed, 0xa0, 0x80],
        ),
      },
    ),
    { maxLength: 80 },
  )
  .map((parts) => Uint8Array.from(parts.flatMap((p) => Array.from(p))));

type Action = "feed" | "reset" | "end";

interface Plan {
  bytes: Uint8Array;
  cuts: number[];
  /** What happens before each chunk besides feeding it. */
  actions: Action[];
  asText: boolean;
  maxEventSize: number;
  flushOnEnd: boolean;
  lastEventId: string;
  /** onMessage calls reset() (1) or end() (2) on every n-th message; 0: never. */
  reenter: { every: number; call: 0 | 1 | 2 };
}

function plan(bytes: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Plan> {
  return fc.record({
    bytes,
    cuts: fc.array(fc.nat({ max: 500 }), { maxLength: 30 }),
    actions: fc.array(
      fc.oneof(
        { weight: 12, arbitrary: fc.constant<Action>("feed") },
        { weight: 1, arbitrary: fc.constant<Action>("reset") },
        { weight: 1, arbitrary: fc.constant<Action>("end") },
      ),
      { maxLength: 31 },
    ),
    asText: fc.boolean(),
    maxEventSize: fc.integer({ min: 1, max: 64 }),
    flushOnEnd: fc.boolean(),
    lastEventId: fc.constantFrom("", "0", "😀"),
    reenter: fc.record({ every: fc.integer({ min: 0, max: 3 }), call: fc.constantFrom(0, 1, 2) }),
  });
}

function chunksOf(p: Plan): (Uint8Array | string)[] {
  const cuts = [...new Set(p.cuts.map((c) => c % (p.bytes.length + 1)))].sort((a, b) => a - b);
  const chunks = splitAt(p.bytes, cuts);
  if (!p.asText) return chunks;
  // Text chunks decoded independently: broken characters at chunk edges become U+FFFD.
  return chunks.map((c) => new TextDecoder().decode(c));
}

interface Observed {
  messages: SSEMessage[];
  reported: unknown[];
  thrown: unknown[];
}

type MakeParser = (options: ParserOptions) => SSEParser;

/** The parser with each byte decoder. */
const DECODERS: { name: string; make: MakeParser }[] = [
  { name: "Utf8Decoder", make: (options) => new Parser(options, Utf8Decoder) },
  { name: "StreamingDecoder", make: (options) => new Parser(options, StreamingDecoder) },
];

/** Runs a plan; throws (failing the property) on anything but the allowed ParseErrors. */
function execute(make: MakeParser, p: Plan, withOnError: boolean): Observed {
  const observed: Observed = { messages: [], reported: [], thrown: [] };
  let parser: SSEParser | undefined;
  let count = 0;
  const options: ParserOptions = {
    onMessage: (m) => {
      observed.messages.push(m);
      count++;
      if (parser && p.reenter.every > 0 && count % p.reenter.every === 0) {
        if (p.reenter.call === 1) parser.reset();
        else if (p.reenter.call === 2) parser.end();
      }
    },
    onComment: (c) => expect(typeof c).toBe("string"),
    onRetry: (ms) => expect(Number.isSafeInteger(ms) && ms >= 0).toBe(true),
    maxEventSize: p.maxEventSize,
    flushOnEnd: p.flushOnEnd,
    lastEventId: p.lastEventId,
  };
  if (withOnError) options.onError = (e) => observed.reported.push(e);
  parser = make(options);
  const current = parser;
  const guarded = (action: () => void): void => {
    try {
      action();
    } catch (error) {
      if (withOnError || !(error instanceof ParseError)) throw error;
      observed.thrown.push(error);
    }
  };
  chunksOf(p).forEach((chunk, i) => {
    const action = p.actions[i];
    if (action === "reset") current.reset();
    else if (action === "end") guarded(() => current.end());
    guarded(() => current.feed(chunk));
  });
  guarded(() => current.end());
  if (p.maxEventSize >= "data:ok".length) {
    // Still usable: a fresh well-formed event that fits comes through, whatever happened before.
    current.feed("data:ok\n\n");
    expect(observed.messages.at(-1)).toEqual({
      type: "message",
      data: "ok",
      lastEventId: current.lastEventId,
    });
  }
  return observed;
}

function checkInvariants(p: Plan, observed: Observed): void {
  for (const m of observed.messages) {
    expect(typeof m.type).toBe("string");
    expect(m.type.length).toBeGreaterThan(0);
    expect(m.data.length).toBeLessThanOrEqual(p.maxEventSize);
  }
  for (const e of [...observed.reported, ...observed.thrown]) {
    expect(e).toBeInstanceOf(ParseError);
    expect((e as ParseError).reason).toBe("max-event-size-exceeded");
    expect((e as ParseError).limit).toBe(p.maxEventSize);
  }
}

const NUM_RUNS = 1000;

describe.each(DECODERS)("parser fuzzing, with $name", ({ make }) => {
  for (const [name, bytes] of [
    ["random bytes", rawBytes],
    ["random bytes biased to CR/LF/colon/UTF-8", biasedBytes],
    ["random SSE-ish tokens", tokenStream],
  ] as const) {
    it(`${name}: without onError, feed()/end() throw only ParseError`, () => {
      fc.assert(
        fc.property(plan(bytes), (p) => checkInvariants(p, execute(make, p, false))),
        { numRuns: NUM_RUNS },
      );
    });

    it(`${name}: with onError, nothing throws`, () => {
      fc.assert(
        fc.property(plan(bytes), (p) => {
          const observed = execute(make, p, true);
          expect(observed.thrown).toEqual([]);
          checkInvariants(p, observed);
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }

  it("with the default maxEventSize, random bytes never throw even without onError", () => {
    fc.assert(
      fc.property(rawBytes, fc.array(fc.nat(), { maxLength: 20 }), (bytes, seeds) => {
        const parser = make({ onMessage: () => {} });
        const cuts = [...new Set(seeds.map((s) => s % (bytes.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const cut of [...cuts, bytes.length]) {
          parser.feed(bytes.subarray(from, cut));
          from = cut;
        }
        parser.end();
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
