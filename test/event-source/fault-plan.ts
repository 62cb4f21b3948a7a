/**
 * The fault test's stream, shared by the fixture server (which sends it) and the suite (which
 * checks what arrived): pure functions of the query parameters, no Node or DOM APIs, so the browser
 * can import it too.
 */

import { prng } from "../fixtures/prng.js";

export { prng };

/**
 * The data of event `i` (1-based): its number, then text of varying length with 2-, 3- and 4-byte
 * UTF-8 characters, so that drops fall inside lines and inside characters.
 */
export function faultEventData(i: number): string {
  const filler = "é✓𝄞x".repeat(i % 7);
  return `${i} ${filler}${"-".repeat((i * 13) % 31)}`;
}

/** One event of the stream: `id: i` and one `data:` line. */
export function faultEvent(i: number): string {
  return `id: ${i}\ndata: ${faultEventData(i)}\n\n`;
}

/** What the server does at a drop: end the response cleanly, or destroy the socket. */
export type DropKind = "end" | "destroy";

export interface FaultPlan {
  /** The whole stream of events 1..n, UTF-8. */
  bytes: Uint8Array;
  /** `starts[i]` is the byte offset where event `i + 1` starts; `starts[n]` is the end. */
  starts: number[];
  /** Byte offsets at which a connection is dropped, ascending, strictly inside the stream. */
  drops: { offset: number; kind: DropKind }[];
}

/** The stream of `n` events and `drops` drop points at random byte offsets, from `seed`. */
export function faultPlan(seed: number, n: number, drops: number): FaultPlan {
  const encoder = new TextEncoder();
  const parts = Array.from({ length: n }, (_, i) => encoder.encode(faultEvent(i + 1)));
  const starts: number[] = [];
  let length = 0;
  for (const part of parts) {
    starts.push(length);
    length += part.length;
  }
  starts.push(length);
  const bytes = new Uint8Array(length);
  parts.forEach((part, i) => {
    bytes.set(part, starts[i] as number);
  });
  const random = prng(seed);
  const offsets = new Set<number>();
  while (offsets.size < Math.min(drops, length - 1)) {
    offsets.add(1 + Math.floor(random() * (length - 1)));
  }
  return {
    bytes,
    starts,
    drops: [...offsets]
      .sort((a, b) => a - b)
      .map((offset) => ({ offset, kind: random() < 0.5 ? "end" : "destroy" })),
  };
}
