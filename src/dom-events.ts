/**
 * `Event`, `MessageEvent`, `EventTarget` and `DOMException`: the platform's own where they exist
 * (so `instanceof` works for users), small equivalents where they do not (Hermes on React Native
 * has none of them). The equivalents implement what `EventSource` users touch, no more.
 */

type Listener = ((event: Event) => unknown) | { handleEvent(event: Event): unknown };

interface MessageInit {
  data: string;
  origin: string;
  lastEventId: string;
}

/** An `Event` (and, with `init`, a `MessageEvent`) with the members listeners read. */
class FallbackEvent {
  target: unknown = null;
  currentTarget: unknown = null;
  defaultPrevented = false;
  /** Set by `stopImmediatePropagation()`. */
  stopped = false;

  constructor(
    readonly type: string,
    init?: MessageInit,
  ) {
    // A MessageEvent's members; `ports` and `source` as an EventSource's events have them.
    if (init) Object.assign(this, init, { ports: [], source: null });
  }

  preventDefault(): void {}

  stopPropagation(): void {}

  stopImmediatePropagation(): void {
    this.stopped = true;
  }
}

/** An `EventTarget`: listeners run in order, once each per listener, `once` supported. */
class FallbackEventTarget {
  #listeners = new Map<string, { listener: Listener; once: boolean }[]>();

  addEventListener(
    type: string,
    listener: Listener | null,
    options?: boolean | { once?: boolean },
  ) {
    const entries = this.#listeners.get(type) ?? [];
    if (!listener || entries.some((entry) => entry.listener === listener)) return;
    // A new array: a dispatch in progress keeps iterating the one it started with.
    this.#listeners.set(type, [
      ...entries,
      { listener, once: typeof options === "object" && !!options.once },
    ]);
  }

  removeEventListener(type: string, listener: Listener | null) {
    const entries = this.#listeners.get(type);
    if (entries)
      this.#listeners.set(
        type,
        entries.filter((entry) => entry.listener !== listener),
      );
  }

  dispatchEvent(event: FallbackEvent): boolean {
    event.target = event.currentTarget = this;
    for (const entry of this.#listeners.get(event.type) ?? []) {
      // Removed by an earlier listener of this dispatch: skipped, as the DOM does.
      if (!this.#listeners.get(event.type)?.includes(entry)) continue;
      if (entry.once) this.removeEventListener(event.type, entry.listener);
      const { listener } = entry;
      try {
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
const native = scope.EventTarget && scope.Event && scope.MessageEvent ? scope : undefined;

/** The platform's `EventTarget`, or the fallback. */
export const EventTargetBase: typeof EventTarget =
  native?.EventTarget ?? (FallbackEventTarget as unknown as typeof EventTarget);

/** Creates a plain event (`open`, `error`). */
export function createEvent(type: string): Event {
  return native?.Event ? new native.Event(type) : (new FallbackEvent(type) as unknown as Event);
}

/** Creates a `MessageEvent` as the spec's "dispatch the event" step initialises it. */
export function createMessageEvent(type: string, init: MessageInit): MessageEvent {
  return native?.MessageEvent
    ? new native.MessageEvent(type, init)
    : (new FallbackEvent(type, init) as unknown as MessageEvent);
}

/** A `SyntaxError` `DOMException`, or an `Error` named and coded like one. */
export function syntaxError(message: string): Error {
  const DOMExceptionClass = scope.DOMException;
  if (DOMExceptionClass) return new DOMExceptionClass(message, "SyntaxError");
  return Object.assign(new Error(message), { name: "SyntaxError", code: 12 });
}
