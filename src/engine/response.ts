/** What the engine asks of a response: whether its content type is an event stream. */

/**
 * Whether a `Content-Type` header is an event stream: its essence (type/subtype, before any
 * parameter, case-insensitive) is `text/event-stream`, as the spec's check requires.
 */
export function isEventStream(contentType: string | null): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "text/event-stream";
}
