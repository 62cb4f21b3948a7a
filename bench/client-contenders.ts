/**
 * The SSE clients compared by `bench/client.ts`, each behind the same small interface: open a
 * stream, report events and readiness to a sink, close on demand.
 */
import { fetchEventSource } from "@microsoft/fetch-event-source";
import { EventSource } from "eventsource";
import { createEventSource } from "eventsource-client";
import { createParser } from "eventsource-parser";
import { createParser as createParser4 } from "eventsource-parser-4";
import { events } from "fetch-event-stream";
import { createParser as createSsekitParser, SSEClient } from "../src/index.js";

/** Where a contender reports what happens on one connection. */
export interface Sink {
  /**
   * An event arrived, with its data. The raw-fetch baseline parses nothing: it calls this for
   * every chunk that starts like an event (`d`), with `undefined`.
   */
  event(data: string | undefined): void;
  /** Connected and, where the library tells, the server's first comment was read. */
  ready(): void;
  /** The server ended the stream (only the baseline needs it: it has no event count). */
  end(): void;
}

export interface Contender {
  name: string;
  /** Opens one connection; returns the function that closes it. Must never throw or reject. */
  open(url: string, sink: Sink): () => void;
}

const D = 100; // "d"

function isAbort(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === "AbortError" || code === "ABORT_ERR";
}

function unexpected(name: string, error: unknown): void {
  if (!isAbort(error)) console.error(`[${name}]`, error);
}

const rawFetch: Contender = {
  name: "raw fetch (baseline)",
  open(url, sink) {
    const controller = new AbortController();
    (async () => {
      const response = await fetch(url, {
        headers: { accept: "text/event-stream" },
        signal: controller.signal,
      });
      const body = response.body;
      if (!body) throw new Error("no body");
      const reader = body.getReader();
      let first = true;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (first) {
          first = false;
          sink.ready();
        }
        if (value[0] === D) sink.event(undefined);
      }
      sink.end();
    })().catch((error) => unexpected(this.name, error));
    return () => controller.abort();
  },
};

const fetchParser: Contender = {
  name: "fetch + eventsource-parser 3.1.1",
  open(url, sink) {
    const controller = new AbortController();
    (async () => {
      const response = await fetch(url, {
        headers: { accept: "text/event-stream" },
        signal: controller.signal,
      });
      const body = response.body;
      if (!body) throw new Error("no body");
      const reader = body.getReader();
      const decoder = new TextDecoder();
      const parser = createParser({
        onEvent: (event) => sink.event(event.data),
        onComment: () => sink.ready(),
      });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
      sink.end();
    })().catch((error) => unexpected(this.name, error));
    return () => controller.abort();
  },
};

/**
 * The loop users write by hand, with eventsource-parser 4.1.3: `fetch`, a reader, a streaming
 * `TextDecoder`, `parser.feed(string)`. Made twice: the second is the A/A control, whose ratio to
 * the first shows the run's noise.
 */
function fetchParser4(name: string): Contender {
  return {
    name,
    open(url, sink) {
      const controller = new AbortController();
      (async () => {
        const response = await fetch(url, {
          headers: { accept: "text/event-stream" },
          signal: controller.signal,
        });
        const body = response.body;
        if (!body) throw new Error("no body");
        const reader = body.getReader();
        const decoder = new TextDecoder();
        const parser = createParser4({
          onEvent: (event) => sink.event(event.data),
          onComment: () => sink.ready(),
        });
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
        sink.end();
      })().catch((error) => unexpected(name, error));
      return () => controller.abort();
    },
  };
}

const fetchSsekitParser: Contender = {
  name: "fetch + ssekit createParser",
  open(url, sink) {
    const controller = new AbortController();
    (async () => {
      const response = await fetch(url, {
        headers: { accept: "text/event-stream" },
        signal: controller.signal,
      });
      const body = response.body;
      if (!body) throw new Error("no body");
      const reader = body.getReader();
      const parser = createSsekitParser({
        onMessage: (message) => sink.event(message.data),
        onComment: () => sink.ready(),
      });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
      sink.end();
    })().catch((error) => unexpected(this.name, error));
    return () => controller.abort();
  },
};

