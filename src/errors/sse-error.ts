/**
 * Base class of every error ssekit reports, so one `instanceof SSEError` tells ssekit's errors from
 * anything else (a bug in a listener, a `TypeError` from a custom `fetch`).
 *
 * Errors of your own (thrown from a `headers` or `auth.token` callback, say) may extend it; they
 * are reported as they are. Give such a class its `name` as ssekit's classes do
 * (`override name = "AuthExpiredError"`): taking it from the class would not survive a minifier,
 * which renames classes.
 */
export class SSEError extends Error {
  override name = "SSEError";
}
