/** The name of a shared stream: its lock and its channel. */
import type { ClientConnectionSettings } from "../client/client-connection.js";

/**
 * `ssekit:share:` and the key: the one given, or the URL (without credentials), the method, the
 * headers given as a value, and the `RequestInit` fields that are plain values (`credentials`,
 * `mode`, ...). Functions (a `headers` function, `auth`) cannot be compared and are left out.
 */
export function shareName(settings: ClientConnectionSettings, key: string | undefined): string {
  if (key !== undefined) return `ssekit:share:${key}`;
  const { url, method, headers, init } = settings;
  const plain = Object.entries(init)
    .filter(([, value]) => value === null || typeof value !== "object")
    .filter(([, value]) => typeof value !== "function")
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const given =
    headers === undefined || typeof headers === "function" ? [] : [...new Headers(headers)];
  return `ssekit:share:${JSON.stringify([url, method, given, plain])}`;
}
