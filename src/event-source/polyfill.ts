/**
 * `import "ssekit/polyfill"` installs ssekit's {@link EventSource} as `globalThis.EventSource` where
 * the platform has none (Node before 22, React Native, some workers). The one module of ssekit with
 * a side effect; it never replaces a native EventSource.
 * @module
 */
import { EventSource } from "./event-source.js";

const scope = globalThis as { EventSource?: unknown };
if (typeof scope.EventSource !== "function") {
  Object.defineProperty(globalThis, "EventSource", {
    value: EventSource,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
