/**
 * Seeded randomness for the benchmark workloads: the PRNG of the fault tests (mulberry32), so two
 * runs, and two machines, generate byte-identical streams cut at identical chunk boundaries.
 */
import { prng } from "../test/fixtures/prng.js";

/** mulberry32: floats in [0, 1). */
export const mulberry32 = prng;

export type Rng = () => number;

/** Integer in [min, max], both inclusive. */
export function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomId(rng: Rng, length: number): string {
  let id = "";
  for (let i = 0; i < length; i++) id += ALNUM[Math.floor(rng() * ALNUM.length)];
  return id;
}
