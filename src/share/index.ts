/**
 * `import "ssekit/share"` lets {@link SSEClient}'s `share` option share one connection among the
 * clients of a stream in a browser: across tabs, windows and in one page (docs/sharing.md). Its
 * one effect is to register the sharing module, which the client then finds when a client is made
 * with `share` (src/client/share-hook.ts says why it is a registration). Apps that do not import
 * it do not bundle it.
 * @module
 */
import type { ClientEngine, ShareRequest } from "../client/share-hook.js";
import { shareName } from "./key.js";
import { sharingPlatform } from "./platform.js";
import { SharedConnection } from "./shared-connection.js";

/** A client's engine: a share of the stream, or, without Web Locks or BroadcastChannel, its own. */
function share(request: ShareRequest): ClientEngine {
  const platform = sharingPlatform();
  if (!platform) return request.connect(request.settings, request.events);
  return new SharedConnection(request, platform, shareName(request.settings, request.key));
}

// The name `SHARING_KEY` in src/client/share-hook.ts: the client looks the module up there.
const registry = globalThis as Record<symbol, unknown>;
registry[Symbol.for("ssekit.share")] ??= share;
