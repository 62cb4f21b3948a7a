/**
 * The seam between {@link SSEClient} and the sharing module (`src/share/`, the `ssekit/share`
 * entry). The sharing module is the layer above the client, so the client never imports it: an
 * app that does not share pays only for this file. `import "ssekit/share"` registers it under a
 * global symbol, which this file looks up when a client is made with `share`.
 *
 * Why a registration, and why a global symbol: a static import would put the sharing code in every
 * bundle with SSEClient; a dynamic `import()` would make the first connection wait for a chunk (and
 * bundlers without code splitting inline it anyway). A module variable would do in ESM, but the
 * CJS build of `ssekit/share` is a bundle of its own: a symbol in the global registry is the one
 * place both builds (and two copies of ssekit in one app) see. What the sharing code needs of the
 * client (its connection, `SSEError`) it is handed here, so it never bundles a second copy.
 */
import type { ReadyState } from "../engine/types.js";
import { SSEError } from "../errors/sse-error.js";
import {
  ClientConnection,
  type ClientConnectionSettings,
  type ClientEvents,
} from "./client-connection.js";
import type { SSEClientOptions } from "./types.js";

/** What {@link SSEClient} drives: a connection of its own, or a share of one. */
export interface ClientEngine {
  readonly _state: ReadyState;
  readonly lastEventId: string;
  start(): void;
  close(): void;
}

/** What a client hands the sharing module. */
export interface ShareRequest {
  settings: ClientConnectionSettings;
  /** The client's sink: its delivery. */
  events: ClientEvents;
  /** The `share` option's key, or undefined for the default. */
  key: string | undefined;
  /** A connection of the client's own: the leader's, or each client's where sharing cannot work. */
  connect(settings: ClientConnectionSettings, events: ClientEvents): ClientEngine;
  /** The class relayed errors are made of: the one the app imports. */
  SSEError: typeof SSEError;
}

/** The sharing module, as registered by `ssekit/share`. */
export type Sharing = (request: ShareRequest) => ClientEngine;

/** The global registry's name of the sharing module. */
export const SHARING_KEY = "ssekit.share";

/**
 * Checks the `share` option: undefined when the client does not share, else the registered
 * sharing module. Throws a TypeError for a `share` that cannot work, before anything is made.
 */
export function sharingFor(
  options: SSEClientOptions,
  settings: ClientConnectionSettings,
): Sharing | undefined {
  const { share } = options;
  if (share === undefined || share === false) return undefined;
  const fail = (why: string) => new TypeError(`SSEClient: options.share ${why}`);
  if (share !== true && (typeof share !== "object" || share === null)) {
    throw fail("must be true, false or { key }");
  }
  if (share !== true && share.key !== undefined && (typeof share.key !== "string" || !share.key)) {
    throw fail("key must be a non-empty string");
  }
  if (settings.response) {
    throw fail(
      "is for GET subscriptions: a response stream (another method, or reconnectOnEnd: false) is never shared",
    );
  }
  if (options.pauseWhenHidden) throw fail("and pauseWhenHidden cannot be combined");
  const sharing = (globalThis as Record<symbol, unknown>)[Symbol.for(SHARING_KEY)];
  if (typeof sharing !== "function") {
    throw fail('needs the sharing module: import "ssekit/share" once in the app');
  }
  return sharing as Sharing;
}

/** The engine of a client: its own connection, or the sharing module's. */
export function clientEngine(
  settings: ClientConnectionSettings,
  events: ClientEvents,
  share: SSEClientOptions["share"],
  sharing: Sharing | undefined,
): ClientEngine {
  const connect = (own: ClientConnectionSettings, sink: ClientEvents) =>
    new ClientConnection(own, sink);
  if (!sharing) return connect(settings, events);
  const key = typeof share === "object" ? share.key : undefined;
  return sharing({ settings, events, key, connect, SSEError });
}
