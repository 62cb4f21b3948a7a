/**
 * Deterministic, in-memory SSE workloads for the parser benchmark.
 *
 * Every workload is generated from a seeded PRNG (bench/random.ts), so two runs (and two
 * machines) feed the parsers byte-identical streams cut at identical chunk boundaries. Chunks are
 * `subarray` views of one backing buffer per workload, like the views a network stack hands out.
 * The generators: bench/llm-stream.ts (LLM token streams, ASCII or not), bench/bulk-stream.ts
 * (big, hugeline), bench/mixed-stream.ts (the whole line grammar).
 */
import { bigStream, hugeLineStream } from "./bulk-stream.js";
import { type Bytes, boundaryStats, chunkFixed, chunkRandom } from "./chunks.js";
import { LANGUAGES, type LanguageName, llmText } from "./llm-stream.js";
import { mixedStream } from "./mixed-stream.js";
import { mulberry32 } from "./random.js";

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
  /** Only `data: ` lines and blank lines, LF endings: the least parser (bench/least-parser.ts) runs. */
  plain: boolean;
  build(): Workload;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const encoder = new TextEncoder();

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(bytes < MiB ? 2 : 1)} MiB`;
}

function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)} %`;
}

export const LLM_EVENTS = 20_000;
// Fewer than llm: 1-7 B chunks mean ~250k feed() calls (and ~250k stream chunks) per run.
export const TINY_EVENTS = 5_000;
export const BIG_EVENTS = 16;
export const MIXED_EVENTS = 20_000;

/** The LLM workloads: the same chat.completion.chunk stream with each token mix. */
const LLM_MIXES: readonly { name: string; language: LanguageName; what: string }[] = [
  { name: "llm", language: "ascii", what: "ASCII tokens" },
  { name: "llm-3pct", language: "few", what: "~3 % non-ASCII tokens (accents, emoji, CJK)" },
  { name: "llm-30pct", language: "many", what: "~30 % non-ASCII tokens (accents, emoji, CJK)" },
  { name: "llm-zh", language: "chinese", what: "a Chinese answer (raw UTF-8 in the JSON)" },
  { name: "llm-emoji", language: "emoji", what: "an emoji-heavy answer (~50 % emoji tokens)" },
];

const llmWorkloads = LLM_MIXES.map(
  ({ name, language, what }, index): WorkloadSpec => ({
    name,
    // The stream variants: the ASCII llm, and the Chinese answer (mostly multi-byte).
    stream: name === "llm" || name === "llm-zh",
    plain: true,
    build() {
      // llm keeps its seed of old; each other mix has its own.
      const rng = mulberry32(index === 0 ? 0x5e5e_0001 : 0x5e5e_0100 + index);
      const llm = llmText(rng, LLM_EVENTS, LANGUAGES[language]);
      const bytes = encoder.encode(llm.text);
      const chunks = chunkRandom(bytes, rng, 512, 4096);
      const { splitChars } = boundaryStats(chunks);
      return {
        name,
        description: `${LLM_EVENTS} chat.completion.chunk events, ${what}, avg ${Math.round(bytes.length / LLM_EVENTS)} B, ${chunks.length} chunks of 512-4096 B, ${mib(bytes.length)}`,
        chunks,
        bytes: bytes.length,
        expected: { messages: llm.events, dataLength: llm.dataLength },
        notes: [
          `non-ASCII tokens: ${llm.nonAsciiTokens} (${percent(llm.nonAsciiTokens, LLM_EVENTS)}); chunk cuts inside a UTF-8 sequence: ${splitChars}`,
        ],
      };
    },
  }),
);

export const WORKLOADS: readonly WorkloadSpec[] = [
  ...llmWorkloads,
  {
    name: "tiny",
    stream: true,
    plain: true,
    build() {
      const llm = llmText(mulberry32(0x5e5e_0001), TINY_EVENTS);
      const bytes = encoder.encode(llm.text);
      const chunks = chunkRandom(bytes, mulberry32(0x5e5e_0002), 1, 7);
      return {
        name: "tiny",
        description: `${TINY_EVENTS} chat.completion.chunk events, ${chunks.length} chunks of 1-7 B, ${mib(bytes.length)}`,
        chunks,
        bytes: bytes.length,
        expected: { messages: llm.events, dataLength: llm.dataLength },
      };
    },
  },
  {
    name: "big",
    stream: true,
    plain: true,
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
      plain: true,
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
    plain: false,
    build() {
      const rng = mulberry32(0x5e5e_0005);
      const m = mixedStream(rng, MIXED_EVENTS);
      const chunks = chunkRandom(m.bytes, rng, 1, 97);
      const { splitChars, splitCrlf } = boundaryStats(chunks);
      return {
        name: "mixed",
        description: `${MIXED_EVENTS} events (${m.expected.messages} with data), ${chunks.length} chunks of 1-97 B, ${mib(m.bytes.length)}`,
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
