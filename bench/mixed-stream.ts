/**
 * The `mixed` stream: every line ending, comments, ids, retry, event types, multi-line data and
 * multi-byte text, generated with a model of every event it holds (for the deep check).
 */

import type { Bytes } from "./chunks.js";
import { pick, type Rng, randInt } from "./random.js";
import type { Expected, ExpectedMessage } from "./workloads.js";

const encoder = new TextEncoder();

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
