/**
 * Helpers of the EventSource conformance suite: URLs of the fixture routes
 * (test/fixtures/server.ts), the server's request log, an event recorder, waits with a deadline,
 * and the scripted run (a source on a script of connections, with its recorder and its requests).
 * Browser-safe: only fetch, URL and timers.
 */
import type { EsInfo, EsLog, EsRequestRecord, ScriptStep } from "../fixtures/server.js";

/** The constructor under test as the suite uses it: lib.dom's type. */
export type EventSourceClass = typeof globalThis.EventSource;

/**
 * What `defineSuite` accepts: any constructor shaped like EventSource's. Deliberately looser than
 * {@link EventSourceClass}, so that the suite still compiles and runs when an implementation is not
 * a type-level drop-in (that is checked on its own, in ./types.test.ts).
 */
export type EventSourceConstructor = abstract new (
  url: string | URL,
  init?: { withCredentials?: boolean },
) => EventTarget;

/** A unique `key` for the routes that keep state across a test's requests. */
export function newKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Rejects with `what()` in the message if `promise` has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** One recorded event: what a test compares. */
export interface Recorded {
  type: string;
  /** The source's readyState when the event was dispatched. */
  readyState: number;
  /** Whether it carried `data` (a MessageEvent), and its fields then. */
  message: boolean;
  data?: string;
  lastEventId?: string;
  origin?: string;
  /** performance.now() at dispatch. */
  at: number;
  event: Event;
}

/**
 * Records every event of the given types (open, message and error always) in dispatch order, as
 * `type:readyState` or `type:readyState:data` strings (`log`) and in full (`events`).
 */
export class Recorder {
  readonly events: Recorded[] = [];
  private waiters = new Set<() => void>();

  constructor(
    readonly source: EventSource,
    types: readonly string[] = [],
  ) {
    for (const type of new Set(["open", "message", "error", ...types])) {
      source.addEventListener(type, (event) => this.push(event));
    }
  }

  private push(event: Event): void {
    const message = "data" in event;
    const m = event as MessageEvent;
    this.events.push({
      type: event.type,
      readyState: this.source.readyState,
      message,
      ...(message
        ? { data: String(m.data), lastEventId: m.lastEventId, origin: m.origin }
        : undefined),
      at: performance.now(),
      event,
    });
    for (const waiter of [...this.waiters]) waiter();
  }

  /** `open:1`, `message:1:data`, `error:0`, ... */
  get log(): string[] {
    return this.events.map((e) =>
      e.message ? `${e.type}:${e.readyState}:${e.data}` : `${e.type}:${e.readyState}`,
    );
  }

  /** The MessageEvents of type `message` (or of any type with `type` "*"). */
  messages(type = "message"): Recorded[] {
    return this.events.filter((e) => e.message && (type === "*" || e.type === type));
  }

  /** Resolves once `done(events)` holds; rejects after `ms` with the events so far. */
  until(done: (events: Recorded[]) => boolean, what = "condition", ms = 4000): Promise<void> {
    if (done(this.events)) return Promise.resolve();
    let waiter: () => void = () => {};
    const reached = new Promise<void>((resolve) => {
      waiter = () => {
        if (done(this.events)) resolve();
      };
      this.waiters.add(waiter);
    });
    return within(reached, ms, () => `${what}; events so far: ${JSON.stringify(this.log)}`).finally(
      () => this.waiters.delete(waiter),
    );
  }

  /** Resolves once there are `n` events of `type` (any type when omitted). */
  count(n: number, type?: string, ms?: number): Promise<void> {
    return this.until(
      (events) => events.filter((e) => type === undefined || e.type === type).length >= n,
      `${n} ${type ?? ""} event(s)`,
      ms,
    );
  }
}

/** What {@link Fixture.log} can wait for on the server before it answers. */
export interface LogWait {
  wait: "count" | "closed";
  n: number;
  timeout?: number;
}

/** URL builders and server queries for one fixture server. */
export class Fixture {
  constructor(readonly base: string) {}

  /**
   * /es/message: one response with `body`, held open unless `after` says otherwise. Other
   * parameters (type, status, cors, split, every, gap, key, b64) go into the query as they are.
   */
  message(body: string, params: Record<string, string | number> = {}): string {
    const query = new URLSearchParams({ body });
    for (const [name, value] of Object.entries(params)) query.set(name, String(value));
    return `${this.base}/es/message?${query}`;
  }

