/** How the client hands errors to the platform when no callback of the user's can take them. */

/**
 * Reports an error the way the platform reports an unhandled one, without stopping anything: to
 * `reportError` where there is one (browsers, Deno, workers), else thrown from a microtask, as
 * `EventTarget` does with a listener's exception (in Node: an uncaught exception). Never swallowed.
 */
export function reportError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === "function") report(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}

/** Calls a user callback; what it throws is reported and never stops the stream. */
export function invoke<T>(callback: ((arg: T) => void) | undefined, arg: T): void {
  if (!callback) return;
  try {
    callback(arg);
  } catch (error) {
    reportError(error);
  }
}
