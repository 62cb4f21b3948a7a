/**
 * Bearer-token auth with one shared, single-flight refresh per `auth` object: when ten clients
 * that share it hit 401 together, `refresh()` runs once and all ten reconnect with the new token.
 */

/** The `auth` option of {@link SSEClientOptions}. */
export interface AuthOptions {
  /**
   * Returns the current token, called before every connection (so a refreshed token is always
   * used). `undefined` or `null` sends no `Authorization` header.
   */
  token: () => string | undefined | null | Promise<string | undefined | null>;
  /**
   * Called on a 401 to get a new token; the client then reconnects at once, without spending a
   * retry attempt. A second 401 in a row ends the client with the {@link HttpError}. Clients
   * sharing one `auth` object share one in-flight refresh.
   */
  refresh?: () => Promise<unknown>;
}

interface RefreshState {
  /** How many refreshes have completed; a 401 to a request sent before the last one is stale. */
  epoch: number;
  inFlight: Promise<unknown> | undefined;
}

const states = new WeakMap<AuthOptions, RefreshState>();

function stateOf(auth: AuthOptions): RefreshState {
  let state = states.get(auth);
  if (!state) {
    state = { epoch: 0, inFlight: undefined };
    states.set(auth, state);
  }
  return state;
}

/** The refresh epoch now: recorded when a request is sent, compared when its 401 comes back. */
export function authEpoch(auth: AuthOptions): number {
  return stateOf(auth).epoch;
}

/**
 * Refreshes the token unless a refresh completed since the failed request was sent (`epoch`), in
 * which case the new token is already there. Joins a refresh that is in flight.
 */
export function refreshToken(auth: AuthOptions, epoch: number): Promise<unknown> {
  const state = stateOf(auth);
  if (state.epoch > epoch) return Promise.resolve();
  if (!state.inFlight) {
    const refresh = auth.refresh as () => Promise<unknown>;
    state.inFlight = new Promise((resolve) => resolve(refresh())).finally(() => {
      state.inFlight = undefined;
    });
    state.inFlight.then(
      () => state.epoch++,
      () => {},
    );
  }
  return state.inFlight;
}
