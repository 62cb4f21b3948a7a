/**
 * Dispatch latency: when a chunk holding complete events arrives, does the parser dispatch them
 * within that very feed() call, or hold one back until more input comes? (`npm run bench:latency`
 * prints it; bench/latency.ts.)
 *
 * For LF, CRLF and lone-CR line endings, each parser gets a stream in which every chunk is one
 * or three whole events (`data: …` + ending + ending). A chunk ending in a lone CR is ambiguous
 * (CR, or the first half of a CRLF?); the spec says the CR ends the line, so a spec parser can
 * dispatch at once and swallow an LF that starts the next chunk.
 */
import { createParser as createParser3 } from "eventsource-parser";
import { createParser as createParser4 } from "eventsource-parser-4";
import { createParser } from "../src/index.js";
import type { DispatchResults } from "./results.js";

const encoder = new TextEncoder();

interface Subject {
  name: string;
  /** Returns a feed function and a counter of dispatched events. */
  create(): { feed(chunk: Uint8Array): void; dispatched(): number };
}

const subjects: Subject[] = [
  {
    name: "ssekit",
    create() {
      let n = 0;
      const parser = createParser({ onMessage: () => n++ });
      return { feed: (chunk) => parser.feed(chunk), dispatched: () => n };
    },
  },
  {
    name: "eventsource-parser 3.1.1",
    create() {
      let n = 0;
      const decoder = new TextDecoder();
      const parser = createParser3({ onEvent: () => n++ });
      return {
        feed: (chunk) => parser.feed(decoder.decode(chunk, { stream: true })),
        dispatched: () => n,
      };
    },
  },
  {
    name: "eventsource-parser 4.1.3",
    create() {
      let n = 0;
      const decoder = new TextDecoder();
      const parser = createParser4({ onEvent: () => n++ });
      return {
        feed: (chunk) => parser.feed(decoder.decode(chunk, { stream: true })),
        dispatched: () => n,
      };
    },
  },
];

const ENDINGS = [
  ["LF", "\n"],
  ["CRLF", "\r\n"],
  ["CR", "\r"],
] as const;

const CHUNKS = 1000;

interface Outcome {
  /** Events dispatched within the feed() of the chunk that completed them. */
  sameFeed: number;
  /** Events dispatched by the end (after every chunk was fed). */
  total: number;
  expected: number;
  /** Worst lag: how many feed() calls after its own chunk an event was dispatched. */
  maxLag: number;
}

export function measure(subject: Subject, ending: string, perChunk: number): Outcome {
  const { feed, dispatched } = subject.create();
  let sameFeed = 0;
  let maxLag = 0;
  // Events completed so far but not yet dispatched, by the index of the chunk that held them.
  const waiting: number[] = [];
  for (let i = 0; i < CHUNKS; i++) {
    let text = "";
    for (let k = 0; k < perChunk; k++) text += `data: event ${i}.${k} ✓${ending}${ending}`;
    const before = dispatched();
    for (let k = 0; k < perChunk; k++) waiting.push(i);
    feed(encoder.encode(text));
    const now = dispatched() - before;
    for (let k = 0; k < now; k++) {
      const from = waiting.shift();
      if (from === undefined) throw new Error(`${subject.name}: dispatched more than was sent`);
      if (from === i) sameFeed++;
      else maxLag = Math.max(maxLag, i - from);
    }
  }
  return { sameFeed, total: dispatched(), expected: CHUNKS * perChunk, maxLag };
}

export function verdict(o: Outcome): string {
  if (o.sameFeed === o.expected) return "yes";
  const held = o.expected - o.sameFeed;
  const never = o.expected - o.total;
  const lag = o.maxLag > 1 ? `up to ${o.maxLag} chunks late` : "dispatched by the next chunk";
  return `no: ${held}/${o.expected} held back (${lag}${never > 0 ? `; the last ${never} never, no more input came` : ""})`;
}

export const CHUNK_SHAPES = [1, 3] as const;

/** Every parser, line ending and events-per-chunk; `held` lists where ssekit held an event back. */
export function measureDispatch(perChunk: number): DispatchResults & { held: string[] } {
  const held: string[] = [];
  const rows = subjects.map((s) => {
    const endings: Record<string, string> = {};
    for (const [name, ending] of ENDINGS) {
      const o = measure(s, ending, perChunk);
      if (s.name === "ssekit" && o.sameFeed !== o.expected) held.push(`${name}: ${verdict(o)}`);
      endings[name] = verdict(o);
    }
    return { parser: s.name, endings };
  });
  return { rows, held };
}
