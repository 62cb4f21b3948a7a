/**
 * Type-level drop-in: ssekit's EventSource is assignable where lib.dom's EventSource is expected.
 * `tsc --noEmit` checks this file; the runtime assertions of expectTypeOf are no-ops.
 */
import { expectTypeOf, test } from "vitest";
import { EventSource, type EventSourceEventMap, type EventSourceInit } from "../../src/index.js";

test("the class is assignable to typeof globalThis.EventSource", () => {
  // A plain typed assignment, as a user swapping in the polyfill writes it.
  const Constructor: typeof globalThis.EventSource = EventSource;
  expectTypeOf(EventSource).toExtend<typeof globalThis.EventSource>();
  expectTypeOf(Constructor.CLOSED).toEqualTypeOf<2>();
});

test("instances are assignable to lib.dom's EventSource", () => {
  expectTypeOf<EventSource>().toExtend<globalThis.EventSource>();
  const useNative = (source: globalThis.EventSource) => source.readyState;
  expectTypeOf(useNative).toBeCallableWith({} as EventSource);
});

test("the standard members have lib.dom's types", () => {
  expectTypeOf<EventSource["readyState"]>().toEqualTypeOf<number>();
  expectTypeOf<EventSource["url"]>().toEqualTypeOf<string>();
  expectTypeOf<EventSource["withCredentials"]>().toEqualTypeOf<boolean>();
  expectTypeOf(EventSource.CONNECTING).toEqualTypeOf<0>();
  expectTypeOf(EventSource.OPEN).toEqualTypeOf<1>();
  expectTypeOf<ConstructorParameters<typeof EventSource>[0]>().toEqualTypeOf<string | URL>();
  // lib.dom's init is accepted; the extensions are optional.
  expectTypeOf<globalThis.EventSourceInit>().toExtend<EventSourceInit>();
  expectTypeOf<{ withCredentials: true }>().toExtend<EventSourceInit>();
});

test("the eventsource package's README code type-checks as written there", () => {
  // "Setting HTTP request headers": `init` is no optional parameter, its headers a plain object.
  const withToken = () =>
    new EventSource("https://my-server.com/sse", {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: {
            ...init.headers,
            Authorization: "Bearer myToken",
          },
        }),
    });
  expectTypeOf(withToken).returns.toEqualTypeOf<EventSource>();
  // "Message and code properties on errors".
  const listen = (es: EventSource, notAuthorized: () => void) =>
    es.addEventListener("error", (err) => {
      if (err.code === 401 || err.code === 403) notAuthorized();
    });
  expectTypeOf(listen).returns.toBeVoid();
  expectTypeOf<EventSourceEventMap["error"]["code"]>().toEqualTypeOf<number | undefined>();
  expectTypeOf<EventSourceEventMap["error"]["message"]>().toEqualTypeOf<string | undefined>();
  expectTypeOf<EventSource["onerror"]>().toExtend<globalThis.EventSource["onerror"]>();
});
