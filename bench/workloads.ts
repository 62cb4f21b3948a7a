/**
 * Deterministic, in-memory SSE workloads for the parser benchmark.
 *
 * Every workload is generated from a seeded PRNG (mulberry32), so two runs (and two machines)
 * feed the parsers byte-identical streams cut at identical chunk boundaries. Chunks are
 * `subarray` views of one backing buffer per workload, like the views a network stack hands out.
 */

import { prng } from "../test/fixtures/prng.js";

/** mulberry32, the seeded PRNG the fault tests use too: floats in [0, 1). */
export const mulberry32 = prng;

export type Rng = () => number;

/** A chunk as the network hands it out: a view on a plain (not shared) ArrayBuffer. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** Integer in [min, max], both inclusive. */
export function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** What a spec-conforming parser must report for a workload (UTF-16 code units for lengths). */
export interface Expected {
  messages: number;
  dataLength: number;
}

/** One dispatched event, as the generator intends it (used by the untimed deep check). */
export interface ExpectedMessage {
  type: string;
  data: string;
}

export interface Workload {
  name: string;
  description: string;
  chunks: Bytes[];
  bytes: number;
  expected: Expected;
  /** Full event list, for workloads where the generator models every event (mixed). */
  expectedMessages?: ExpectedMessage[];
  /** Valid `retry:` values in stream order and comment lines (mixed only). */
  expectedRetries?: number[];
  expectedComments?: number;
  /** Extra facts printed with the workload (e.g. how many chunk cuts split a UTF-8 sequence). */
  notes?: string[];
}

