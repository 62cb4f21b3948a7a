/**
 * Skip lists of the conformance suite (./suite/), by test id, each entry with its reason. A list
 * naming an id the suite does not have makes the suite fail, so an entry cannot outlive its test.
 *
 * Everything else an implementation fails stays a failing test.
 */

/**
 * Tests Chromium's own EventSource fails where the suite follows the specification (WHATWG HTML
 * §9.2) and web-platform-tests: native deviations, found by running the suite against
 * `globalThis.EventSource` (test/browser/event-source.browser.test.ts, Chromium 156).
 */
export const NATIVE_CHROMIUM_DEVIATIONS: Readonly<Record<string, string>> = {
  // Spec: "If the field value consists of only ASCII digits, then interpret the field value as an
  // integer in base ten, and set the event stream's reconnection time to that integer. Otherwise,
  // ignore the field." Chromium's EventSourceParser instead resets the reconnection time to its
  // 3 s default when the value is empty (`retry`, `retry:`), so the reconnection comes ~3 s later.
  "reconnect-retry-empty-value":
    "Chromium resets the reconnection time to its 3 s default on an empty retry value",
  // Spec: the stream is always decoded as UTF-8 and only the MIME type essence is checked
  // (WPT format-utf-8.any.js, "EventSource always UTF-8"). Chromium fails the connection when the
  // Content-Type has a charset parameter other than UTF-8 (console: "EventSource's response has a
  // charset ... that is not UTF-8. Aborting the connection.").
  "mime-charset-ignored": "Chromium fails the connection on a charset parameter other than utf-8",
};

/**
 * Tests that fail in Chromium for every implementation, because of the platform under both.
 */
export const CHROMIUM_PLATFORM_DEVIATIONS: Readonly<Record<string, string>> = {
  // WPT eventsource-constructor-url-bogus uses "http://this is invalid/", a URL parse failure per
  // the URL Standard (U+0020 is a forbidden host code point). Chromium's URL parser accepts it
  // (the host becomes "this%20is%20invalid"), so neither the native EventSource nor ssekit's, which
  // parses with the platform's URL, throws. Other unparsable URLs are tested in url-bogus.
  "url-bogus-space": "Chromium's URL parser accepts a space in the host",
};

/**
 * What ssekit's EventSource cannot do in Chromium, because it is built on script-level APIs
 * (fetch, events created by script) rather than on the browser's internal loader.
 */
export const SSEKIT_CHROMIUM_LIMITATIONS: Readonly<Record<string, string>> = {
  // DOM: events created by script have isTrusted false; only the user agent dispatches trusted
  // events.
  "onmessage-trusted": "events created by script are never trusted (isTrusted is false)",
  // Chromium exempts its own EventSource's Last-Event-ID header from CORS (WPT
  // eventsource-cross-origin-preflight: no preflight for a safe ID), but Last-Event-ID is not a
  // CORS-safelisted request header for fetch(): a cross-origin reconnection that sends it is
  // preceded by an OPTIONS preflight, which the server must allow.
  "request-no-preflight-last-event-id":
    "fetch() preflights a cross-origin request carrying Last-Event-ID (not CORS-safelisted)",
  // The spec allows both ("reestablish the connection, unless the user agent knows that to be
  // futile, in which case the user agent may fail the connection"); WPT and Chromium fail it.
  // fetch() rejects a CORS failure with the same TypeError as a network error, so ssekit cannot
  // tell that retrying is futile and reestablishes (error event while CONNECTING, then retries).
  "cors-failure-closed":
    "fetch() reports a CORS failure like any network error, so ssekit reconnects (allowed by the spec)",
  "credentials-wildcard-closed":
    "fetch() reports a CORS failure like any network error, so ssekit reconnects (allowed by the spec)",
};

/** What ssekit's EventSource cannot do in Node (see SSEKIT_CHROMIUM_LIMITATIONS). */
export const SSEKIT_NODE_LIMITATIONS: Readonly<Record<string, string>> = {
  "onmessage-trusted": "events created by script are never trusted (isTrusted is false)",
};
