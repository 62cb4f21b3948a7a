/** URLs as both clients take them: resolved against the page, credentials taken out. */
import { encodeHeaderValue } from "./request.js";

/** The URL relative URLs resolve against: the document's base URL, a worker's, or none (Node). */
export function baseURL(): string | undefined {
  const scope = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  return scope.document?.baseURI ?? scope.location?.href;
}

/** An absolute URL with credentials (`http://user:pass@host/`). */
const WITH_CREDENTIALS = /^\w[\w+.-]*:\/\/[^/?#]*@/;

/**
 * Takes the credentials out of a URL: `fetch` refuses a URL with credentials (a TypeError, which
 * would be a network error retried forever), while a browser loading it sends them as
 * `Authorization: Basic`. Returns the URL to fetch and that header's value (`user:password` as the
 * URL has them, percent-decoded, sent as UTF-8; an empty pair, `http://:@host/`, is none, as in a
 * browser). Done once, when a client or an EventSource is made.
 */
export function splitCredentials(url: string): { url: string; basic: string | undefined } {
  if (!WITH_CREDENTIALS.test(url)) return { url, basic: undefined };
  const parsed = new URL(url);
  let pair = `${parsed.username}:${parsed.password}`;
  try {
    pair = decodeURIComponent(pair);
  } catch {
    // A malformed escape (`%zz`) is sent as it stands rather than refused.
  }
  parsed.username = parsed.password = "";
  return {
    url: parsed.href,
    basic: pair === ":" ? undefined : `Basic ${btoa(encodeHeaderValue(pair))}`,
  };
}
