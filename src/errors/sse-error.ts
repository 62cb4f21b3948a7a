/**
 * Base class of every error ssekit reports, so one `instanceof SSEError` tells ssekit's errors from
 * anything else (a bug in a listener, a `TypeError` from a custom `fetch`).
 */
export class SSEError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
