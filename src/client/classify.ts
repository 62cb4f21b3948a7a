/**
 * What a response status means for an SSE subscription: the table every failure goes through.
 * Kept as data so the policy reads as a table and the tests walk it row by row.
 */

/** What the client does about a response status that is not a usable event stream. */
export type StatusDecision = "retry" | "fatal" | "close";

/** Statuses that are retried: the server or a proxy is overloaded, restarting or too slow. */
const RETRY_STATUSES = new Set([
  408, // Request Timeout: the server gave up waiting for us; a new request is welcome.
  429, // Too Many Requests: retried after Retry-After.
]);

/**
 * Decides about a response that is not `2xx` (other than 204), or is 204.
 *
 * | status | decision |
 * |---|---|
 * | 204 No Content | `close`: the server says there is nothing (more) to stream |
 * | 408, 429 | `retry` |
 * | 5xx but 501 | `retry`: a server error is usually passing (503 honours Retry-After) |
 * | 501 Not Implemented | `fatal`: retrying cannot help |
 * | any other (1xx, 3xx left by fetch, 4xx) | `fatal`: the request itself is wrong |
 *
 * 401 is fatal here; the client retries it once itself after `auth.refresh()`.
 */
export function classifyStatus(status: number): StatusDecision {
  if (status === 204) return "close";
  if (RETRY_STATUSES.has(status)) return "retry";
  if (status >= 500 && status <= 599 && status !== 501) return "retry";
  return "fatal";
}

/** Statuses whose `Retry-After` header sets the reconnection delay. */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);
