/**
 * ssekit: a spec-exact, resilient Server-Sent Events client for every JavaScript runtime.
 *
 * This module is the whole public API.
 * @module
 */

export type { AuthOptions } from "./auth.js";
export { classifyStatus, isEventStream, type StatusDecision } from "./classify.js";
export {
  type ClientMessage,
  type EventMap,
  type MessageOf,
  SSEClient,
  type SSEClientOptions,
} from "./client.js";
export type { RetryContext } from "./client-connection.js";
export type { ReadyState, RetryInfo } from "./connection.js";
export { CallbackError } from "./errors/callback-error.js";
export { ContentTypeError } from "./errors/content-type-error.js";
export { DataParseError } from "./errors/data-parse-error.js";
export { HttpError } from "./errors/http-error.js";
export { IdleTimeoutError } from "./errors/idle-timeout-error.js";
export { MissingBodyError } from "./errors/missing-body-error.js";
export { NetworkError } from "./errors/network-error.js";
export { ParseError } from "./errors/parse-error.js";
export { RetriesExhaustedError } from "./errors/retries-exhausted-error.js";
export { SSEError } from "./errors/sse-error.js";
export {
  EventSource,
  type EventSourceEventMap,
  type EventSourceHandler,
  type EventSourceInit,
  type EventSourceMessageHandler,
} from "./event-source.js";
export { createParser, type ParserOptions, type SSEParser } from "./parse.js";
export type {
  BodyOption,
  BodyValue,
  HeadersOption,
  JsonBody,
  RequestInitFields,
} from "./request.js";
export {
  backoffDelay,
  parseRetryAfter,
  type ResolvedRetryOptions,
  type RetryOptions,
} from "./retry-policy.js";
export { SSEParserStream, type SSEParserStreamOptions } from "./stream.js";
export type { SSEMessage } from "./types.js";
