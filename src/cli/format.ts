/**
 * How one event is printed on stdout, in each output format. Every format ends an event with a
 * newline, so a reader of lines (`jq`, `grep --line-buffered`, `while read`) sees it at once.
 *
 *   pretty  the type (and the event's id), then the data, JSON indented; a blank line after
 *   ndjson  {"type":"message","data":"…","lastEventId":"7","id":"7"}: one JSON object a line
 *   raw     the data as the server sent it (an event of several `data:` lines prints as those lines)
 *
 * Pretty output is for a terminal, so what the server sent is shown with its control characters
 * escaped ({@link visible}): a stream cannot move the cursor, recolour or retitle the terminal.
 * NDJSON escapes them as JSON does; raw output is the data exactly.
 */
import type { ClientMessage } from "../index.js";
import type { OutputFormat } from "./args.js";
import type { Paint } from "./paint.js";

/** A message as the CLI gets it: the data is the raw string. */
export type Event = ClientMessage<string>;

/** The text printed for `event`, newline included. */
export function formatEvent(format: OutputFormat, event: Event, paint: Paint): string {
  if (format === "raw") return `${event.data}\n`;
  if (format === "ndjson") {
    const { type, data, lastEventId, id } = event;
    // `id` is left out (undefined) when the event had no `id:` field of its own.
    return `${JSON.stringify({ type, data, lastEventId, id })}\n`;
  }
  const id = event.id === undefined ? "" : `  ${paint.dim(`id ${visible(event.id)}`)}`;
  const type = paint.bold(paint.cyan(visible(event.type)));
  return `${type}${id}\n${visible(prettyData(event.data))}\n\n`;
}

/** C0 and C1 control characters and DEL, but tab and newline. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** `text` with its control characters but tab and newline written as `\xNN` escapes. */
export function visible(text: string): string {
  return text.replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** JSON objects and arrays indented by two spaces; any other data as it is. */
function prettyData(data: string): string {
  if (!/^\s*[[{]/.test(data)) return data;
  try {
    return JSON.stringify(JSON.parse(data), null, 2);
  } catch {
    // Looked like JSON but is not: shown as it came.
    return data;
  }
}
