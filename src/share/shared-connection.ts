/**
 * One client's share of a stream: the engine of an {@link SSEClient} made with `share`.
 *
 * Every client of a key asks for the key's Web Lock; the browser grants it to one at a time. The
 * holder is the leader: it connects (a client connection of its own, with its own options) and
 * relays what happens, in order, over the key's `BroadcastChannel`; the others follow. When the
 * leader goes (`close()`, its page closed, crashed or frozen) the browser releases the lock and
 * grants it to the next client, which announces a new term and resumes from its last event ID.
 * Which relayed message each client delivers is {@link Order}'s decision. The connection ends
 * when the last client of the key closes: nobody is left to take the lock.
 */
import type { ClientConnectionSettings, ClientEvents } from "../client/client-connection.js";
import type { ClientEngine, Connect } from "../client/share-hook.js";
import type { RetryInfo } from "../client/types.js";
import type { ReadyState } from "../engine/types.js";
import type { SSEError } from "../errors/sse-error.js";
import type { SSEMessage } from "../parser/message.js";
import { Order, type Term } from "./order.js";
import { type Channel, onLifecycle, type Platform } from "./platform.js";
import {
  packError,
  packResponse,
  packRetry,
  unpackError,
  unpackResponse,
  unpackRetry,
  type Wire,
  type WireResponse,
} from "./wire.js";

/** This client's leadership: its term, its connection, how far it relayed. */
interface Leadership {
  term: Term;
  connection: ClientEngine;
  /** The position of the last message relayed. */
  relayed: number;
  /** The open response, for clients that join. */
  open: WireResponse | undefined;
  /** Releases the lock. */
  release: () => void;
}

/** What a shared client is made of. */
export interface ShareRequest {
  settings: ClientConnectionSettings;
  /** The client's sink: its delivery. */
  events: ClientEvents;
  connect: Connect;
  /** The class relayed errors are made of: the one the app imports. */
  SSEError: typeof SSEError;
}

