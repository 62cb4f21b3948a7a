/**
 * `useSSE`: a Vue composable around ssekit's `SSEClient` (a recipe: copy this file into your app).
 *
 *   const { messages, error } = useSSE<{ tick: Tick }>(() => props.url, { parse: "json" });
 *
 * Call it in a component's `setup` (or `<script setup>`). It connects when the component is
 * mounted, keeps the last `keep` messages in a ref (typed by the event map and `parse`, exactly as
 * `SSEClient`'s), shows the error that closed the client, and closes the connection when the
 * component unmounts or the URL (a string, ref or getter) changes; then it starts over with an
 * empty list. The options are read once, when `useSSE` is called. Connecting on mount, not in
 * `setup`, keeps server rendering (Nuxt, Vite SSR) from opening connections that nothing would
 * ever close: `onMounted` never runs there.
 *
 * Messages are kept in a `shallowRef`: each update replaces the array, and the messages' data is
 * not made deeply reactive.
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
import {
  type MaybeRefOrGetter,
  onBeforeUnmount,
  onMounted,
  type ShallowRef,
  shallowRef,
  toValue,
  type WatchHandle,
  watch,
} from "vue";

/** `SSEClient`'s options, plus how many messages to keep. */
export type UseSSEOptions<Parse extends ParseOption | undefined> = Omit<
  SSEClientOptions,
  "parse"
> & {
  parse?: Parse | ParseOption;
  /**
   * How many of the latest messages `messages` holds; older ones are dropped.
   * @defaultValue 100
   */
  keep?: number;
};

/** What the composable returns. */
export interface SSERefs<Message> {
  /** The last `keep` messages received since the connection started, oldest first. */
  messages: Readonly<ShallowRef<readonly Message[]>>;
  /** The fatal error that closed the client (it does not reconnect after it), if any. */
  error: Readonly<ShallowRef<SSEError | undefined>>;
}

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
>(
  url: MaybeRefOrGetter<string>,
  options: UseSSEOptions<Parse> = {},
): SSERefs<MessageOf<DataMap<Events, Parse>>> {
  const { keep = 100, ...clientOptions } = options;
  if (!Number.isInteger(keep) || keep < 1) {
    throw new RangeError(`useSSE: keep must be a positive integer, not ${keep}`);
  }
  const messages = shallowRef<readonly MessageOf<DataMap<Events, Parse>>[]>([]);
  const error = shallowRef<SSEError | undefined>();
  let stop: WatchHandle | undefined;

  onMounted(() => {
    stop = watch(
      () => toValue(url),
      (current, _previous, onCleanup) => {
        messages.value = [];
        error.value = undefined;
        const client = new SSEClient<Events, Parse>(current, clientOptions);
        // Runs before the next URL's connection, and when the watcher stops: closes this one
        // and ends the loop below.
        onCleanup(() => client.close());
        (async () => {
          try {
            for await (const message of client) {
              messages.value = [...messages.value, message].slice(-keep);
            }
          } catch (thrown) {
            // The loop throws the error that closed the client: always an SSEError.
            if (!(thrown instanceof SSEError)) throw thrown;
            error.value = thrown;
          }
        })();
      },
      { immediate: true },
    );
  });
  onBeforeUnmount(() => stop?.());

  return { messages, error };
}
