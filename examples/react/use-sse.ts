/**
 * `useSSE`: a React hook around ssekit's `SSEClient` (a recipe: copy this file into your app).
 *
 *   const { messages, error } = useSSE<{ tick: Tick }>("/api/ticks", { parse: "json" });
 *
 * It connects when the component mounts, keeps the last `keep` messages in state (typed by the
 * event map and `parse`, exactly as `SSEClient`'s), shows the error that closed the client, and
 * closes the connection when the component unmounts or `url` changes (then it starts over with an
 * empty list). The other options are read when a connection starts: an inline object does not
 * reconnect on every render. Browser only: effects do not run in server rendering.
 *
 * React StrictMode (development) mounts every component twice: effect, cleanup, effect, in one
 * go. The client is therefore made in the effect, never during render, and closed by the cleanup.
 * `SSEClient` sends its first request a microtask after it is made, and a `close()` before that
 * sends nothing, so the first client of a StrictMode mount closes without ever reaching the
 * network: the server sees exactly one connection. (ssekit's test/browser/recipes.browser.test.ts
 * counts them.) Needs React 19.2+ for `useEffectEvent`.
 */
import { useEffect, useEffectEvent, useState } from "react";
import {
  type DataMap,
  type EventMap,
  type MessageOf,
  type ParseOption,
  SSEClient,
  type SSEClientOptions,
  SSEError,
} from "ssekit";

/** What the hook returns. */
export interface SSEState<Message> {
  /** The last `keep` messages received since the connection started, oldest first. */
  messages: readonly Message[];
  /** The fatal error that closed the client (it does not reconnect after it), if any. */
  error: SSEError | undefined;
}

/** `SSEClient`'s options, plus how many messages to keep. */
export type UseSSEOptions<Parse extends ParseOption | undefined> = Omit<
  SSEClientOptions,
  "parse"
> & {
  parse?: Parse | ParseOption;
  /**
   * How many of the latest messages the state holds; older ones are dropped.
   * @defaultValue 100
   */
  keep?: number;
};

const EMPTY: SSEState<never> = { messages: [], error: undefined };

/**
 * Subscribes to the event stream at `url` while the component is mounted.
 *
 * @typeParam Events - event type → data type, as for `SSEClient` (with `parse`).
 * @typeParam Parse - the `parse` option, inferred (not meant to be written).
 * @throws RangeError when `keep` is not a positive integer; TypeError or RangeError from
 *   `SSEClient` for an option that cannot work.
 */
export function useSSE<
  Events extends EventMap = Record<string, string>,
  Parse extends ParseOption | undefined = ParseOption | undefined,
>(url: string, options: UseSSEOptions<Parse> = {}): SSEState<MessageOf<DataMap<Events, Parse>>> {
  type Message = MessageOf<DataMap<Events, Parse>>;
  const [state, setState] = useState<SSEState<Message>>(EMPTY);

  // Reads the options of the latest render without making them a reason to reconnect.
  const open = useEffectEvent((target: string) => {
    const { keep = 100, ...clientOptions } = options;
    if (!Number.isInteger(keep) || keep < 1) {
      throw new RangeError(`useSSE: keep must be a positive integer, not ${keep}`);
    }
    return { client: new SSEClient<Events, Parse>(target, clientOptions), keep };
  });

  useEffect(() => {
    const { client, keep } = open(url);
    setState(EMPTY);
    (async () => {
      try {
        for await (const message of client) {
          setState((current) => ({
            ...current,
            messages: [...current.messages, message].slice(-keep),
          }));
        }
      } catch (error) {
        // The loop throws the error that closed the client: always an SSEError.
        if (!(error instanceof SSEError)) throw error;
        setState((current) => ({ ...current, error }));
      }
    })();
    // Ends the loop above too: no state update after unmount.
    return () => client.close();
  }, [url]);

  return state;
}
