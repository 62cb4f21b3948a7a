/**
 * Builds the request of one client connection: the base engine's request plus JSON bodies, the
 * auth token, streaming bodies, and failing user callbacks reported as {@link CallbackError}.
 * Headers, token and body are evaluated anew every time, so a reconnection never sends a stale
 * token or a consumed body.
 */
import {
  type BaseRequestSettings,
  baseRequest,
  type Call,
  type JsonBody,
} from "../engine/request.js";
import { CallbackError } from "../errors/callback-error.js";
import { type AuthOptions, authEpoch } from "./auth.js";

/** What {@link buildRequest} needs. */
export interface RequestSettings extends BaseRequestSettings {
  auth: AuthOptions | undefined;
}

/** A request ready for `fetch`, and the auth refresh epoch it was built in. */
export interface BuiltRequest {
  init: RequestInit;
  epoch: number;
}

/** Runs a user callback, wrapping what it throws so the error names the option. */
const wrappingCall: Call = async (option, fn) => {
  try {
    return await fn();
  } catch (error) {
    throw new CallbackError(option, error);
  }
};

function isJsonBody(value: unknown): value is JsonBody {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * {@link baseRequest} plus what {@link SSEClient} adds: JSON bodies, the auth token, streaming
 * bodies, and failing user callbacks reported as {@link CallbackError}.
 */
export async function buildRequest(
  settings: RequestSettings,
  lastEventId: string,
  signal: AbortSignal,
): Promise<BuiltRequest> {
  const init = await baseRequest(settings, lastEventId, signal, wrappingCall);
  const { headers, body } = init;
  const { auth } = settings;
  const epoch = auth ? authEpoch(auth) : 0;
  if (auth) {
    const token = await wrappingCall("auth.token", auth.token);
    if (token) headers.set("authorization", `Bearer ${token}`);
  }
  if (isJsonBody(body)) {
    init.body = JSON.stringify(body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  // A stream body needs half duplex in fetch implementations that follow the current spec.
  if (typeof ReadableStream !== "undefined" && body instanceof ReadableStream) {
    (init as { duplex?: string }).duplex = "half";
  }
  return { init, epoch };
}
