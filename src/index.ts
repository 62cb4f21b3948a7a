/**
 * ssekit: a spec-exact, resilient Server-Sent Events client for every JavaScript runtime.
 *
 * This module is the whole public API.
 * @module
 */

export type { AuthOptions } from "./client/auth.js";
export { classifyStatus, type StatusDecision } from "./client/classify.js";
export { SSEClient } from "./client/client.js";
export {
  backoffDelay,
  parseRetryAfter,
  type ResolvedRetryOptions,
  type RetryOptions,
} from "./client/retry-policy.js";
export type {
  ClientMessage,
  DataMap,
  EventMap,
  MessageOf,
  ParseOption,
  RetryContext,
  RetryInfo,
  ShareOptions,
  SSEClientOptions,
} from "./client/types.js";
export type {
  BodyOption,
  BodyValue,
  HeadersOption,
  JsonBody,
  RequestInitFields,
} from "./engine/request.js";
export { isEventStream } from "./engine/response.js";
export type { ReadyState } from "./engine/types.js";
export { createXhrFetch, type XhrFetchOptions } from "./engine/xhr.js";
export { CallbackError } from "./errors/callback-error.js";
export { ConnectTimeoutError } from "./errors/connect-timeout-error.js";
export { ContentTypeError } from "./errors/content-type-error.js";
export { DataParseError } from "./errors/data-parse-error.js";
export { HttpError } from "./errors/http-error.js";
export { IdleTimeoutError } from "./errors/idle-timeout-error.js";
export { MissingBodyError } from "./errors/missing-body-error.js";
export { NetworkError } from "./errors/network-error.js";
export { ParseError } from "./errors/parse-error.js";
export { ResponseInterruptedError } from "./errors/response-interrupted-error.js";
export { RetriesExhaustedError } from "./errors/retries-exhausted-error.js";
export { SSEError } from "./errors/sse-error.js";
export {
  EventSource,
  type EventSourceEventMap,
  type EventSourceHandler,
  type EventSourceInit,
  type EventSourceMessageHandler,
} from "./event-source/event-source.js";
export type { SSEMessage } from "./parser/message.js";
export { createParser, type ParserOptions, type SSEParser } from "./parser/parser.js";
export { SSEParserStream, type SSEParserStreamOptions } from "./parser/stream.js";
