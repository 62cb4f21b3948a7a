/**
 * What clients of a shared stream tell each other over their `BroadcastChannel`: plain objects,
 * as structured cloning carries them. Errors and responses cannot cross as they are, so they
 * travel as their parts and are made again on the other side.
 */
import type { RetryInfo } from "../client/types.js";
import type { SSEError } from "../errors/sse-error.js";
import type { SSEMessage } from "../parser/message.js";
import type { Position, Term } from "./order.js";

/** An error as it crosses: its name and message. */
export interface WireError {
  name: string;
  message: string;
}

/** The leader's response, without its body: what a follower's `onOpen` gets. */
export interface WireResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
}

export type Wire =
  /** A client wants to know where the stream is (answered by the leader with `state`). */
  | { t: "hello"; from: string }
  /** The leader's answer to `hello`: where to join, and the response if the stream is open. */
  | { t: "state"; to: string; at: Position; open: WireResponse | undefined }
  /** A new leader took over. */
  | { t: "lead"; term: Term }
  /** A message at position `s` of term `term`. */
  | { t: "message"; term: string; s: number; m: SSEMessage }
  | { t: "open"; term: string; r: WireResponse }
  | { t: "comment"; term: string; c: string }
  | { t: "error"; term: string; e: WireError }
  | { t: "retry"; term: string; attempt: number; delay: number; cause: WireError | "end" };

export function packError(error: SSEError): WireError {
  return { name: error.name, message: error.message };
}

/** A relayed error, as an `SSEError` of the follower's (its class, not the leader's, is lost). */
export function unpackError(error: WireError, Made: typeof SSEError): SSEError {
  return new Made(`${error.name} on the shared connection: ${error.message}`);
}

export function packResponse(response: Response): WireResponse {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
  };
}

/** The leader's response as a follower sees it: status and headers, no body. */
export function unpackResponse(response: WireResponse): Response {
  const { status, statusText, headers } = response;
  return new Response(null, { status, statusText, headers });
}

export function packRetry(term: string, info: RetryInfo): Wire & { t: "retry" } {
  const { attempt, delay, cause } = info;
  return { t: "retry", term, attempt, delay, cause: cause === "end" ? cause : packError(cause) };
}

export function unpackRetry(wire: Wire & { t: "retry" }, Made: typeof SSEError): RetryInfo {
  const { attempt, delay, cause } = wire;
  return { attempt, delay, cause: cause === "end" ? cause : unpackError(cause, Made) };
}
