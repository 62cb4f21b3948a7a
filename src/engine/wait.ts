/** The timer limit of the engine's one wait (the base engine's wait). */

/** The largest delay `setTimeout` honours; past it, timers fire at once (`retry: 3000000000`). */
export const MAX_TIMER_DELAY = 2_147_483_647;
