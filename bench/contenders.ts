/**
 * The parsers under test, each wrapped as "consume this array of chunks, count what you got".
 *
 * Every contender has its own copy of the feed loop on purpose: a shared helper would see several
 * parser shapes and become polymorphic in V8, taxing whoever runs second.
 */
import { createParser as createParser3 } from "eventsource-parser";
import { createParser as createParser4 } from "eventsource-parser-4";
import { EventSourceParserStream } from "eventsource-parser-4/stream";
import { createParser, SSEParserStream } from "../src/index.js";
import type { Bytes } from "./chunks.js";
import { leastParser } from "./least-parser.js";

/** What a contender reports: message count and summed `data.length` (UTF-16 code units). */
export interface Tally {
  messages: number;
  dataLength: number;
}

export interface SyncContender {
  kind: "sync";
  id: string;
  label: string;
  run(chunks: readonly Bytes[]): Tally;
}

export interface StreamContender {
  kind: "stream";
  id: string;
  label: string;
  run(chunks: readonly Bytes[]): Promise<Tally>;
}

export type Contender = SyncContender | StreamContender;

export const BASELINE_ID = "baseline";

/**
 * BASELINE: decoding alone, the floor of any parser that decodes with a streaming TextDecoder (ssekit
 * goes below it on ASCII): a streaming TextDecoder plus an `indexOf("\n")` scan; its tally counts
 * LFs, not messages, so it is left out of the agreement check.
 */
export const baseline: SyncContender = {
  kind: "sync",
  id: BASELINE_ID,
  label: "BASELINE (TextDecoder + indexOf LF)",
  run(chunks) {
    const decoder = new TextDecoder();
    let lines = 0;
    let chars = 0;
    for (let i = 0; i < chunks.length; i++) {
      const text = decoder.decode(chunks[i], { stream: true });
      chars += text.length;
      let lf = text.indexOf("\n");
      while (lf !== -1) {
        lines++;
        lf = text.indexOf("\n", lf + 1);
      }
    }
    chars += decoder.decode().length;
    return { messages: lines, dataLength: chars };
  },
};

export const ssekit: SyncContender = {
  kind: "sync",
  id: "ssekit",
  label: "ssekit createParser",
  run(chunks) {
    let messages = 0;
    let dataLength = 0;
    const parser = createParser({
      onMessage(message) {
        messages++;
        dataLength += message.data.length;
      },
    });
    for (let i = 0; i < chunks.length; i++) parser.feed(chunks[i] as Uint8Array);
    parser.end();
    return { messages, dataLength };
  },
};

export const esp3: SyncContender = {
  kind: "sync",
  id: "esp3",
  label: "eventsource-parser 3.1.1 (+ TextDecoder)",
  run(chunks) {
    let messages = 0;
    let dataLength = 0;
    const decoder = new TextDecoder();
    const parser = createParser3({
      onEvent(event) {
        messages++;
        dataLength += event.data.length;
      },
    });
    for (let i = 0; i < chunks.length; i++) {
      parser.feed(decoder.decode(chunks[i], { stream: true }));
    }
    const rest = decoder.decode();
    if (rest !== "") parser.feed(rest);
    return { messages, dataLength };
  },
};

/** eventsource-parser 4.1.3 behind a TextDecoder; made twice, for the A/A control. */
function esp4Contender(id: string, label: string): SyncContender {
  return {
    kind: "sync",
    id,
    label,
    run(chunks) {
      let messages = 0;
      let dataLength = 0;
      const decoder = new TextDecoder();
      const parser = createParser4({
        onEvent(event) {
          messages++;
          dataLength += event.data.length;
        },
      });
      for (let i = 0; i < chunks.length; i++) {
        parser.feed(decoder.decode(chunks[i], { stream: true }));
      }
      const rest = decoder.decode();
      if (rest !== "") parser.feed(rest);
      return { messages, dataLength };
    },
  };
}

export const esp4 = esp4Contender("esp4", "eventsource-parser 4.1.3 (+ TextDecoder)");

