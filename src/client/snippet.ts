/**
 * The start of an error response's body, for {@link HttpError.body}: servers explain a 4xx or 5xx
 * there. Read for a second at most, and at most {@link HttpError.MAX_BODY} bytes.
 */
import { HttpError } from "../errors/http-error.js";

/** Reads the start of an error response's body for {@link HttpError.body}, within a second. */
export async function readSnippet(response: Response, signal: AbortSignal): Promise<string> {
  const body = response.body;
  if (!body) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
    // Also on the abort: a `fetch` may ignore it and leave the read pending, past `close()`.
    signal.addEventListener("abort", () => resolve());
  });
  try {
    while (size < HttpError.MAX_BODY && !signal.aborted) {
      const result = await Promise.race([reader.read(), timeout]);
      if (!result || result.done) break;
      const chunk = result.value.subarray(0, HttpError.MAX_BODY - size);
      size += chunk.length;
      text += decoder.decode(chunk, { stream: true });
    }
  } catch {
    // A body that breaks off still leaves the status to report; keep what was read.
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
  return text + decoder.decode();
}
