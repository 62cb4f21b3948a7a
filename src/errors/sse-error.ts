/**
 * Base class of every error ssekit reports, so one `instanceof SSEError` tells ssekit's errors from
 * anything else (a bug in a listener, a `TypeError` from a custom `fetch`).
 */
export class SSEError extends Error {
  // Every class sets its name explicitly: a minifier renames classes, so `new.target.name` would
  // not survive a production build.
  override name = "SSEError";
}