/**
 * The A/A control: eventsource-parser 4.1.3 again, as a contender of its own. Its ratio to
 * `esp4` would be 1.00x on a quiet machine; how far it strays is the noise of the run.
 */
export const esp4Again = esp4Contender("esp4-aa", "eventsource-parser 4.1.3 again (A/A control)");

/** A pull source handing out one chunk per pull, like a network body. */
function source<T>(chunks: readonly T[]): ReadableStream<T> {
  let i = 0;
  return new ReadableStream<T>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++] as T);
      else controller.close();
    },
  });
}

/** Informational: the cost of the ReadableStream plumbing itself plus decoding (no parser). */
export const streamFloor: StreamContender = {
  kind: "stream",
  id: "stream-floor",
  label: "stream floor (ReadableStream read + TextDecoder)",
  async run(chunks) {
    const reader = source(chunks).getReader();
    const decoder = new TextDecoder();
    let lines = 0;
    let chars = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      chars += text.length;
      let lf = text.indexOf("\n");
      while (lf !== -1) {
        lines++;
        lf = text.indexOf("\n", lf + 1);
      }
    }
    chars += decoder.decode().length;
    return { messages: lines, dataLength: chars };
  },
};

export const ssekitStream: StreamContender = {
  kind: "stream",
  id: "ssekit-stream",
  label: "ssekit SSEParserStream",
  async run(chunks) {
    const reader = source<Uint8Array>(chunks).pipeThrough(new SSEParserStream()).getReader();
    let messages = 0;
    let dataLength = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      messages++;
      dataLength += value.data.length;
    }
    return { messages, dataLength };
  },
};

export const esp4Stream: StreamContender = {
  kind: "stream",
  id: "esp4-stream",
  label: "TextDecoderStream + EventSourceParserStream 4.1.3",
  async run(chunks) {
    const reader = source<BufferSource>(chunks)
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream())
      .getReader();
    let messages = 0;
    let dataLength = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      messages++;
      dataLength += value.data.length;
    }
    return { messages, dataLength };
  },
};

export const SYNC_CONTENDERS: readonly SyncContender[] = [baseline, ssekit, esp3, esp4, esp4Again];

/** A workload's sync contenders: the least parser too where it can parse (`plain` workloads). */
export const syncContenders = (plain: boolean): readonly SyncContender[] =>
  plain ? [...SYNC_CONTENDERS, leastParser] : SYNC_CONTENDERS;
export const STREAM_CONTENDERS: readonly Contender[] = [
  baseline,
  streamFloor,
  ssekitStream,
  esp4Stream,
];

// ---------------------------------------------------------------------------------------------
// Untimed deep check: full message lists, comments and retry values, per parser
// ---------------------------------------------------------------------------------------------

export interface Transcript {
  messages: { type: string; data: string }[];
  comments: number;
  retries: number[];
}

export function transcripts(chunks: readonly Bytes[]): Record<string, Transcript> {
  const out: Record<string, Transcript> = {};

  {
    const t: Transcript = { messages: [], comments: 0, retries: [] };
    const parser = createParser({
      onMessage: (m) => t.messages.push({ type: m.type, data: m.data }),
      onComment: () => t.comments++,
      onRetry: (ms) => t.retries.push(ms),
    });
    for (const chunk of chunks) parser.feed(chunk);
    parser.end();
    out[ssekit.id] = t;
  }

  const peers = [
    [esp3.id, createParser3],
    [esp4.id, createParser4],
  ] as const;
  for (const [id, create] of peers) {
    const t: Transcript = { messages: [], comments: 0, retries: [] };
    const decoder = new TextDecoder();
    const parser = create({
      onEvent: (e) => t.messages.push({ type: e.event ?? "message", data: e.data }),
      onComment: () => t.comments++,
      onRetry: (ms) => t.retries.push(ms),
    });
    for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
    const rest = decoder.decode();
    if (rest !== "") parser.feed(rest);
    out[id] = t;
  }
  return out;
}
