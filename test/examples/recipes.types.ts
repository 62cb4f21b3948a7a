/**
 * The framework recipes' types, as an app sees them: messages typed by the event map, by `parse`
 * (`"json"` or a function) or plain strings, exactly as `SSEClient`'s own. This file is checked by
 * `tsc --noEmit` (npm run typecheck) and never run: the hooks need a component around them, which
 * test/browser/recipes.browser.test.ts provides. The `declare const`s have the recipes' own types.
 */
import type { ClientMessage, SSEError } from "ssekit";
import type { Readable } from "svelte/store";
import { expectTypeOf } from "vitest";
import type { ShallowRef } from "vue";
import type { useSSE as useReactSSE } from "../../examples/react/use-sse.js";
import type { SSEState, sseStore as svelteStore } from "../../examples/svelte/sse-store.js";
import type { useSSE as useVueSSE } from "../../examples/vue/use-sse.js";

declare const useSSE: typeof useReactSSE;
declare const useVue: typeof useVueSSE;
declare const sseStore: typeof svelteStore;

interface Tick {
  n: number;
}
type Ticks = { tick: Tick; reset: null };

// React: strings by default, the event map with parse, a parse function's result.
expectTypeOf(useSSE("/feed").messages).toEqualTypeOf<readonly ClientMessage<string, string>[]>();
expectTypeOf(useSSE<Ticks>("/ticks", { parse: "json" }).messages).toEqualTypeOf<
  readonly (ClientMessage<Tick, "tick"> | ClientMessage<null, "reset">)[]
>();
expectTypeOf(useSSE("/n", { parse: (data) => Number(data) }).messages).toEqualTypeOf<
  readonly ClientMessage<number, string>[]
>();
expectTypeOf(useSSE("/j", { parse: "json" }).messages).toEqualTypeOf<
  readonly ClientMessage<unknown, string>[]
>();
expectTypeOf(useSSE("/feed").error).toEqualTypeOf<SSEError | undefined>();
// Options are SSEClient's, checked as such, plus `keep`.
useSSE("/feed", { keep: 10, idleTimeout: 45_000, headers: { "x-tenant": "a" } });
// @ts-expect-error: idleTimeout is a number of ms
useSSE("/feed", { idleTimeout: "45 s" });
// @ts-expect-error: keep is a number
useSSE("/feed", { keep: "all" });

// Vue: the same types, in refs; the URL may be a getter.
const vue = useVue<Ticks>(() => "/ticks", { parse: "json" });
expectTypeOf(vue.messages).toEqualTypeOf<
  Readonly<ShallowRef<readonly (ClientMessage<Tick, "tick"> | ClientMessage<null, "reset">)[]>>
>();
expectTypeOf(vue.error).toEqualTypeOf<Readonly<ShallowRef<SSEError | undefined>>>();
expectTypeOf(useVue("/n", { parse: (data) => Number(data) }).messages.value).toEqualTypeOf<
  readonly ClientMessage<number, string>[]
>();
// @ts-expect-error: the messages are read-only
useVue("/feed").messages.value = [];

// Svelte: a readable store of the same state.
expectTypeOf(sseStore<Ticks>("/ticks", { parse: "json" })).toEqualTypeOf<
  Readable<SSEState<ClientMessage<Tick, "tick"> | ClientMessage<null, "reset">>>
>();
expectTypeOf(sseStore("/feed")).toEqualTypeOf<Readable<SSEState<ClientMessage<string, string>>>>();
// @ts-expect-error: a store has no set
sseStore("/feed").set;
