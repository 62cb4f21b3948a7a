/**
 * The least parser: a reference for the least a parser can cost on streams made only of `data: `
 * lines and blank lines with LF endings (`plain` in bench/workloads.ts: every workload but mixed).
 * It decodes with ssekit's own decoder (the fastest way to text this benchmark knows: `TextDecoder`
 * without `stream` on ASCII, with it on mostly non-ASCII text, where Node 20's decoder without it
 * is slower), then finds each LF, slices each value once and hands one message object per event
 * to a callback. It does less than a correct parser must: it looks for no CR, checks no field name
 * and strips no BOM. Where its ratio is above a target, meeting the target in that run would take
 * faster decoding than ssekit's or line handling leaner than this loop.
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
        // The value of a data line, sliced once; `undefined` for a blank line (found by index).
        let value: string | undefined;
        if (head === "") value = lf === pos ? undefined : text.slice(pos + PREFIX, lf);
        else {
          value = (head + text.slice(pos, lf)).slice(PREFIX);
          head = "";
        }
        if (value === undefined) {
          if (data !== undefined)
            onMessage({ type: "message", data, lastEventId: "", id: undefined });
          data = undefined;
        } else {
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
