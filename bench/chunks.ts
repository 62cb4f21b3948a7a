/**
 * Chunking: a stream's bytes cut into the views a network body hands out. Every cut is either
 * fixed or drawn from a seeded PRNG, so every run sees the same chunk boundaries.
 */
import { type Rng, randInt } from "./random.js";

/** A chunk as the network hands it out: a view on a plain (not shared) ArrayBuffer. */
export type Bytes = Uint8Array<ArrayBuffer>;

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
export function boundaryStats(chunks: readonly Bytes[]): { splitChars: number; splitCrlf: number } {
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