export interface WorkloadSpec {
  name: string;
  /** Also run the stream contenders (SSEParserStream vs TextDecoderStream+EventSourceParserStream). */
  stream: boolean;
  build(): Workload;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Cut `bytes` into consecutive subarray views of random length in [min, max]. */
export function chunkRandom(bytes: Bytes, rng: Rng, min: number, max: number): Bytes[] {
  const chunks: Bytes[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const end = Math.min(bytes.length, offset + randInt(rng, min, max));
    chunks.push(bytes.subarray(offset, end));
    offset = end;
  }
  return chunks;
}

/** Cut `bytes` into consecutive subarray views of exactly `size` bytes (the last may be shorter). */
export function chunkFixed(bytes: Bytes, size: number): Bytes[] {
  const chunks: Bytes[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    chunks.push(bytes.subarray(offset, Math.min(bytes.length, offset + size)));
  }
  return chunks;
}

/** How many chunk boundaries fall inside a multi-byte UTF-8 sequence / between CR and LF. */
function boundaryStats(chunks: readonly Bytes[]): { splitChars: number; splitCrlf: number } {
  let splitChars = 0;
  let splitCrlf = 0;
  for (let i = 1; i < chunks.length; i++) {
    const next = chunks[i];
    const prev = chunks[i - 1];
    if (next === undefined || prev === undefined || next.length === 0 || prev.length === 0)
      continue;
    const first = next[0] ?? 0;
    if ((first & 0xc0) === 0x80) splitChars++;
    if (first === 0x0a && prev[prev.length - 1] === 0x0d) splitCrlf++;
  }
  return { splitChars, splitCrlf };
}

const encoder = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// llm / tiny: OpenAI-style chat completion chunks
// ---------------------------------------------------------------------------------------------

// biome-ignore format: a word list reads better packed
const TOKENS = [
  " the", " of", " and", " to", " a", " in", " is", " that", " for", " it", " as", " with", " on",
  " be", " this", " by", " are", " model", " token", " stream", " server", " event", " data", "ing",
  "ed", "ly", "s", ",", ".", ":", " (", ")", " \"", "\"", "\n", "\n\n", " 42", " 2024", " API",
  " JSON", " function", " return", " const", " =>", " {", " }", " Hello", " world", "!", "?",
];
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomId(rng: Rng, length: number): string {
  let id = "";
  for (let i = 0; i < length; i++) id += ALNUM[Math.floor(rng() * ALNUM.length)];
  return id;
}

/** `count` chat.completion.chunk events (~150 B each) as one UTF-8 buffer, plus expectations. */
export function llmStream(rng: Rng, count: number): { bytes: Bytes; expected: Expected } {
  const parts: string[] = [];
  let dataLength = 0;
  let id = "";
  let created = 1_718_000_000;
  for (let i = 0; i < count; i++) {
    if (i % 400 === 0) {
      // A new completion every 400 tokens: new id, new timestamp.
      id = `chatcmpl-${randomId(rng, 29)}`;
      created += randInt(rng, 1, 90);
    }
    const content = JSON.stringify(pick(rng, TOKENS));
    const json = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"choices":[{"delta":{"content":${content}}}]}`;
    dataLength += json.length;
    parts.push(`data: ${json}\n\n`);
  }
  return { bytes: encoder.encode(parts.join("")), expected: { messages: count, dataLength } };
}

// ---------------------------------------------------------------------------------------------
// big / hugeline: ASCII payload copied from a random pool
// ---------------------------------------------------------------------------------------------

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i);
const BASE64 = Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", (c) =>
  c.charCodeAt(0),
);

function randomPool(rng: Rng, alphabet: readonly number[], size: number): Bytes {
  const pool = new Uint8Array(size);
  for (let i = 0; i < size; i++) pool[i] = alphabet[Math.floor(rng() * alphabet.length)] ?? 0x41;
  return pool;
}

/** Write `length` pool bytes starting at a random pool offset into `out` at `at`. */
function copyFromPool(rng: Rng, pool: Uint8Array, out: Bytes, at: number, length: number) {
  let written = 0;
  while (written < length) {
    const start = randInt(rng, 0, pool.length - 1);
    const n = Math.min(length - written, pool.length - start);
    out.set(pool.subarray(start, start + n), at + written);
    written += n;
  }
}

const DATA_PREFIX = encoder.encode("data: ");

/**
 * `events` events of exactly 1 MiB on the wire each, made of 1024 lines of exactly 1 KiB
 * (`data: ` + 1017 printable ASCII bytes + LF), each event closed by a blank line.
 */
export function bigStream(rng: Rng, events: number): { bytes: Bytes; expected: Expected } {
  const lineBytes = 1 * KiB;
  const linesPerEvent = 1024;
  const valueBytes = lineBytes - DATA_PREFIX.length - 1;
  const eventBytes = lineBytes * linesPerEvent + 1;
  const out = new Uint8Array(eventBytes * events);
  const pool = randomPool(rng, PRINTABLE, 256 * KiB);
  let at = 0;
  for (let e = 0; e < events; e++) {
    for (let l = 0; l < linesPerEvent; l++) {
      out.set(DATA_PREFIX, at);
      copyFromPool(rng, pool, out, at + DATA_PREFIX.length, valueBytes);
      at += lineBytes;
      out[at - 1] = 0x0a;
    }
    out[at++] = 0x0a;
  }
  const dataLength = events * (linesPerEvent * valueBytes + (linesPerEvent - 1));
  return { bytes: out, expected: { messages: events, dataLength } };
}

/** One event whose single data line carries `size` bytes of base64 text. */
export function hugeLineStream(rng: Rng, size: number): { bytes: Bytes; expected: Expected } {
  const out = new Uint8Array(DATA_PREFIX.length + size + 2);
  out.set(DATA_PREFIX, 0);
  copyFromPool(rng, randomPool(rng, BASE64, 1 * MiB), out, DATA_PREFIX.length, size);
  out[out.length - 2] = 0x0a;
  out[out.length - 1] = 0x0a;
  return { bytes: out, expected: { messages: 1, dataLength: size } };
}

// ---------------------------------------------------------------------------------------------
// mixed: every line ending, comments, ids, retry, event types, multi-line data, multi-byte text
// ---------------------------------------------------------------------------------------------

// biome-ignore format: a word list reads better packed
const WORDS = [
  "hello", "world", "stream", "event", "data", "naïve", "café", "façade", "Ünïcödé", "crème brûlée",
  "Ωμέγα", "αβγ", "Привет", "мир", "שלום", "مرحبا", "日本語", "中文字符", "한국어", "ไทย", "हिन्दी",
  "🎉", "🚀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇯🇵", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "€100", "±∞", "{\"k\":\"v\"}", "[1,2,3]",
  "a:b", ": colon", "tab\there", "x", "",
];
const TYPES = ["update", "delta", "ping", "message", "patch", "日本", "done"];

function randomText(rng: Rng, maxWords: number): string {
  const n = randInt(rng, 0, maxWords);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(rng, WORDS));
  return words.join(rng() < 0.8 ? " " : "");
}

/**
 * Random events exercising the whole line grammar. Line endings are drawn per line from LF, CRLF
 * and lone CR; the generator never puts an LF-terminated blank line right after a lone CR (that
 * would be read as one CRLF), so its own model of the events stays exact. The stream ends in LF.
 */
export function mixedStream(
  rng: Rng,
  events: number,
): {
  bytes: Bytes;
  expected: Expected;
  messages: ExpectedMessage[];
  retries: number[];
  comments: number;
  lineEndings: { lf: number; crlf: number; cr: number };
} {
  const parts: string[] = [];
  const messages: ExpectedMessage[] = [];
  const retries: number[] = [];
  const lineEndings = { lf: 0, crlf: 0, cr: 0 };
  let comments = 0;
  let previousEnding = "\n";
  let forceLf = false;

  const line = (text: string) => {
    let ending: string;
    const r = rng();
    if (forceLf) ending = "\n";
    else if (r < 0.4) ending = "\n";
    else if (r < 0.7) ending = "\r\n";
    else ending = "\r";
    if (text === "" && previousEnding === "\r" && ending === "\n") ending = "\r\n";
    if (ending === "\n") lineEndings.lf++;
    else if (ending === "\r\n") lineEndings.crlf++;
    else lineEndings.cr++;
    parts.push(text, ending);
    previousEnding = ending;
  };

  for (let e = 0; e < events; e++) {
    forceLf = e === events - 1;
    // Comments / keep-alives between events.
    while (rng() < 0.15) {
      const comment = pick(rng, ["", " keep-alive", "ping", " 💓", " ok: yes"]);
      line(`:${comment}`);
      comments++;
    }
    let type = "";
    const dataLines: string[] = [];
    const fieldCount = randInt(rng, 1, 7);
    for (let f = 0; f < fieldCount; f++) {
      const r = rng();
      if (r < 0.55) {
        const value = randomText(rng, 6);
        const form = rng();
        if (value === "" && form < 0.3) {
          line("data"); // no colon: the field name is the whole line, the value is empty
          dataLines.push("");
        } else if (form < 0.5 && !value.startsWith(" ")) {
          line(`data:${value}`); // no space (a leading space in the value would be eaten)
          dataLines.push(value);
        } else if (form < 0.55) {
          line(`data:  ${value}`); // only the first space goes
          dataLines.push(` ${value}`);
        } else {
          line(`data: ${value}`);
          dataLines.push(value);
        }
      } else if (r < 0.68) {
        type = pick(rng, TYPES);
        line(rng() < 0.5 ? `event: ${type}` : `event:${type}`);
      } else if (r < 0.72) {
        type = "";
        line("event:");
      } else if (r < 0.84) {
        line(rng() < 0.9 ? `id: ${randInt(rng, 0, 1_000_000)}` : "id:");
      } else if (r < 0.88) {
        const ms = randInt(rng, 0, 60_000);
        line(`retry: ${ms}`);
        retries.push(ms);
      } else if (r < 0.9) {
        line(pick(rng, ["retry: soon", "retry: 1.5", "retry:", "retry: -1"]));
      } else if (r < 0.95) {
        line(`:${randomText(rng, 3)}`);
        comments++;
      } else {
        line(pick(rng, ["foo: bar", "Data: not data", "ID: 7", "unknown", "dataa: x", "even: t"]));
      }
    }
    line("");
    if (dataLines.length > 0)
      messages.push({ type: type || "message", data: dataLines.join("\n") });
  }

  let dataLength = 0;
  for (const m of messages) dataLength += m.data.length;
  return {
    bytes: encoder.encode(parts.join("")),
    expected: { messages: messages.length, dataLength },
    messages,
    retries,
    comments,
    lineEndings,
  };
}

// ---------------------------------------------------------------------------------------------
// The workload list
// ---------------------------------------------------------------------------------------------

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(bytes < MiB ? 2 : 1)} MiB`;
}

export const LLM_EVENTS = 20_000;
// Fewer than llm: 1-7 B chunks mean ~250k feed() calls (and ~250k stream chunks) per run.
export const TINY_EVENTS = 5_000;
export const BIG_EVENTS = 16;
export const MIXED_EVENTS = 20_000;

export const WORKLOADS: readonly WorkloadSpec[] = [
  {
    name: "llm",
    stream: true,
    build() {
      const rng = mulberry32(0x5e5e_0001);
      const { bytes, expected } = llmStream(rng, LLM_EVENTS);
      const chunks = chunkRandom(bytes, rng, 512, 4096);
      return {
        name: "llm",
        description: `${LLM_EVENTS} chat.completion.chunk events (avg ${Math.round(bytes.length / LLM_EVENTS)} B), ${chunks.length} chunks of 512-4096 B, ${mib(bytes.length)}`,
        chunks,
        bytes: bytes.length,
        expected,
      };
    },
  },
  {
    name: "tiny",
    stream: true,
    build() {
      const rng = mulberry32(0x5e5e_0001);
      const { bytes, expected } = llmStream(rng, TINY_EVENTS);
      const chunks = chunkRandom(bytes, mulberry32(0x5e5e_0002), 1, 7);
      return {
        name: "tiny",
        description: `${TINY_EVENTS} chat.completion.chunk events, ${chunks.length} chunks of 1-7 B, ${mib(bytes.length)}`,
        chunks,
        bytes: bytes.length,
        expected,
      };
    },
  },
  {
    name: "big",
    stream: true,
    build() {
      const rng = mulberry32(0x5e5e_0003);
      const { bytes, expected } = bigStream(rng, BIG_EVENTS);
      const chunks = chunkFixed(bytes, 64 * KiB);
      return {
        name: "big",
        description: `${BIG_EVENTS} events of 1 MiB (1024 data lines of 1 KiB), ${chunks.length} chunks of 64 KiB, ${mib(bytes.length)}`,
        chunks,
        bytes: bytes.length,
        expected,
      };
    },
  },
  ...[4, 8, 16].map(
    (n): WorkloadSpec => ({
      name: `hugeline-${n}M`,
      stream: false,
      build() {
        const rng = mulberry32(0x5e5e_0004 + n);
        const { bytes, expected } = hugeLineStream(rng, n * MiB);
        const chunks = chunkFixed(bytes, 16 * KiB);
        return {
          name: `hugeline-${n}M`,
          description: `1 event, one data line of ${n} MiB, ${chunks.length} chunks of 16 KiB`,
          chunks,
          bytes: bytes.length,
          expected,
        };
      },
    }),
  ),
  {
    name: "mixed",
    stream: true,
    build() {
      const rng = mulberry32(0x5e5e_0005);
      const m = mixedStream(rng, MIXED_EVENTS);
      const chunks = chunkRandom(m.bytes, rng, 1, 512);
      const { splitChars, splitCrlf } = boundaryStats(chunks);
      return {
        name: "mixed",
        description: `${MIXED_EVENTS} events (${m.expected.messages} with data), ${chunks.length} chunks of 1-512 B, ${mib(m.bytes.length)}`,
        chunks,
        bytes: m.bytes.length,
        expected: m.expected,
        expectedMessages: m.messages,
        expectedRetries: m.retries,
        expectedComments: m.comments,
        notes: [
          `line endings: ${m.lineEndings.lf} LF, ${m.lineEndings.crlf} CRLF, ${m.lineEndings.cr} CR`,
          `chunk cuts inside a UTF-8 sequence: ${splitChars}; between CR and LF: ${splitCrlf}`,
        ],
      };
    },
  },
];