const ssekitListener: Contender = {
  name: "ssekit SSEClient on()",
  open(url, sink) {
    const client = new SSEClient(url, {
      onComment: () => sink.ready(),
      onError: (error) => unexpected(this.name, error),
    });
    client.on("message", (message) => sink.event(message.data));
    return () => client.close();
  },
};

const ssekitIterator: Contender = {
  name: "ssekit SSEClient for await",
  open(url, sink) {
    const client = new SSEClient(url, {
      onComment: () => sink.ready(),
      onError: (error) => unexpected(this.name, error),
    });
    (async () => {
      for await (const message of client) sink.event(message.data);
    })().catch((error) => unexpected(this.name, error));
    return () => client.close();
  },
};

/**
 * `@microsoft/fetch-event-source` reads `document` and `window` unconditionally (its dispose()
 * calls `document.removeEventListener` and `window.clearTimeout`, even with `openWhenHidden`), so
 * it throws in Node. These stand-ins exist only while one of its connections is open: other
 * libraries look at `window`/`document` too and must not see them.
 */
let shimUsers = 0;
const scope = globalThis as Record<string, unknown>;
function acquireShim(): () => void {
  if (shimUsers++ === 0) {
    scope.window = { setTimeout, clearTimeout, fetch: globalThis.fetch };
    scope.document = { hidden: false, addEventListener() {}, removeEventListener() {} };
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--shimUsers === 0) {
      delete scope.window;
      delete scope.document;
    }
  };
}

const microsoft: Contender = {
  name: "@microsoft/fetch-event-source",
  open(url, sink) {
    const controller = new AbortController();
    const release = acquireShim();
    fetchEventSource(url, {
      signal: controller.signal,
      openWhenHidden: true,
      fetch: globalThis.fetch,
      onopen: async () => sink.ready(),
      onmessage: (message) => sink.event(message.data),
      onclose: () => sink.end(),
      onerror: (error) => {
        throw error; // no retry
      },
    })
      .catch((error) => unexpected(this.name, error))
      .finally(release);
    return () => controller.abort();
  },
};

const eventsource: Contender = {
  name: "eventsource 4.1.1 (EventSource)",
  open(url, sink) {
    const source = new EventSource(url);
    source.onopen = () => sink.ready();
    source.onmessage = (event) => sink.event(event.data);
    return () => source.close();
  },
};

const eventsourceClient: Contender = {
  name: "eventsource-client onMessage",
  open(url, sink) {
    const client = createEventSource({
      url,
      onMessage: (message) => sink.event(message.data),
      onComment: () => sink.ready(),
    });
    return () => client.close();
  },
};

const eventsourceClientIterator: Contender = {
  name: "eventsource-client for await",
  open(url, sink) {
    const client = createEventSource({ url, onComment: () => sink.ready() });
    (async () => {
      for await (const message of client) sink.event(message.data);
    })().catch((error) => unexpected(this.name, error));
    return () => client.close();
  },
};

const fetchEventStreamContender: Contender = {
  name: "fetch-event-stream",
  open(url, sink) {
    const controller = new AbortController();
    (async () => {
      // Its events() over our own fetch: its stream() helper wraps the signal in a Request, and
      // Node 20's fetch follows that through a weak reference, so after a GC an abort no longer
      // reaches the connection (the idle-heap test runs full GCs, then closes).
      const response = await fetch(url, {
        headers: { accept: "text/event-stream" },
        signal: controller.signal,
      });
      sink.ready(); // it has no comment callback: connected is as far as it tells
      for await (const event of events(response, controller.signal)) sink.event(event.data);
      sink.end();
    })().catch((error) => unexpected(this.name, error));
    return () => controller.abort();
  },
};

export const contenders: Contender[] = [
  rawFetch,
  fetchParser4("fetch + eventsource-parser 4.1.3"),
  fetchParser4("fetch + eventsource-parser 4.1.3 again (A/A control)"),
  fetchParser,
  fetchSsekitParser,
  ssekitListener,
  ssekitIterator,
  microsoft,
  eventsource,
  eventsourceClient,
  eventsourceClientIterator,
  fetchEventStreamContender,
];
