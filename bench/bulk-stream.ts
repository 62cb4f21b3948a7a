/**
 * Bulk streams: `big` (1 MiB events of 1 KiB lines) and `hugeline` (one event, one line of
 * megabytes), ASCII bytes copied from a seeded random pool.
 */
import type { Bytes } from "./chunks.js";
import { type Rng, randInt } from "./random.js";
import type { Expected } from "./workloads.js";

const KiB = 1024;
const MiB = 1024 * KiB;
const encoder = new TextEncoder();

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
