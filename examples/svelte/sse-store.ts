/**
 * `sseStore`: a Svelte store around ssekit's `SSEClient` (a recipe: copy this file into your app).
 *
 *   export const ticks = sseStore<{ tick: Tick }>("/api/ticks", { parse: "json" });
 *   // in a component: {#each $ticks.messages as tick} ... {/each}
 *
 * A readable store, so it is lazy and shared: the first subscriber (a component using `$ticks`)
 * connects, later ones share that connection, and when the last one unsubscribes (its component
 * is destroyed) the connection closes. A subscriber after that connects again, starting with an
 * empty list. The value holds the last `keep` messages (typed by the event map and `parse`,
 * exactly as `SSEClient`'s) and the error that closed the client. Subscribe in the browser, not
 * during server rendering.
 */
import {
  type DataMap,
  type EventMap,
  type MessageOf,
  type ParseOption,
  SSEClient,
  type SSEClientOptions,
  SSEError,
} from "ssekit";
import { type Readable, readable } from "svelte/store";

/** The store's value. */
export interface SSEState<Message> {
  /** The last `keep` messages received since the connection started, oldest first. */
  messages: readonly Message[];
  /** The fatal error that closed the client (it does not reconnect after it), if any. */
  error: SSEError | undefined;
}

/** `SSEClient`'s options, plus how many messages to keep. */
export type SSEStoreOptions<Parse extends ParseOption | undefined> = Omit<
  SSEClientOptions,
  "parse"
> & {
  parse?: Parse | ParseOption;
  /**
   * How many of the latest messages the value holds; older ones are dropped.
   * @defaultValue 100
   */
  keep?: number;
};

const EMPTY: SSEState<never> = { messages: [], error: undefined };

/**
 * A store of the event stream at `url`, connected while it has subscribers.
 *
 * @typeParam Events - event type → data type, as for `SSEClient` (with `parse`).
 * @typeParam Parse - the `parse` option, inferred (not meant to be written).
 * @throws RangeError when `keep` is not a positive integer; TypeError or RangeError from
 *   `SSEClient` for an option that cannot work.
 */
export function sseStore<
  Events extends EventMap = Record<string, string>,
  Parse extends ParseOption | undefined = ParseOption | undefined,
>(
  url: string,
  options: SSEStoreOptions<Parse> = {},
): Readable<SSEState<MessageOf<DataMap<Events, Parse>>>> {
  const { keep = 100, ...clientOptions } = options;
  if (!Number.isInteger(keep) || keep < 1) {
    throw new RangeError(`sseStore: keep must be a positive integer, not ${keep}`);
  }
  return readable<SSEState<MessageOf<DataMap<Events, Parse>>>>(EMPTY, (set, update) => {
    set(EMPTY);
    const client = new SSEClient<Events, Parse>(url, clientOptions);
    (async () => {
      try {
        for await (const message of client) {
          update((current) => ({
            ...current,
            messages: [...current.messages, message].slice(-keep),
          }));
        }
      } catch (error) {
        // The loop throws the error that closed the client: always an SSEError.
        if (!(error instanceof SSEError)) throw error;
        update((current) => ({ ...current, error }));
      }
    })();
    // Called when the last subscriber leaves: closes the connection and ends the loop above.
    return () => client.close();
  });
}
