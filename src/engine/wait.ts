/**
 * The engine's one wait: for a reconnection delay, for the page to be visible, for the network
 * to come back. It owns its timer, its wake-up and its cancellation, and leaves nothing behind.
 */

/** The largest delay `setTimeout` honours; past it, timers fire at once (`retry: 3000000000`). */
export const MAX_TIMER_DELAY = 2_147_483_647;

/** At most one wait at a time, as the engine's loop has. */
export class Waiter {
  /** Ends the current wait; with `force`, whatever its `ready` says. */
  #end: ((force: boolean) => void) | undefined;

  /**
   * Waits until `ms` have passed (`Infinity`: no timer), or until {@link Waiter.wake} or what
   * `subscribe` listens to wakes it, or until {@link Waiter.cancel}. With `ready`, a wake-up ends
   * the wait only once `ready()` holds (and a wait whose `ready()` holds already ends at once).
   * The timer is capped at setTimeout's limit: the one place the cap is applied.
   */
  wait(
    ms: number,
    ready?: () => boolean,
    subscribe?: (wake: () => void) => () => void,
  ): Promise<void> {
    if (ready?.()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const end = (force: boolean) => {
        if (!force && ready && !ready()) return;
        clearTimeout(timer);
        unsubscribe?.();
        this.#end = undefined;
        resolve();
      };
      const timer =
        ms < Infinity ? setTimeout(() => end(true), Math.min(ms, MAX_TIMER_DELAY)) : undefined;
      const unsubscribe = subscribe?.(() => end(false));
      this.#end = end;
    });
  }

  /** Wakes the current wait, if any: it ends if it has no `ready`, or once `ready()` holds. */
  wake(): void {
    this.#end?.(false);
  }

  /** Ends the current wait, if any, at once. */
  cancel(): void {
    this.#end?.(true);
  }
}
