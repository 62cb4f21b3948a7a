/**
 * The browser signals the client uses when they exist: connectivity (`online`) and page
 * visibility. Every lookup is guarded, so in Node, Deno, Bun and workers these are no-ops.
 */

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

const scope = globalThis as unknown as Partial<EventTargetLike> & {
  navigator?: { onLine?: boolean };
  document?: Partial<EventTargetLike> & { hidden?: boolean };
};

function listen(target: Partial<EventTargetLike> | undefined, type: string, listener: () => void) {
  if (!target || typeof target.addEventListener !== "function") return () => {};
  target.addEventListener(type, listener);
  return () => target.removeEventListener?.(type, listener);
}

/** Whether the platform says there is no network (`navigator.onLine === false`). */
export function isOffline(): boolean {
  return scope.navigator?.onLine === false;
}

/** Calls `listener` when the network comes back; returns the unsubscribe function. */
export function onOnline(listener: () => void): () => void {
  return listen(scope, "online", listener);
}

/** Whether the page is hidden (a background tab); `false` where there is no document. */
export function isHidden(): boolean {
  return scope.document?.hidden === true;
}

/** Calls `listener` when the page's visibility changes; returns the unsubscribe function. */
export function onVisibilityChange(listener: () => void): () => void {
  return listen(scope.document, "visibilitychange", listener);
}
