/**
 * `Event`, `MessageEvent`, `EventTarget` and `DOMException`: the platform's own where they exist
 * (so `instanceof` works for users), small equivalents where they do not (Hermes on React Native
 * has none of them). Only what `EventSource` needs is implemented.
 */

type Listener = ((event: Event) => unknown) | { handleEvent(event: Event): unknown };

interface ListenerEntry {
  listener: Listener;
  once: boolean;
}

/** An `Event` with the fields `EventSource` users read. */
class FallbackEvent {
  static readonly NONE = 0;
  static readonly CAPTURING_PHASE = 1;
  static readonly AT_TARGET = 2;
  static readonly BUBBLING_PHASE = 3;
  readonly type: string;
  readonly bubbles = false;
  readonly cancelable = false;
  readonly composed = false;
  readonly isTrusted = false;
  readonly timeStamp = Date.now();
  defaultPrevented = false;
  target: unknown = null;
  currentTarget: unknown = null;
  eventPhase = 0;
  /** @internal */
  stopped = false;

  constructor(type: string) {
    this.type = String(type);
  }

  preventDefault(): void {}

  stopPropagation(): void {}

  stopImmediatePropagation(): void {
    this.stopped = true;
  }

  composedPath(): unknown[] {
    return this.currentTarget ? [this.currentTarget] : [];
  }
}

interface MessageEventInit {
  data?: unknown;
  origin?: string;
  lastEventId?: string;
}

/** A `MessageEvent` as `EventSource` dispatches it. */
class FallbackMessageEvent extends FallbackEvent {
  readonly data: unknown;
  readonly origin: string;
  readonly lastEventId: string;
  readonly source = null;
  readonly ports: readonly unknown[] = [];

  constructor(type: string, init: MessageEventInit = {}) {
    super(type);
    this.data = init.data ?? null;
    this.origin = init.origin ?? "";
    this.lastEventId = init.lastEventId ?? "";
  }
}

/** An `EventTarget` with `once` support: listeners run in order, each once per dispatch. */
class FallbackEventTarget {
  #listeners = new Map<string, ListenerEntry[]>();

  addEventListener(
    type: string,
    listener: Listener | null,
    options?: boolean | { once?: boolean },
  ): void {
    if (listener == null) return;
    const entries = this.#listeners.get(type) ?? [];
    if (entries.some((entry) => entry.listener === listener)) return;
    entries.push({ listener, once: typeof options === "object" && options.once === true });
    this.#listeners.set(type, entries);
  }

  removeEventListener(type: string, listener: Listener | null): void {
    const entries = this.#listeners.get(type);
    if (!entries || listener == null) return;
    const index = entries.findIndex((entry) => entry.listener === listener);
    if (index === -1) return;
    // Replaced, not spliced in place: a dispatch in progress iterates the old array.
    const rest = entries.slice();
    rest.splice(index, 1);
    this.#listeners.set(type, rest);
  }

  dispatchEvent(event: FallbackEvent): boolean {
    event.target = this;
    event.currentTarget = this;
    event.eventPhase = 2;
    // A copy: listeners added during dispatch wait for the next event, removed ones are skipped.
    const entries = this.#listeners.get(event.type) ?? [];
    for (const entry of entries) {
      if (!this.#listeners.get(event.type)?.includes(entry)) continue;
      if (entry.once) this.removeEventListener(event.type, entry.listener);
      try {
        const { listener } = entry;
        if (typeof listener === "function") listener.call(this, event as unknown as Event);
        else listener.handleEvent(event as unknown as Event);
      } catch (error) {
        // As a DOM EventTarget does: report, and go on with the other listeners.
        queueMicrotask(() => {
          throw error;
        });
      }
      if (event.stopped) break;
    }
    event.currentTarget = null;
    event.eventPhase = 0;
    return !event.defaultPrevented;
  }
}

const scope = globalThis as unknown as {
  Event?: typeof Event;
  MessageEvent?: typeof MessageEvent;
  EventTarget?: typeof EventTarget;
  DOMException?: typeof DOMException;
};

/** The platform's classes when it has all three (native targets only take native events). */
const native =
  scope.EventTarget && scope.Event && scope.MessageEvent
    ? { EventTarget: scope.EventTarget, Event: scope.Event, MessageEvent: scope.MessageEvent }
    : undefined;

/** The platform's `EventTarget`, or the fallback. */
export const EventTargetBase: typeof EventTarget =
  native?.EventTarget ?? (FallbackEventTarget as unknown as typeof EventTarget);

/** Creates a plain event (`open`, `error`). */
export function createEvent(type: string): Event {
  return native ? new native.Event(type) : (new FallbackEvent(type) as unknown as Event);
}

/** Creates a `MessageEvent` as the spec's "dispatch the event" step initialises it. */
export function createMessageEvent(type: string, init: Required<MessageEventInit>): MessageEvent {
  return native
    ? new native.MessageEvent(type, init)
    : (new FallbackMessageEvent(type, init) as unknown as MessageEvent);
}

/** A `SyntaxError` `DOMException`, or an `Error` named and coded like one. */
export function syntaxError(message: string): Error {
  const DOMExceptionClass = scope.DOMException;
  if (DOMExceptionClass) return new DOMExceptionClass(message, "SyntaxError");
  const error = new Error(message) as Error & { code: number };
  error.name = "SyntaxError";
  error.code = 12;
  return error;
}
