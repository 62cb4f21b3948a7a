/**
 * Type-level drop-in: ssekit's EventSource is assignable where lib.dom's EventSource is expected.
 * `tsc --noEmit` checks this file; the runtime assertions of expectTypeOf are no-ops.
 */
import { expectTypeOf, test } from "vitest";
import { EventSource, type EventSourceInit } from "../../src/index.js";

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
