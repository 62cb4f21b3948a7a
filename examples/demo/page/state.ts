/**
 * A stream's connection state, shown in a badge: the client's lifecycle callbacks (`onOpen`,
 * `onRetry`, `onError`, `onClose`) drive it, with a line in the panel's log for each.
 */
import type { RetryInfo, SSEClientOptions, SSEError } from "../../../src/index.js";
import type { Log } from "./ui.js";

type StateCallbacks = Required<
  Pick<SSEClientOptions, "onOpen" | "onRetry" | "onError" | "onClose">
>;

/** What a badge says: `connecting` and `reconnecting` are both the client's `"connecting"`. */
export type BadgeState = "connecting" | "open" | "reconnecting" | "closed" | "failed";

/** Shows `state` (and a detail) in `badge`. */
export function showState(badge: HTMLElement, state: BadgeState, detail = ""): void {
  badge.dataset.state = state;
  badge.textContent = detail ? `${state} · ${detail}` : state;
}

/** Why a connection ended, in a few words. */
export function causeOf(cause: SSEError | "end"): string {
  return cause === "end" ? "the server ended the stream" : `${cause.name}: ${cause.message}`;
}

/** Callbacks that keep `badge` showing the state of the client they are given to. */
export function trackState(badge: HTMLElement, log: Log): StateCallbacks {
  /** The last error: a transient one is followed by onRetry, the fatal one by onClose. */
  let error: SSEError | undefined;
  showState(badge, "connecting");
  return {
    onOpen: (response) => showState(badge, "open", String(response.status)),
    onRetry: ({ attempt, delay, cause }: RetryInfo) => {
      error = undefined;
      showState(badge, "reconnecting", `in ${delay} ms`);
      log(`${causeOf(cause)}; reconnecting in ${delay} ms (attempt ${attempt})`, "warn");
    },
    onError: (cause) => {
      error = cause;
    },
    onClose: () => {
      if (error) log(`stopped by ${causeOf(error)}`, "bad");
      showState(badge, error ? "failed" : "closed");
      error = undefined;
    },
  };
}
