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
  declare readonly type: string;
  target: unknown = null;
  currentTarget: unknown = null;
  defaultPrevented = false;
  /** Set by `stopImmediatePropagation()` (unset is false; `declare` emits no field). */
  declare stopped?: boolean;

  constructor(type: string, init?: MessageInit) {
    this.type = type;
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
  // One list for every type: the few listeners an EventSource has need no index.
  #listeners: { type: string; listener: Listener; once: boolean }[] = [];

  addEventListener(
    type: string,
    listener: Listener | null,
    options?: boolean | { once?: boolean },
  ) {
    if (!listener || this.#listeners.some((e) => e.type === type && e.listener === listener))
      return;
    const once = !!(options as { once?: boolean } | undefined)?.once;
    // A new array: a dispatch in progress keeps iterating the one it started with.
    this.#listeners = [...this.#listeners, { type, listener, once }];
  }

  removeEventListener(type: string, listener: Listener | null) {
    this.#listeners = this.#listeners.filter((e) => e.type !== type || e.listener !== listener);
  }

  dispatchEvent(event: FallbackEvent): boolean {
    event.target = event.currentTarget = this;
    for (const entry of this.#listeners) {
      // Another type, or removed by an earlier listener of this dispatch: skipped, as the DOM does.
      if (entry.type !== event.type || !this.#listeners.includes(entry)) continue;
      if (entry.once) this.removeEventListener(entry.type, entry.listener);
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

/**
 * The platform, when its classes serve: it has all three (native targets only take native events)
 * and its `MessageEvent` keeps `lastEventId`. workerd's keeps only `data`, and its `EventTarget`
 * calls `on<type>` properties by itself, which would call EventSource's handlers twice: there the
 * fallbacks serve. Checked once.
 */
function usablePlatform(): typeof scope | undefined {
  const { EventTarget, Event, MessageEvent } = scope;
  if (!EventTarget || !Event || !MessageEvent) return undefined;
  return new MessageEvent("message", { lastEventId: "x" }).lastEventId === "x" ? scope : undefined;
}

// The calls are marked pure: a bundle without EventSource (SSEClient's, say) drops all of this.
const platform = /* @__PURE__ */ usablePlatform();

/** The platform's class `name`, or `fallback`. */
function platformOr<T>(name: "EventTarget" | "Event" | "MessageEvent", fallback: unknown): T {
  return (platform ? platform[name] : fallback) as T;
}

/** The platform's `EventTarget`, or the fallback. */
export const EventTargetBase: typeof EventTarget = /* @__PURE__ */ platformOr(
  "EventTarget",
  FallbackEventTarget,
);

/** The platform's `Event` (for `open` and `error`), or the fallback. */
export const EventClass: typeof Event = /* @__PURE__ */ platformOr("Event", FallbackEvent);

/**
 * The platform's `MessageEvent`, or the fallback: constructed with the init the spec's "dispatch
 * the event" step gives it (`data`, `origin`, `lastEventId`).
 */
export const MessageEventClass: typeof MessageEvent = /* @__PURE__ */ platformOr(
  "MessageEvent",
  FallbackEvent,
);

/** A `SyntaxError` `DOMException`, or an `Error` named and coded like one. */
export function syntaxError(message: string): Error {
  const DOMExceptionClass = scope.DOMException;
  if (DOMExceptionClass) return new DOMExceptionClass(message, "SyntaxError");
  return Object.assign(new Error(message), { name: "SyntaxError", code: 12 });
}
