import { SSEError } from "./sse-error.js";

/** The response is not an event stream: its `Content-Type` is not `text/event-stream`. */
export class ContentTypeError extends SSEError {
  /** Set explicitly: a minifier renames classes, and `name` must survive it. */
  override name = "ContentTypeError";

  /** The `Content-Type` the server sent, or `null` when it sent none. */
  readonly contentType: string | null;
  /** The HTTP status code of the response. */
  readonly status: number;

  constructor(response: Response) {
    const contentType = response.headers.get("content-type");
    super(
      `Expected Content-Type text/event-stream, got ${contentType === null ? "none" : JSON.stringify(contentType)}`,
    );
    this.contentType = contentType;
    this.status = response.status;
  }
}
