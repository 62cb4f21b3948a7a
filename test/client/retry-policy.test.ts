/**
 * Unit tests of the reconnection policy (src/client/retry-policy.ts): the backoff schedule with its cap
 * and jitter, option validation, and `Retry-After` parsing per RFC 9110 §10.2.3 (delay-seconds or
 * an HTTP-date, §5.6.7: IMF-fixdate, and the obsolete rfc850-date and asctime-date forms).
 */
import { afterEach, describe, expect, it } from "vitest";
import { resolveOptions } from "../../src/client/options.js";
import {
  backoffDelay,
  parseRetryAfter,
  type ResolvedRetryOptions,
  resolveRetryOptions,
} from "../../src/client/retry-policy.js";
import { MAX_TIMER_DELAY } from "../../src/engine/wait.js";

/** Options with jitter off unless given, so delays are exact. */
function opts(over: Partial<ResolvedRetryOptions> = {}): ResolvedRetryOptions {
  return resolveRetryOptions({
    initialDelay: 1000,
    maxDelay: 30_000,
    factor: 2,
    jitter: 0,
    ...over,
  });
}

const ZERO = () => 0;
/** The largest value `Math.random()` can return. */
const ALMOST_ONE = () => 1 - Number.EPSILON;

describe("resolveRetryOptions", () => {
  it("fills in the documented defaults", () => {
    expect(resolveRetryOptions()).toEqual({
      initialDelay: 1000,
      maxDelay: 30_000,
      factor: 2,
      jitter: 0.5,
      maxAttempts: Number.POSITIVE_INFINITY,
    });
    expect(resolveRetryOptions({})).toEqual(resolveRetryOptions());
  });

  it("gives every client without retry options one shared object (heap per client), others their own", () => {
    expect(resolveRetryOptions()).toBe(resolveRetryOptions());
    expect(resolveOptions("http://x/", {}).retry).toBe(resolveOptions("http://y/", {}).retry);
    expect(resolveOptions("http://x/", { retry: false }).retry).toBe(resolveRetryOptions());
    const own = resolveOptions("http://x/", { retry: { maxAttempts: 3 } }).retry;
    expect(own).not.toBe(resolveRetryOptions());
    expect(own.maxAttempts).toBe(3);
    expect(resolveRetryOptions().maxAttempts).toBe(Number.POSITIVE_INFINITY);
  });

  it("keeps given values and defaults only the missing ones", () => {
    expect(resolveRetryOptions({ initialDelay: 250, maxAttempts: 3 })).toEqual({
      initialDelay: 250,
      maxDelay: 30_000,
      factor: 2,
      jitter: 0.5,
      maxAttempts: 3,
    });
  });

  it("accepts the edges of every range", () => {
    expect(() =>
      resolveRetryOptions({ initialDelay: 0, maxDelay: 0, factor: 1, jitter: 0, maxAttempts: 0 }),
    ).not.toThrow();
    expect(() => resolveRetryOptions({ jitter: 1 })).not.toThrow();
    expect(() =>
      resolveRetryOptions({
        maxDelay: Number.POSITIVE_INFINITY,
        maxAttempts: Number.POSITIVE_INFINITY,
      }),
    ).not.toThrow();
  });

  it.each([
    ["initialDelay", -1],
    ["initialDelay", Number.NaN],
    ["initialDelay", Number.POSITIVE_INFINITY],
    ["factor", Number.POSITIVE_INFINITY],
    ["maxDelay", -1],
    ["maxDelay", Number.NaN],
    ["factor", 0.5],
    ["factor", 0],
    ["factor", Number.NaN],
    ["jitter", -0.1],
    ["jitter", 1.1],
    ["jitter", Number.NaN],
    ["maxAttempts", -1],
    ["maxAttempts", Number.NaN],
  ] as const)("throws a RangeError for %s = %s", (key, value) => {
    expect(() => resolveRetryOptions({ [key]: value })).toThrow(RangeError);
  });

  it.each(["initialDelay", "maxDelay", "factor", "jitter", "maxAttempts"] as const)(
    "throws a TypeError naming %s when it is not a number",
    (key) => {
      expect(() => resolveRetryOptions({ [key]: "500" as unknown as number })).toThrow(
        new TypeError(`retry.${key} must be a number; got "500"`),
      );
    },
  );
});

