/**
 * `import "ssekit/share"` lets the `share` option of `SSEClient` share one connection among the
 * clients of a stream in a browser: across tabs, windows and in one page (docs/sharing.md). Its
 * one effect is to register the sharing module, which the client then finds when a client is made
 * with `share` (src/client/share-hook.ts says why it is a registration). Apps that do not import
 * it do not bundle it.
 * @module
 */
import { SHARING, type Sharing } from "../client/share-hook.js";
import { shareName } from "./key.js";
import { sharingPlatform } from "./platform.js";
import { SharedConnection } from "./shared-connection.js";

/**
 * Checks the `share` option, then makes each client's engine: a share of the stream, or, without
 * Web Locks or BroadcastChannel, a connection of its own.
 */
const share: Sharing = (options, settings, connect, SSEError) => {
  const { share: given } = options;
  const fail = (why: string) => new TypeError(`SSEClient: options.share ${why}`);
  if (given !== true && (typeof given !== "object" || given === null)) {
    throw fail("must be true, false or { key }");
  }
  const key = given === true ? undefined : given.key;
  if (key !== undefined && (typeof key !== "string" || key === "")) {
    throw fail("key must be a non-empty string");
  }
  if (settings.response) {
    throw fail(
      "is for GET subscriptions: a response stream (another method, or reconnectOnEnd: false) is never shared",
    );
  }
  if (options.pauseWhenHidden) throw fail("and pauseWhenHidden cannot be combined");
  const platform = sharingPlatform();
  const name = shareName(settings, key);
  return (events) =>
    platform
      ? new SharedConnection({ settings, events, connect, SSEError }, platform, name)
      : connect(settings, events);
};

const registry = globalThis as Record<symbol, unknown>;
registry[Symbol.for(SHARING)] ??= share;
