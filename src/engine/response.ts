/** What the engine does with a response: check its content type, drop its body. */

/**
 * Whether a `Content-Type` header is an event stream: its essence (type/subtype, before any
 * parameter, case-insensitive) is `text/event-stream`, as the spec's check requires.
 */
export function isEventStream(contentType: string | null): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "text/event-stream";
}

/** Drops a response body we will not read, so its connection is freed. */
export async function cancel(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The body is unwanted; failing to cancel it changes nothing for the caller.
  }
}