describe("backoffDelay", () => {
  it("starts at the base and grows by the factor", () => {
    const o = opts();
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 1000, o, ZERO))).toEqual([
      1000, 2000, 4000, 8000, 16_000,
    ]);
    const o3 = opts({ factor: 3 });
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 100, o3, ZERO))).toEqual([100, 300, 900, 2700]);
  });

  it("factor 1 keeps the delay constant", () => {
    const o = opts({ factor: 1 });
    expect([1, 2, 10, 100].map((n) => backoffDelay(n, 700, o, ZERO))).toEqual([700, 700, 700, 700]);
  });

  it("is capped at maxDelay, also for huge attempt numbers", () => {
    const o = opts({ maxDelay: 5000 });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 1000, o, ZERO))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
    // factor^(n-1) overflows to Infinity: still the cap, never Infinity or NaN.
    expect(backoffDelay(5000, 1000, o, ZERO)).toBe(5000);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, 1000, o, ZERO)).toBe(5000);
  });

  it("a base above maxDelay is capped too", () => {
    expect(backoffDelay(1, 60_000, opts({ maxDelay: 30_000 }), ZERO)).toBe(30_000);
  });

  it("uses the base it is given (the server's retry: value) instead of initialDelay", () => {
    const o = opts({ initialDelay: 1000 });
    expect(backoffDelay(1, 5000, o, ZERO)).toBe(5000);
    expect(backoffDelay(2, 5000, o, ZERO)).toBe(10_000);
    expect(backoffDelay(3, 250, o, ZERO)).toBe(1000);
    expect(backoffDelay(1, 0, o, ZERO)).toBe(0);
  });

  it("random() = 0 gives the full delay, random() -> 1 gives delay × (1 − jitter)", () => {
    const o = opts({ jitter: 0.5 });
    expect(backoffDelay(1, 1000, o, ZERO)).toBe(1000);
    expect(backoffDelay(1, 1000, o, ALMOST_ONE)).toBe(500);
    expect(backoffDelay(3, 1000, o, ALMOST_ONE)).toBe(2000);
    expect(backoffDelay(1, 1000, opts({ jitter: 0.25 }), ALMOST_ONE)).toBe(750);
    expect(backoffDelay(1, 1000, opts({ jitter: 1 }), ALMOST_ONE)).toBe(0);
    // The middle of the range is the middle of the interval.
    expect(backoffDelay(1, 1000, o, () => 0.5)).toBe(750);
  });

  it("jitter applies after the cap: the capped delay is the top of the range", () => {
    const o = opts({ jitter: 0.5, maxDelay: 3000 });
    expect(backoffDelay(10, 1000, o, ZERO)).toBe(3000);
    expect(backoffDelay(10, 1000, o, ALMOST_ONE)).toBe(1500);
  });

  it("jitter 0 is exact whatever random() says, and random is not needed", () => {
    const o = opts({ jitter: 0 });
    for (const r of [0, 0.3, 0.999]) expect(backoffDelay(2, 1000, o, () => r)).toBe(2000);
  });

  it("stays within [d × (1 − jitter), d] for any random() in [0, 1)", () => {
    for (const jitter of [0, 0.1, 0.5, 0.9, 1]) {
      const o = opts({ jitter, maxDelay: 20_000 });
      for (let attempt = 1; attempt <= 8; attempt++) {
        const d = Math.min(20_000, 1000 * 2 ** (attempt - 1));
        for (let i = 0; i < 50; i++) {
          const r = i / 50;
          const delay = backoffDelay(attempt, 1000, o, () => r);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(d * (1 - jitter)));
          expect(delay).toBeLessThanOrEqual(d);
        }
      }
    }
  });

  it("uses Math.random by default and stays within the bounds", () => {
    const o = opts({ jitter: 0.5 });
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(2, 1000, o);
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });
});

