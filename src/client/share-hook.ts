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
 * client (its connection, `SSEError`) it is handed here, so it never bundles a second copy. It
 * checks the `share` option itself, so that the checks' messages weigh only on apps that share.
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

/** A connection of the client's own: the leader's, or each client's where sharing cannot work. */
export type Connect = (settings: ClientConnectionSettings, events: ClientEvents) => ClientEngine;

/**
 * The sharing module, as registered by `ssekit/share`: checks the options (a TypeError for a
 * `share` that cannot work) and returns what makes the client's engine once its sink exists.
 */
export type Sharing = (
  options: SSEClientOptions,
  settings: ClientConnectionSettings,
  connect: Connect,
  error: typeof SSEError,
) => (events: ClientEvents) => ClientEngine;

/** Where `ssekit/share` registers itself: `Symbol.for(SHARING)`. */
export const SHARING = "ssekit.share";

/** For a client made with `share`, what makes its engine; throws a TypeError if it cannot be. */
export function sharing(
  options: SSEClientOptions,
  settings: ClientConnectionSettings,
): ((events: ClientEvents) => ClientEngine) | undefined {
  if (!options.share) return undefined;
  const share = (globalThis as Record<symbol, Sharing | undefined>)[Symbol.for(SHARING)];
  if (!share) throw new TypeError('SSEClient: options.share needs import "ssekit/share"');
  return share(options, settings, (own, events) => new ClientConnection(own, events), SSEError);
}
