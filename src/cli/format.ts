/**
 * How one event is printed on stdout, in each output format. Every format ends an event with a
 * newline, so a reader of lines (`jq`, `grep --line-buffered`, `while read`) sees it at once.
 *
 *   pretty  the type (and the event's id), then the data, JSON indented; a blank line after
 *   ndjson  {"type":"message","data":"…","lastEventId":"7","id":"7"}: one JSON object a line
 *   raw     the data as the server sent it (an event of several `data:` lines prints as those lines)
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
  const id = event.id === undefined ? "" : `  ${paint.dim(`id ${event.id}`)}`;
  return `${paint.bold(paint.cyan(event.type))}${id}\n${prettyData(event.data)}\n\n`;
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
