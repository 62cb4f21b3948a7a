/**
 * The benchmark's own correctness: every contender must report what the generator put in (the
 * timed runs' tallies), and every parser's full message list must agree (an untimed pass).
 */
import {
  BASELINE_ID,
  type Contender,
  ssekit,
  streamFloor,
  type Tally,
  transcripts,
} from "./contenders.js";
import type { Workload } from "./workloads.js";

export class SanityError extends Error {}

/** Parsers must report exactly what the generator put in; baseline-like tallies must agree. */
export function checkTally(w: Workload, c: Contender, tally: Tally, decodeTally: Tally): void {
  if (c.id === BASELINE_ID || c.id === streamFloor.id) {
    if (decodeTally.messages !== tally.messages || decodeTally.dataLength !== tally.dataLength) {
      throw new SanityError(
        `${w.name}: ${c.label} counted ${tally.messages} LFs / ${tally.dataLength} chars, BASELINE ${decodeTally.messages} / ${decodeTally.dataLength}`,
      );
    }
    return;
  }
  if (tally.messages !== w.expected.messages || tally.dataLength !== w.expected.dataLength) {
    throw new SanityError(
      `${w.name}: ${c.label} reported ${tally.messages} messages / ${tally.dataLength} data chars, expected ${w.expected.messages} / ${w.expected.dataLength}`,
    );
  }
}

/** Untimed: every parser's full message list (type, data), comments and retries must agree. */
export function deepCheck(w: Workload): void {
  const all = transcripts(w.chunks);
  const reference = all[ssekit.id];
  if (reference === undefined) throw new Error("no ssekit transcript");
  const expectedMessages = w.expectedMessages ?? reference.messages;
  for (const [id, t] of Object.entries(all)) {
    const where = `${w.name} (deep check, ${id})`;
    if (t.messages.length !== w.expected.messages) {
      throw new SanityError(
        `${where}: ${t.messages.length} messages, expected ${w.expected.messages}`,
      );
    }
    for (let i = 0; i < expectedMessages.length; i++) {
      const got = t.messages[i];
      const want = expectedMessages[i];
      if (
        got === undefined ||
        want === undefined ||
        got.type !== want.type ||
        got.data !== want.data
      ) {
        const show = (m: { type: string; data: string } | undefined) =>
          m === undefined ? "(none)" : JSON.stringify({ type: m.type, data: m.data.slice(0, 200) });
        throw new SanityError(`${where}: message #${i} is ${show(got)}, expected ${show(want)}`);
      }
    }
    if (w.expectedComments !== undefined && t.comments !== w.expectedComments) {
      throw new SanityError(`${where}: ${t.comments} comments, expected ${w.expectedComments}`);
    }
    if (w.expectedRetries !== undefined && t.retries.join() !== w.expectedRetries.join()) {
      throw new SanityError(
        `${where}: ${t.retries.length} retry values, expected ${w.expectedRetries.length} (or different values)`,
      );
    }
  }
}
