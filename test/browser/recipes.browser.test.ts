/**
 * The framework recipes of examples/ in real Chromium, each through its example component
 * (EventFeed), against the fixture server (test/fixtures/server.ts): the React hook (mounted in
 * StrictMode, as in development), the Vue composable and the Svelte store. Each must render the
 * stream's messages, open one connection, close it on the server's side when unmounted, start over
 * on a new URL, and show the error that closed the client.
 *
 * Connections are counted on both sides: the calls to the global `fetch` (SSEClient looks it up at
 * every connection), which also counts a request aborted before the server saw it, and the server's
 * request log (/es/log, by each test's key), which says when and by whom each connection closed.
 */
import { createElement, StrictMode, useEffect } from "react";
import { createRoot } from "react-dom/client";
import { mount as svelteMount, unmount as svelteUnmount } from "svelte";
import { afterEach, beforeEach, describe, expect, inject, it, type MockInstance, vi } from "vitest";
import { createApp, h, ref } from "vue";
import { EventFeed as ReactFeed } from "../../examples/react/EventFeed.js";
import SvelteFeed from "../../examples/svelte/EventFeed.svelte";
import { sseStore } from "../../examples/svelte/sse-store.js";
import VueFeed from "../../examples/vue/EventFeed.vue";
import { SSEClient } from "../../src/index.js";
import { Fixture, newKey } from "../event-source/helpers.js";
import { reactiveProps } from "../fixtures/svelte-props.svelte.js";

const fixture = new Fixture(inject("sseUrl"));

/** A mounted EventFeed: `update` gives it another URL. */
interface View {
  update(url: string): void;
  unmount(): void;
}

/** Mounts a framework's EventFeed into `target`. */
type Mount = (target: HTMLElement, url: string) => View;

/** How many times the React probe's effect ran its setup: twice per mount under StrictMode. */
let probeSetups = 0;

/** Counts effect setups, to show that StrictMode did run them twice. */
function Probe() {
  useEffect(() => {
    probeSetups++;
  }, []);
  return null;
}

const MOUNTS: Record<"React" | "Vue" | "Svelte", Mount> = {
  React(target, url) {
    const root = createRoot(target);
    const render = (next: string) =>
      root.render(
        createElement(
          StrictMode,
          null,
          createElement(Probe),
          createElement(ReactFeed, { url: next }),
        ),
      );
    render(url);
    return { update: render, unmount: () => root.unmount() };
  },
  Vue(target, url) {
    const current = ref(url);
    const app = createApp({ setup: () => () => h(VueFeed, { url: current.value }) });
    app.mount(target);
    return {
      update: (next) => {
        current.value = next;
      },
      unmount: () => app.unmount(),
    };
  },
  Svelte(target, url) {
    const props = reactiveProps({ url });
    const component = svelteMount(SvelteFeed, { target, props });
    return {
      update: (next) => {
        props.url = next;
      },
      unmount: () => {
        svelteUnmount(component);
      },
    };
  },
};

let target: HTMLElement;
let fetchSpy: MockInstance<typeof fetch>;
/** What a test leaves mounted when it fails midway: unmounted after it (it holds a connection). */
const mounted = new Set<View>();

/** Mounts with `mount`, unmounting after the test if the test does not. */
function show(mount: Mount, url: string): View {
  const view = mount(target, url);
  const tracked: View = {
    update: (next) => view.update(next),
    unmount: () => {
      mounted.delete(tracked);
      view.unmount();
    },
  };
  mounted.add(tracked);
  return tracked;
}

beforeEach(() => {
  target = document.body.appendChild(document.createElement("div"));
  // Calls through to the real fetch; only counts.
  fetchSpy = vi.spyOn(globalThis, "fetch");
});

afterEach(() => {
  for (const view of mounted) view.unmount();
  fetchSpy.mockRestore();
  target.remove();
});

/** The fetch calls to the stream routes with `key` (the log queries have it too: not counted). */
function fetches(key: string): number {
  return fetchSpy.mock.calls.filter(([input]) => {
    const url = input instanceof Request ? input.url : String(input);
    return url.includes(key) && !url.includes("/es/log");
  }).length;
}

/** The rendered list items' text. */
function items(): string[] {
  return [...target.querySelectorAll("li")].map((li) => li.textContent?.trim() ?? "");
}

/** Waits for the list to show exactly `expected`. */
async function rendered(expected: string[]): Promise<void> {
  await expect.poll(items, { timeout: 4000 }).toEqual(expected);
}