  /** /es/message with a body given as bytes. */
  bytes(bytes: readonly number[], params: Record<string, string | number> = {}): string {
    const query = new URLSearchParams({ b64: toBase64(bytes) });
    for (const [name, value] of Object.entries(params)) query.set(name, String(value));
    return `${this.base}/es/message?${query}`;
  }

  /** /es/script: the nth request with `key` runs `steps[n]` (the last one repeats). */
  script(key: string, steps: readonly ScriptStep[]): string {
    return `${this.base}/es/script?${new URLSearchParams({ key, s: JSON.stringify(steps) })}`;
  }

  /**
   * /client/numbered: events 1..n with ids `1`, `2`, `é-3`, `4`, `5`, `é-6`, ...; `drop` and `end`
   * list the events after which a connection is destroyed or ended cleanly, `last` is what follows
   * the last event (`end` or `hold`), `types` the event types to cycle through.
   */
  numbered(key: string, params: Record<string, string | number> = {}): string {
    const query = new URLSearchParams({ key });
    for (const [name, value] of Object.entries(params)) query.set(name, String(value));
    return `${this.base}/client/numbered?${query}`;
  }

  /** /es/status: a response with that status and an event stream body. */
  status(code: number, key: string): string {
    return `${this.base}/es/status?${new URLSearchParams({ code: String(code), key })}`;
  }

  /** /es/redirect to `to`. */
  redirect(status: number, to: string, key: string): string {
    return `${this.base}/es/redirect?${new URLSearchParams({ status: String(status), to, key })}`;
  }

  /**
   * The requests the server saw with `key`. `wait: "count"` waits (on the server) until `n`
   * requests arrived, `wait: "closed"` until the nth one's connection closed.
   */
  async log(key: string, wait?: LogWait) {
    const query = new URLSearchParams({ key });
    if (wait) {
      query.set("wait", wait.wait);
      query.set("n", String(wait.n));
      query.set("timeout", String(wait.timeout ?? 4000));
    }
    const response = await fetch(`${this.base}/es/log?${query}`, { cache: "no-store" });
    return (await response.json()) as EsLog;
  }

  /** The second origin and a refused port (see EsInfo). */
  async info(): Promise<EsInfo> {
    const response = await fetch(`${this.base}/es/info`, { cache: "no-store" });
    return (await response.json()) as EsInfo;
  }
}

function toBase64(bytes: readonly number[]): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The UTF-8 bytes of `text`, as numbers (to splice in invalid bytes). */
export function utf8(text: string): number[] {
  return [...new TextEncoder().encode(text)];
}

/**
 * Waits for `n` MessageEvents of any recorded type, then closes the source and returns its
 * MessageEvents.
 */
export async function collect(rec: Recorder, n: number): Promise<Recorded[]> {
  await rec.until((events) => events.filter((e) => e.message).length >= n, `${n} messages`);
  rec.source.close();
  return rec.messages("*");
}

/**
 * A scripted run: one source on /es/script under a fresh key, whose nth connection runs the
 * script's `steps[n]`, with its events recorded and the server's record of its requests (under
 * that key) at hand. The methods are plain functions: destructure them.
 */
export interface ScriptedRun {
  readonly source: EventSource;
  /** Records open, message and error events, and those of the types asked for. */
  readonly rec: Recorder;
  /** The server's log of the run, once the server saw what `wait` asks for (Fixture.log). */
  serverLog(wait?: LogWait): Promise<EsLog>;
  /** The requests of the run the server saw so far, preflights aside. */
  requests(): Promise<EsRequestRecord[]>;
  /** Milliseconds from the end of connection `i - 1` to the arrival of connection `i` (server). */
  reconnectGap(i: number): Promise<number>;
  /** {@link collect}: waits for `n` MessageEvents, closes the source, returns them. */
  collect(n: number): Promise<Recorded[]>;
}

/**
 * Starts a scripted run of `steps` on `fx`, opening the source with `open` (which decides who
 * closes it after the test) and recording the events of `types` besides open, message and error.
 */
export function scriptedRun(
  fx: Fixture,
  open: (url: string) => EventSource,
  steps: readonly ScriptStep[],
  types: readonly string[] = [],
): ScriptedRun {
  const key = newKey();
  const source = open(fx.script(key, steps));
  const rec = new Recorder(source, types);
  const requests = async () => (await fx.log(key)).requests;
  return {
    source,
    rec,
    serverLog: (wait) => fx.log(key, wait),
    requests,
    reconnectGap: async (i) => {
      const all = await requests();
      return (all[i]?.at ?? 0) - (all[i - 1]?.closedAt ?? 0);
    },
    collect: (n) => collect(rec, n),
  };
}
