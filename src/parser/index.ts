/**
 * The parser alone, for code that brings its own transport: `import { createParser } from
 * "ssekit/parser"` pulls in nothing of the client.
 * @module
 */
export { ParseError } from "../errors/parse-error.js";
export { SSEError } from "../errors/sse-error.js";
export type { SSEMessage } from "./message.js";
export { createParser, type ParserOptions, type SSEParser } from "./parser.js";
export { SSEParserStream, type SSEParserStreamOptions } from "./stream.js";
