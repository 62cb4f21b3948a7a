/**
 * The WebIDL interface (WPT eventsource-prototype, interfaces.html): the constants, the attributes
 * as accessors and close() on the prototype, brand checks, enumerability, read-only attributes, the
 * EventTarget prototype chain, the toStringTag, and the event handler attributes. Ids prototype-*.
 */
import { describe, expect } from "vitest";
import type { SuiteContext } from "./context.js";

export function prototypeSection(ctx: SuiteContext): void {
  const { ES, open, test } = ctx;
  describe("interface (eventsource-prototype, interfaces.html)", () => {
    test("prototype-extend", "methods added to the prototype are inherited", () => {
      const proto = ES.prototype as unknown as { returnTrue?: () => boolean };
      proto.returnTrue = () => true;
      try {
        const source = open(ctx.fx.message("data: x\n\n")) as unknown as { returnTrue(): boolean };
        expect(source.returnTrue()).toBe(true);
      } finally {
        delete proto.returnTrue;
      }
    });

    test("prototype-constants", "CONNECTING, OPEN, CLOSED: read-only on both", () => {
      for (const target of [ES, ES.prototype]) {
        for (const [name, value] of [
          ["CONNECTING", 0],
          ["OPEN", 1],
          ["CLOSED", 2],
        ] as const) {
          expect(Object.getOwnPropertyDescriptor(target, name)).toEqual({
            value,
            writable: false,
            enumerable: true,
            configurable: false,
          });
        }
      }
      const source = open(ctx.fx.message("data: x\n\n"));
      expect([source.CONNECTING, source.OPEN, source.CLOSED]).toEqual([0, 1, 2]);
      expect(Object.hasOwn(source, "OPEN")).toBe(false);
    });

    test(
      "prototype-attributes",
      "attributes are accessors, close a method, on the prototype",
      () => {
        const proto = ES.prototype;
        for (const name of ["url", "withCredentials", "readyState"]) {
          const descriptor = Object.getOwnPropertyDescriptor(proto, name);
          expect(typeof descriptor?.get, name).toBe("function");
          expect(descriptor?.set, name).toBeUndefined();
        }
        for (const name of ["onopen", "onmessage", "onerror"]) {
          const descriptor = Object.getOwnPropertyDescriptor(proto, name);
          expect(typeof descriptor?.get, name).toBe("function");
          expect(typeof descriptor?.set, name).toBe("function");
        }
        const close = Object.getOwnPropertyDescriptor(proto, "close");
        expect(typeof close?.value).toBe("function");
        expect((close?.value as (() => void) | undefined)?.length).toBe(0);
        const source = open(ctx.fx.message("data: x\n\n"));
        expect(Object.getOwnPropertyNames(source)).toEqual([]);
        expect(ES.name).toBe("EventSource");
        expect(ES.length).toBe(1);
      },
    );

    test("prototype-brand-checks", "members throw a TypeError on other objects", () => {
      const proto = ES.prototype;
      for (const name of [
        "url",
        "withCredentials",
        "readyState",
        "onopen",
        "onmessage",
        "onerror",
      ]) {
        const get = Object.getOwnPropertyDescriptor(proto, name)?.get;
        expect(() => get?.call({}), name).toThrow(TypeError);
      }
      expect(() => proto.close.call({} as EventSource)).toThrow(TypeError);
      expect(() => (proto as unknown as { readyState: number }).readyState).toThrow(TypeError);
    });

    test("prototype-enumerable", "attributes, operation and constants are enumerable", () => {
      // WebIDL defines them all enumerable; the order is left to the implementation.
      expect(Object.keys(ES.prototype).sort()).toEqual([
        "CLOSED",
        "CONNECTING",
        "OPEN",
        "close",
        "onerror",
        "onmessage",
        "onopen",
        "readyState",
        "url",
        "withCredentials",
      ]);
    });

    test("prototype-readonly", "readyState, url, withCredentials cannot be assigned", () => {
      const source = open(ctx.fx.message("data: x\n\n")) as unknown as Record<string, unknown>;
      for (const name of ["readyState", "url", "withCredentials"]) {
        const before = source[name];
        // Module code is strict: assigning an accessor without a setter throws.
        expect(() => {
          source[name] = 5;
        }, name).toThrow(TypeError);
        expect(source[name]).toBe(before);
      }
    });

    test("prototype-eventtarget", "an EventSource is an EventTarget", () => {
      const source = open(ctx.fx.message("data: x\n\n"));
      expect(source).toBeInstanceOf(EventTarget);
      expect(source).toBeInstanceOf(ES);
      expect(Object.getPrototypeOf(ES.prototype)).toBe(EventTarget.prototype);
    });

    test("prototype-tostringtag", "Object.prototype.toString gives [object EventSource]", () => {
      const source = open(ctx.fx.message("data: x\n\n"));
      expect(Object.prototype.toString.call(source)).toBe("[object EventSource]");
      expect(Object.prototype.toString.call(ES.prototype)).toBe("[object EventSource]");
    });

    test("prototype-handlers", "onopen/onmessage/onerror: null, functions, others null", () => {
      const source = open(ctx.fx.message("data: x\n\n"));
      const handler = () => {};
      for (const name of ["onopen", "onmessage", "onerror"] as const) {
        expect(source[name], name).toBeNull();
        source[name] = handler;
        expect(source[name], name).toBe(handler);
        (source as unknown as Record<string, unknown>)[name] = "not a function";
        expect(source[name], name).toBeNull();
        source[name] = handler;
        source[name] = null;
        expect(source[name], name).toBeNull();
      }
    });
  });
}