describe("parseRetryAfter", () => {
  const NOW = Date.UTC(1994, 10, 6, 8, 49, 0); // Sun, 06 Nov 1994 08:49:00 GMT

  it("null (no header) is undefined", () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });

  it("delay-seconds become milliseconds", () => {
    expect(parseRetryAfter("0", NOW)).toBe(0);
    expect(parseRetryAfter("1", NOW)).toBe(1000);
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter("007", NOW)).toBe(7000);
  });

  it("surrounding whitespace is ignored", () => {
    expect(parseRetryAfter("  30 ", NOW)).toBe(30_000);
    expect(parseRetryAfter("\t5", NOW)).toBe(5000);
  });

  it("huge values are capped at the largest timer delay (2^31 − 1 ms)", () => {
    expect(MAX_TIMER_DELAY).toBe(2 ** 31 - 1);
    expect(parseRetryAfter("2147484", NOW)).toBe(MAX_TIMER_DELAY); // 2_147_484_000 ms
    expect(parseRetryAfter("2147483", NOW)).toBe(2_147_483_000); // just below: kept
    expect(parseRetryAfter("99999999999999999999999", NOW)).toBe(MAX_TIMER_DELAY);
    expect(parseRetryAfter("9".repeat(400), NOW)).toBe(MAX_TIMER_DELAY); // Infinity seconds
  });

  it("an IMF-fixdate in the future is the time until then", () => {
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).toBe(37_000);
    expect(parseRetryAfter("Mon, 07 Nov 1994 08:49:00 GMT", NOW)).toBe(86_400_000);
  });

  it("the obsolete rfc850-date form is accepted", () => {
    expect(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).toBe(37_000);
  });

  describe("the obsolete asctime-date form (always GMT, RFC 9110 §5.6.7)", () => {
    const savedTz = process.env.TZ;
    afterEach(() => {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    });

    it("is accepted in a UTC process", () => {
      process.env.TZ = "UTC";
      expect(parseRetryAfter("Sun Nov  6 08:49:37 1994", NOW)).toBe(37_000);
    });

    it("is read as GMT whatever the local time zone", () => {
      // asctime-date carries no zone; HTTP dates are GMT by definition. Reading it as local time
      // would make the delay off by the zone offset (here 5 hours).
      process.env.TZ = "America/New_York";
      expect(parseRetryAfter("Sun Nov  6 08:49:37 1994", NOW)).toBe(37_000);
    });
  });

  it("a date in the past is 0", () => {
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:48:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", NOW)).toBe(0);
  });

  it("a date far in the future is capped at the largest timer delay", () => {
    expect(parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", NOW)).toBe(MAX_TIMER_DELAY);
  });

  it("uses Date.now() when no time is given", () => {
    const future = new Date(Date.now() + 3_600_000).toUTCString();
    const delay = parseRetryAfter(future);
    expect(delay).toBeGreaterThan(3_590_000);
    expect(delay).toBeLessThanOrEqual(3_600_000);
  });

  it.each(["", "   ", "soon", "tomorrow", "5 seconds", "120s", "1e3", "0x10", "Infinity", "NaN"])(
    "garbage %j is undefined",
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );

  // Neither delay-seconds (1*DIGIT) nor an HTTP-date: must be ignored (undefined, so that the
  // backoff applies), not read as a date in the past (0 = reconnect at once). V8's Date.parse
  // reads all of these as dates in 2001.
  it.each(["1.5", "-1", "+5", "-30", "abc 1"])(
    "malformed %j that Date.parse happens to accept is undefined, not 0",
    (value) => {
      // With today's clock V8's 2001 date is in the past (0: reconnect at once); with NOW in
      // 1994 it is 7 years ahead (capped to ~24.8 days). Both must be "no usable header".
      expect(parseRetryAfter(value)).toBeUndefined();
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );
});