/** A random id: tells terms and clients apart. */
const randomId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export class SharedConnection implements ClientEngine {
  readonly #request: ShareRequest;
  readonly #platform: Platform;
  readonly #name: string;
  readonly #me = randomId();
  readonly #order: Order;
  /** A follower's state; a leader's is its connection's. */
  #state: ReadyState = "closed";
  #channel: Channel | undefined;
  /** Withdraws this client's pending request for the lock. */
  #candidacy: AbortController | undefined;
  #leading: Leadership | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(request: ShareRequest, platform: Platform, name: string) {
    this.#request = request;
    this.#platform = platform;
    this.#name = name;
    this.#order = new Order(request.settings.lastEventId ?? "");
  }

  get _state(): ReadyState {
    return this.#leading?.connection._state ?? this.#state;
  }

  get lastEventId(): string {
    return this.#order.lastEventId;
  }

  start(): void {
    if (this.#state !== "closed") return;
    this.#state = "connecting";
    this.#order.leave();
    const channel = new this.#platform.Channel(this.#name);
    channel.onmessage = (event) => this.#receive(event.data as Wire);
    this.#channel = channel;
    this.#post({ t: "hello", from: this.#me });
    this.#stand();
    this.#unsubscribe = onLifecycle(
      () => this.#withdraw(),
      () => this.#stand(),
    );
  }

  close(): void {
    const leading = this.#leading;
    // The leader's connection tells `closed`, which ends this client.
    if (leading) leading.connection.close();
    else if (this.#state !== "closed") this.#end(undefined);
  }

  /** Asks for the lock: granted when this client is the next to lead. */
  #stand(): void {
    if (this.#state === "closed" || this.#candidacy) return;
    const candidacy = new AbortController();
    this.#candidacy = candidacy;
    const { signal } = candidacy;
    this.#platform.locks
      .request(this.#name, { signal }, () => (signal.aborted ? undefined : this.#lead()))
      .catch((error: unknown) => {
        if (signal.aborted) return;
        const { SSEError } = this.#request;
        this.#end(new SSEError("Could not take part in the shared stream", { cause: error }));
      });
  }

  /**
   * Steps back while the page is frozen: a frozen page can neither relay nor take over, so it
   * leaves the stream to the others and withdraws its request for the lock until it resumes.
   */
  #withdraw(): void {
    this.#candidacy?.abort();
    this.#candidacy = undefined;
    const leading = this.#leading;
    if (!leading) return;
    this.#leading = undefined;
    this.#state = "connecting";
    leading.connection.close();
    leading.release();
  }

  /** Holds the lock until the leadership ends: the returned promise is the lock's life. */
  #lead(): Promise<void> {
    return new Promise((release) => {
      const term = this.#order.lead(randomId());
      this.#post({ t: "lead", term });
      const { settings, connect } = this.#request;
      const resume = { ...settings, lastEventId: this.#order.lastEventId };
      // The sink looks the leadership up when the connection first tells something (never in
      // the constructor), by which time `leading` is set.
      const leading: Leadership = {
        term,
        relayed: term.from,
        open: undefined,
        release,
        connection: connect(
          resume,
          this.#relay(() => leading),
        ),
      };
      this.#leading = leading;
      leading.connection.start();
    });
  }

  /** The sink of the leader's connection: delivers here and relays to the others. */
  #relay(leadership: () => Leadership): ClientEvents {
    const events = this.#request.events;
    return {
      open: (response) => {
        const leading = leadership();
        events.open(response);
        leading.open = packResponse(response);
        this.#post({ t: "open", term: leading.term.id, r: leading.open });
      },
      message: (message) => {
        const leading = leadership();
        const term = leading.term.id;
        const s = ++leading.relayed;
        this.#post({ t: "message", term, s, m: message });
        this.#deliver(term, s, message);
      },
      comment: (text) => {
        this.#post({ t: "comment", term: leadership().term.id, c: text });
        events.comment(text);
      },
      error: (error) => {
        const leading = leadership();
        leading.open = undefined;
        this.#post({ t: "error", term: leading.term.id, e: packError(error) });
        events.error(error);
      },
      retry: (info) => {
        const leading = leadership();
        leading.open = undefined;
        this.#post(packRetry(leading.term.id, info as RetryInfo));
        events.retry(info);
      },
      // The connection stopped for good: `close()`, a fatal error, the end the server asked for.
      // The next client takes over with its own options. (A connection closed on a freeze is
      // no longer this client's leadership.)
      closed: (error) => {
        if (this.#leading === leadership()) this.#end(error);
      },
      backpressure: () => events.backpressure?.(),
    };
  }

  #receive(wire: Wire): void {
    if (this.#state === "closed") return;
    const order = this.#order;
    if (wire.t === "hello") {
      const leading = this.#leading;
      const at = leading && order.position(leading.relayed);
      if (at) this.#post({ t: "state", to: wire.from, at, open: leading.open });
      return;
    }
    // A leader hears only questions: what others relay is an earlier term's.
    if (this.#leading) return;
    const events = this.#request.events;
    const { SSEError } = this.#request;
    switch (wire.t) {
      case "state":
        if (wire.to !== this.#me || order.term) return;
        order.join(wire.at);
        if (wire.open) this.#opened(wire.open);
        return;
      case "lead":
        order.follow(wire.term);
        this.#state = "connecting";
        return;
      case "message":
        this.#deliver(wire.term, wire.s, wire.m);
        return;
    }
    if (wire.term !== order.term?.id) return;
    switch (wire.t) {
      case "open":
        this.#opened(wire.r);
        return;
      case "comment":
        events.comment(wire.c);
        return;
      case "error":
        this.#state = "connecting";
        events.error(unpackError(wire.e, SSEError));
        return;
      case "retry":
        this.#state = "connecting";
        events.retry(unpackRetry(wire, SSEError));
        return;
    }
  }

  /** A message, if {@link Order} says this client is to have it. */
  #deliver(term: string, s: number, message: SSEMessage): void {
    const lost = this.#order.accept(term, s, message);
    if (lost === false) return;
    const events = this.#request.events;
    if (lost > 0) {
      const { SSEError } = this.#request;
      events.error(new SSEError(`${lost} messages of the shared stream were lost in a handover`));
      if (this.#state === "closed") return;
    }
    events.message(message);
  }

  /** The leader's connection is open: so is this follower. A throwing `onOpen` closes it. */
  #opened(response: WireResponse): void {
    this.#state = "open";
    try {
      this.#request.events.open(unpackResponse(response));
    } catch (error) {
      this.#end(error as SSEError);
    }
  }

  #post(wire: Wire): void {
    this.#channel?.postMessage(wire);
  }

  /** This client is done: its lock (held or asked for) and its channel go, then `closed`. */
  #end(error: SSEError | undefined): void {
    const leading = this.#leading;
    this.#leading = undefined;
    leading?.release();
    this.#candidacy?.abort();
    this.#candidacy = undefined;
    this.#channel?.close();
    this.#channel = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#state = "closed";
    this.#request.events.closed(error);
  }
}
