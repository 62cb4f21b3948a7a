/**
 * `import "ssekit/polyfill"`: installs ssekit's EventSource where the platform has none, and never
 * replaces one that exists. Each test imports the module afresh (`vi.resetModules`), as a page or
 * a process loading it once would.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const scope = globalThis as { EventSource?: unknown };

describe("ssekit/polyfill", () => {
  let saved: PropertyDescriptor | undefined;

  beforeEach(() => {
    saved = Object.getOwnPropertyDescriptor(globalThis, "EventSource");
    delete scope.EventSource;
    vi.resetModules();
  });

  afterEach(() => {
    delete scope.EventSource;
    if (saved) Object.defineProperty(globalThis, "EventSource", saved);
  });

  it("installs ssekit's EventSource where there is none", async () => {
    expect(scope.EventSource).toBeUndefined();
    await import("../../src/event-source/polyfill.js");
    const { EventSource } = await import("../../src/event-source/event-source.js");
    expect(scope.EventSource).toBe(EventSource);
    // Like the platform's own globals: writable and configurable, not enumerable.
    expect(Object.getOwnPropertyDescriptor(globalThis, "EventSource")).toMatchObject({
      writable: true,
      configurable: true,
      enumerable: false,
    });
  });

  it("leaves an existing EventSource alone", async () => {
    class NativeEventSource {}
    scope.EventSource = NativeEventSource;
    await import("../../src/event-source/polyfill.js");
    expect(scope.EventSource).toBe(NativeEventSource);
  });

  it("is one of the package's two modules with a side effect (with ssekit/share), so bundlers keep it", () => {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as {
      sideEffects: string[];
      exports: Record<string, { import: { default: string }; require: { default: string } }>;
    };
    const entries = [pkg.exports["./polyfill"], pkg.exports["./share"]];
    for (const entry of entries) expect(entry).toBeDefined();
    expect(pkg.sideEffects).toEqual(
      entries.flatMap((entry) => [entry?.import.default, entry?.require.default]),
    );
  });
});
