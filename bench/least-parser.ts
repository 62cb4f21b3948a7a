/**
 * The least parser: a lower bound for any parser on streams made only of `data: ` lines and blank
 * lines with LF endings (`plain` in bench/workloads.ts: every workload but mixed). It decodes with
 * ssekit's own decoder (the fastest way to text this benchmark knows: `TextDecoder` without
 * `stream` on ASCII, with it on mostly non-ASCII text, where Node 20's decoder without it is
 * slower), finds each LF, slices each value and hands one message object per event to a callback:
 * what any parser must do on these streams, and nothing else (no other field, comment, line
 * ending, BOM or size limit). Where its ratio is above a target, meeting that target in that run
 * would take a faster way from bytes to text than ssekit's.
 */
import { Utf8Decoder } from "../src/parser/decode.js";
import type { SyncContender } from "./contenders.js";

/** What the least parser hands out per event: the shape of ssekit's and eventsource-parser's. */
interface Message {
  type: string;
  data: string;
  lastEventId: string;
  id: string | undefined;
}

/** The `data: ` prefix of every line that is not blank. */
const PREFIX = 6;

export const leastParser: SyncContender = {
  kind: "sync",
  id: "least",
  label: "least parser (ssekit's decoder; data: lines, LF only)",
  run(chunks) {
    let messages = 0;
    let dataLength = 0;
    const onMessage = (message: Message) => {
      messages++;
      dataLength += message.data.length;
    };
    const decoder = new Utf8Decoder();
    // The start of a line that began in an earlier chunk (a rope: a megabyte line stays linear).
    let head = "";
    let data: string | undefined;
    const parse = (text: string) => {
      let pos = 0;
      let lf = text.indexOf("\n");
      while (lf !== -1) {
        const line = head === "" ? text.slice(pos, lf) : head + text.slice(pos, lf);
        head = "";
        if (line === "") {
          if (data !== undefined)
            onMessage({ type: "message", data, lastEventId: "", id: undefined });
          data = undefined;
        } else {
          const value = line.slice(PREFIX);
          data = data === undefined ? value : `${data}\n${value}`;
        }
        pos = lf + 1;
        lf = text.indexOf("\n", pos);
      }
      if (pos < text.length) head += pos === 0 ? text : text.slice(pos);
    };
    for (let i = 0; i < chunks.length; i++) {
      const text = decoder.push(chunks[i] as Uint8Array);
      if (text !== undefined) parse(text);
    }
    parse(decoder.end());
    return { messages, dataLength };
  },
};
