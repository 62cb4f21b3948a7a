/**
 * When to reconnect and how long to wait: exponential backoff with jitter, the server's `retry:`
 * field and `Retry-After`. Pure functions of their inputs (the random source is injectable), so
 * the schedule is tested exhaustively without a network.
 */
import { MAX_TIMER_DELAY } from "../engine/wait.js";

/** Reconnection settings of {@link SSEClientOptions.retry}. */
export interface RetryOptions {
  /**
   * The delay before the first reconnection, in ms. A `retry:` field from the server replaces it.
   * @defaultValue 1000
   */
  initialDelay?: number;
  /** The longest delay backoff grows to, in ms (`Retry-After` may ask for longer). @defaultValue 30_000 */
  maxDelay?: number;
  /** The growth of the delay from one attempt to the next. @defaultValue 2 */
  factor?: number;
  /**
   * The share of each delay that is random, from 0 (none) to 1: the delay is drawn uniformly from
   * `[delay × (1 − jitter), delay]`, so that many clients dropped at once spread their returns.
   * @defaultValue 0.5
   */
  jitter?: number;
  /**
   * How many reconnections in a row may fail before the client gives up with a
   * {@link RetriesExhaustedError}. The count starts again once a connection delivers an event.
   * @defaultValue Infinity
   */
  maxAttempts?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * The defaults, resolved once: every client without retry options shares them (96 B of heap per
 * client otherwise). Only `decide()` reads them; nothing writes them or hands them to user code.
 */
let defaults: ResolvedRetryOptions | undefined;

/** Fills in the defaults and rejects settings that cannot work, at construction time. */
export function resolveRetryOptions(options?: RetryOptions): ResolvedRetryOptions {
  if (!options) {
    defaults ??= resolveRetryOptions({});
    return defaults;
  }
  const resolved = {
    initialDelay: options.initialDelay ?? 1000,
    maxDelay: options.maxDelay ?? 30_000,
    factor: options.factor ?? 2,
    jitter: options.jitter ?? 0.5,
    maxAttempts: options.maxAttempts ?? Number.POSITIVE_INFINITY,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (typeof value !== "number") {
      throw new TypeError(`retry.${key} must be a number; got ${JSON.stringify(value)}`);
    }
  }
  const { initialDelay, maxDelay, factor, jitter, maxAttempts } = resolved;
  // `initialDelay` and `factor` must be finite: an infinite first delay never reconnects.
  if (
    !(initialDelay >= 0 && initialDelay < Infinity) ||
    !(maxDelay >= 0) ||
    !(factor >= 1 && factor < Infinity) ||
    !(jitter >= 0 && jitter <= 1)
  ) {
    throw new RangeError(
      "retry: initialDelay must be finite and >= 0, maxDelay >= 0, factor finite and >= 1, jitter within [0, 1]",
    );
  }
  if (!(maxAttempts >= 0)) throw new RangeError("retry.maxAttempts must be >= 0");
  return resolved;
}

/**
 * The delay before reconnection number `attempt` (1 for the first): `base × factor^(attempt−1)`
 * capped at `maxDelay`, then jittered downwards. `base` is the server's `retry:` value when it
 * sent one, else `initialDelay`.
 */
export function backoffDelay(
  attempt: number,
  base: number,
  options: ResolvedRetryOptions,
  random: () => number = Math.random,
): number {
  const exponential = base * options.factor ** (attempt - 1);
  const capped = Math.min(options.maxDelay, exponential);
  return Math.round(capped * (1 - options.jitter * random()));
}

/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = /^[a-z]{3}, \d{2} [a-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/i;
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC850_DATE = /^[a-z]{6,9}, \d{2}-[a-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/i;
/** `Sun Nov  6 08:49:37 1994` */
const ASCTIME_DATE = /^[a-z]{3} [a-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/i;

/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Returns the
 * delay in ms, or `undefined` when the header is missing or malformed. A date in the past is 0.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_TIMER_DELAY);
  // Only the three HTTP-date forms (§5.6.7): `Date.parse` alone takes "1.5" or "-1" for dates.
  let date: number;
  if (IMF_FIXDATE.test(trimmed) || RFC850_DATE.test(trimmed)) date = Date.parse(trimmed);
  // asctime has no zone; HTTP dates are always GMT.
  else if (ASCTIME_DATE.test(trimmed)) date = Date.parse(`${trimmed} GMT`);
  else return undefined;
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_TIMER_DELAY);
}