/** Waits (on the server) until the first request with `key` closed; returns who ended each. */
async function endedBy(key: string): Promise<(string | null)[]> {
  const log = await fixture.log(key, { wait: "closed", n: 1 });
  expect(log.timedOut, "the connection did not close").toBe(false);
  return log.requests.map((request) => request.endedBy);
}

describe.each(Object.entries(MOUNTS))("%s recipe", (name, mount) => {
  it("renders the messages over one connection, which unmounting closes", async () => {
    // Repeated: a second connection, if the recipe made one, would depend on timing.
    for (let round = 0; round < 5; round++) {
      const key = newKey();
      probeSetups = 0;
      const view = show(mount, fixture.numbered(key, { n: 3, last: "hold" }));
      await rendered(["1", "2", "3"]);
      if (name === "React") expect(probeSetups, "StrictMode ran effects twice").toBe(2);
      const open = await fixture.log(key);
      expect(open.requests.map((request) => request.closedAt)).toEqual([null]);
      expect(fetches(key)).toBe(1);

      view.unmount();
      expect(await endedBy(key)).toEqual(["client"]);
      expect(fetches(key)).toBe(1);
      expect(items()).toEqual([]);
    }
  });

  it("on a new URL, closes the old connection and starts over with the new one", async () => {
    const [first, second] = [newKey(), newKey()];
    const view = show(mount, fixture.numbered(first, { n: 2, last: "hold" }));
    await rendered(["1", "2"]);
    view.update(fixture.numbered(second, { n: 3, last: "hold" }));
    await rendered(["1", "2", "3"]);
    expect(await endedBy(first)).toEqual(["client"]);
    expect([fetches(first), fetches(second)]).toEqual([1, 1]);

    view.unmount();
    expect(await endedBy(second)).toEqual(["client"]);
  });

  it("shows the error that closed the client, which does not reconnect", async () => {
    const key = newKey();
    const view = show(mount, fixture.status(404, key));
    await expect
      .poll(() => target.querySelector("[role=alert]")?.textContent ?? "", { timeout: 4000 })
      .toMatch(/^The server answered 404/);
    expect(items()).toEqual([]);
    expect(fetches(key)).toBe(1);
    view.unmount();
  });
});

describe("Svelte store", () => {
  it("is shared: two subscribers, one connection, closed when the last one leaves", async () => {
    const key = newKey();
    const store = sseStore(fixture.numbered(key, { n: 2, last: "hold" }));
    const seen: string[][] = [[], []];
    const leave = [0, 1].map((i) =>
      store.subscribe((value) => {
        seen[i] = value.messages.map((message) => message.data);
      }),
    );
    await expect
      .poll(() => seen, { timeout: 4000 })
      .toEqual([
        ["1", "2"],
        ["1", "2"],
      ]);
    expect(fetches(key)).toBe(1);

    for (const unsubscribe of leave) unsubscribe();
    expect(await endedBy(key)).toEqual(["client"]);
    expect(fetches(key)).toBe(1);
  });
});

describe("keep", () => {
  it("holds the latest `keep` messages; a keep that is not a positive integer throws", async () => {
    const key = newKey();
    const store = sseStore(fixture.numbered(key, { n: 3, last: "hold" }), { keep: 2 });
    let seen: string[] = [];
    const unsubscribe = store.subscribe((value) => {
      seen = value.messages.map((message) => message.data);
    });
    await expect.poll(() => seen, { timeout: 4000 }).toEqual(["2", "3"]);
    unsubscribe();
    expect(await endedBy(key)).toEqual(["client"]);
    for (const keep of [0, -1, 1.5, Number.NaN]) {
      expect(() => sseStore("/never", { keep })).toThrow(RangeError);
    }
  });
});

describe("the checks can fail", () => {
  it("a hook whose cleanup closes too late shows as two connections under StrictMode", async () => {
    /** The mistake: StrictMode's first client reaches the network before it is closed. */
    function LateClose({ url }: { url: string }) {
      useEffect(() => {
        const client = new SSEClient(url);
        return () => {
          setTimeout(() => client.close());
        };
      }, [url]);
      return null;
    }
    const key = newKey();
    const root = createRoot(target);
    root.render(
      createElement(
        StrictMode,
        null,
        createElement(LateClose, { url: fixture.numbered(key, { n: 1, last: "hold" }) }),
      ),
    );
    // The first request is aborted a task after it was made: the server may or may not see it
    // (or its end), which is why the recipe tests count fetch calls too.
    await expect.poll(() => fetches(key), { timeout: 4000 }).toBe(2);
    root.unmount();
  });
});
