/**
 * The streams the client benchmark's server sends: the 100 B ASCII events it always sent, and the
 * LLM token streams of the parser workloads (bench/llm-stream.ts), ASCII or not. Each is built once
 * per event count, from a fixed seed.
 */
import { LANGUAGES, type LanguageName, llmText } from "./llm-stream.js";
import { mulberry32 } from "./random.js";

/** Bytes of one event of the `ascii` stream, line endings included. */
export const EVENT_SIZE = 100;

export interface StreamKind {
  name: string;
  description: string;
  /** The stream's text: `n` events. */
  text(n: number): string;
}

/** `data: {"seq":0000042,"text":"xx…"}\n\n`, exactly EVENT_SIZE bytes. */
function asciiText(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const head = `data: {"seq":${String(i).padStart(7, "0")},"text":"`;
    const tail = '"}\n\n';
    parts.push(head + "x".repeat(EVENT_SIZE - head.length - tail.length) + tail);
  }
  return parts.join("");
}

function llm(name: string, language: LanguageName, description: string, seed: number) {
  return {
    name,
    description,
    text: (n: number) => llmText(mulberry32(seed), n, LANGUAGES[language]).text,
  };
}

export const STREAM_KINDS: readonly StreamKind[] = [
  { name: "ascii", description: `events of ${EVENT_SIZE} B, ASCII JSON`, text: asciiText },
  llm("llm", "ascii", "chat.completion.chunk events, ASCII tokens", 0x5e5e_0201),
  llm("llm-3pct", "few", "chat.completion.chunk events, ~3 % non-ASCII tokens", 0x5e5e_0202),
  llm("llm-30pct", "many", "chat.completion.chunk events, ~30 % non-ASCII tokens", 0x5e5e_0203),
  llm("llm-zh", "chinese", "chat.completion.chunk events, a Chinese answer", 0x5e5e_0204),
  llm("llm-emoji", "emoji", "chat.completion.chunk events, emoji-heavy", 0x5e5e_0205),
];

export function streamKind(name: string): StreamKind {
  const kind = STREAM_KINDS.find((k) => k.name === name);
  if (kind === undefined) {
    throw new RangeError(
      `unknown stream "${name}"; streams: ${STREAM_KINDS.map((k) => k.name).join(", ")}`,
    );
  }
  return kind;
}

const payloads = new Map<string, Buffer>();

/** The stream's bytes for `n` events, built once. */
export function payload(name: string, n: number): Buffer {
  const key = `${name}:${n}`;
  let buffer = payloads.get(key);
  if (buffer === undefined) {
    buffer = Buffer.from(streamKind(name).text(n), "utf8");
    payloads.set(key, buffer);
  }
  return buffer;
}
