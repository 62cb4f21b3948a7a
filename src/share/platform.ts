/**
 * What sharing needs of the platform: Web Locks (`navigator.locks`) to elect one leader per key,
 * and `BroadcastChannel` to relay its stream. Browsers have both (same origin and storage
 * partition); Node before 24, old browsers and some workers lack one, and there each client
 * connects on its own. Looked up when a client is made, never at module level.
 */

/** The part of a `LockManager` sharing uses. */
export interface Locks {
  request(
    name: string,
    options: { signal: AbortSignal },
    callback: () => Promise<void> | undefined,
  ): Promise<unknown>;
}

/** The part of a `BroadcastChannel` sharing uses. */
export interface Channel {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

export interface Platform {
  locks: Locks;
  Channel: new (name: string) => Channel;
}

/** Web Locks and `BroadcastChannel`, or undefined where one is missing. */
export function sharingPlatform(): Platform | undefined {
  const scope = globalThis as {
    navigator?: { locks?: Partial<Locks> };
    BroadcastChannel?: Platform["Channel"];
  };
  const locks = scope.navigator?.locks;
  const Channel = scope.BroadcastChannel;
  if (typeof locks?.request !== "function" || typeof Channel !== "function") return undefined;
  return { locks: locks as Locks, Channel };
}

/**
 * Calls `freeze` when the page is frozen (the Page Lifecycle API: a background tab the browser
 * suspends) and `resume` when it runs again; returns the unsubscribe function. A no-op without
 * a document.
 */
export function onLifecycle(freeze: () => void, resume: () => void): () => void {
  const document = (globalThis as { document?: EventTarget }).document;
  if (typeof document?.addEventListener !== "function") return () => {};
  document.addEventListener("freeze", freeze);
  document.addEventListener("resume", resume);
  return () => {
    document.removeEventListener("freeze", freeze);
    document.removeEventListener("resume", resume);
  };
}
