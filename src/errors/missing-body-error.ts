import { SSEError } from "./sse-error.js";

/**
 * The response has no readable body. Either the request was a `HEAD`, or the platform cannot
 * stream response bodies (older React Native `fetch`): pass a streaming `fetch` in the options.
 */
export class MissingBodyError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "MissingBodyError";

  /** The HTTP status code of the response. */
  readonly status: number;

  constructor(response: Response) {
    super("The response has no body to read the event stream from");
    this.status = response.status;
  }
}
