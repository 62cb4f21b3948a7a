/**
 * The context every section of the EventSource conformance suite registers its cases with: the
 * implementation under test, the fixture server (test/fixtures/server.ts, its /es/ routes), the
 * registration of test ids against the skip lists (../deviations.ts), and the ways a case opens
 * sources and waits. One context per `defineSuite` call (./index.ts).
 *
 * Synchronisation is by events (promises resolved by handlers) and by the fixture server's request
 * log (/es/log, which can wait on the server side for a request or a closed connection). Where a
 * test asserts that nothing more happens, it first waits for a positive sign that enough time
 * passed: the server saw the connection close, or `timePasses()`, a control EventSource of the
 * same implementation that reconnects several times with the same `retry: 10`.
 */
import { afterAll, afterEach, beforeAll, it } from "vitest";
import type { EsInfo, ScriptStep } from "../../fixtures/server.js";
import {
  collect,
  type EventSourceClass,
  type EventSourceConstructor,
  Fixture,
  newKey,
  type Recorded,
  Recorder,
  type ScriptedRun,
  scriptedRun,
} from "../helpers.js";

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 2;

export interface SuiteOptions {
  /**
   * `browser`: a document with a base URL, served from another origin than the fixture server (so
   * every request is a CORS request). `node`: no base URL, no CORS.
   */
  runtime: "node" | "browser";
  /** Test ids to skip, each with the reason (a documented deviation). */
  skip?: Readonly<Record<string, string>>;
  /** Also run the tests of ssekit's opt-in extensions (init fetch, headers, method, body). */
  extensions?: boolean;
}

export type TestFn = () => Promise<void> | void;

/** Registers one case under its id (`id — title`), or skips it when a skip list names the id. */
export type RegisterTest = (id: string, title: string, fn: TestFn, timeout?: number) => void;

export interface SuiteContext {
  /** The constructor under test, as lib.dom types it. */
  readonly ES: EventSourceClass;
  /** Whether the suite runs in a browser (see SuiteOptions.runtime). */
  readonly browser: boolean;
  /** The fixture server's routes and request log; usable once tests run, not at registration. */
  readonly fx: Fixture;
  /** The fixture server's second origin and refused port; usable once the tests run. */
  readonly info: EsInfo;
  /** Every case registers through one of these; ids must be unique within the suite. */
  readonly test: RegisterTest;
  /** Registers the case only in a browser. */
  readonly browserTest: RegisterTest;
  /** Registers the case only outside a browser. */
  readonly nodeTest: RegisterTest;
  /** Constructs a source, closed after the test. */
  readonly open: (url: string | URL, init?: EventSourceInit) => EventSource;
  /** Opens a source and starts recording its events (and those of `types`). */
  readonly record: (
    url: string,
    types?: string[],
    init?: EventSourceInit,
  ) => { source: EventSource; rec: Recorder };
  /**
   * The positive sign that time passed for "nothing more happens" assertions: a control source
   * of the same implementation, on a stream that ends at once with `retry: 10`, reconnects
   * `reconnects` times. Each reconnection waits at least those 10 ms plus a round trip to the
   * server, so a reconnection the subject scheduled with `retry: 10`, or an event it had queued,
   * would have shown by then.
   */
  readonly timePasses: (reconnects?: number) => Promise<void>;
  /** Opens `url`, waits for `n` message events (of `types` too), closes it, returns them. */
  readonly messagesOf: (url: string, n: number, types?: string[]) => Promise<Recorded[]>;
  /** The data of the first `n` messages of /es/message with `body` (and `params`). */
  readonly dataOf: (
    body: string,
    n: number,
    params?: Record<string, string | number>,
  ) => Promise<(string | undefined)[]>;
  /**
   * A scripted run (../helpers.ts): a source, closed after the test, on /es/script under a fresh
   * key, whose nth connection runs `steps[n]`; records the events of `types` too.
   */
  readonly scripted: (steps: readonly ScriptStep[], types?: readonly string[]) => ScriptedRun;
}

/**
 * The context of one registration of the suite. Call it inside the suite's `describe`: it adds the
 * hooks that start the fixture, close every source a test opened, and check the skip list.
 */
export function createSuiteContext(
  Impl: EventSourceConstructor,
  serverUrl: string | (() => string),
  options: SuiteOptions,
): SuiteContext {
  const ES = Impl as unknown as EventSourceClass;
  const browser = options.runtime === "browser";
  let fx: Fixture | undefined;
  let info: EsInfo | undefined;
  beforeAll(async () => {
    fx = new Fixture(typeof serverUrl === "function" ? serverUrl() : serverUrl);
    info = await fx.info();
  });
  const fixture = (): Fixture => {
    if (!fx) throw new Error("the suite's fixture is set up before the first test");
    return fx;
  };

  // Every EventSource a test opens is closed after it: Chromium allows 6 connections per host.
  const sources = new Set<EventSource>();
  afterEach(() => {
    for (const source of sources) source.close();
    sources.clear();
  });
  const open = (url: string | URL, init?: EventSourceInit): EventSource => {
    const source = new ES(url, init);
    sources.add(source);
    return source;
  };
  const record = (url: string, types: string[] = [], init?: EventSourceInit) => {
    const source = open(url, init);
    return { source, rec: new Recorder(source, types) };
  };

  const timePasses = async (reconnects = 3) => {
    const control = new ES(fixture().script(newKey(), [{ body: ["retry: 10\n\n"] }]));
    try {
      await new Recorder(control).count(reconnects + 1, "open");
    } finally {
      control.close();
    }
  };

  const messagesOf = (url: string, n: number, types: string[] = []) =>
    collect(record(url, types).rec, n);
  const dataOf = async (body: string, n: number, params?: Record<string, string | number>) =>
    (await messagesOf(fixture().message(body, params), n)).map((m) => m.data);

  const ids = new Set<string>();
  const test: RegisterTest = (id, title, fn, timeout) => {
    if (ids.has(id)) throw new Error(`duplicate test id ${id}`);
    ids.add(id);
    const reason = options.skip?.[id];
    if (reason !== undefined) it.skip(`${id} — ${title} [skipped: ${reason}]`, fn);
    else it(`${id} — ${title}`, fn, timeout);
  };
  afterAll(() => {
    const unknown = Object.keys(options.skip ?? {}).filter((id) => !ids.has(id));
    if (unknown.length > 0) throw new Error(`skip list names unknown tests: ${unknown}`);
  });

  return {
    ES,
    browser,
    get fx() {
      return fixture();
    },
    get info() {
      if (!info) throw new Error("the suite's fixture is set up before the first test");
      return info;
    },
    test,
    browserTest: (id, title, fn, timeout) => {
      if (browser) test(id, title, fn, timeout);
    },
    nodeTest: (id, title, fn, timeout) => {
      if (!browser) test(id, title, fn, timeout);
    },
    open,
    record,
    timePasses,
    messagesOf,
    dataOf,
    scripted: (steps, types) => scriptedRun(fixture(), open, steps, types),
  };
}
