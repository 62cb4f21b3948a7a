/** The cap the engine's one wait (`_wait` in engine/connection.ts) applies to its timer. */

/** The largest delay `setTimeout` honours; past it, timers fire at once (`retry: 3000000000`). */
export const MAX_TIMER_DELAY = 2_147_483_647;
