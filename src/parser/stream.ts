import type { SSEMessage } from "./message.js";
import { createParser, type ParserOptions, type SSEParser } from "./parser.js";

/** Options of {@link SSEParserStream}: those of {@link createParser} but `onMessage`. */
export type SSEParserStreamOptions = Omit<ParserOptions, "onMessage">;

/**
 * A `TransformStream` from the bytes (or text) of an event stream to its messages, so that
 * `response.body.pipeThrough(new SSEParserStream())` just works. It decodes UTF-8 itself: piping
 * through a `TextDecoderStream` first would only add a second stage's cost.
 *
 * Without an `onError` option, a {@link ParseError} errors the stream; with it, the offending
 * event is discarded and the stream goes on. The end of input ends the stream; an unterminated
 * last event is discarded unless `flushOnEnd` is set.
 *
 * @example
 * ```ts
 * const messages = response.body.pipeThrough(new SSEParserStream());
 * for await (const message of messages) console.log(message.data);
 * ```
 */
export class SSEParserStream extends TransformStream<Uint8Array | string, SSEMessage> {
  constructor(options: SSEParserStreamOptions = {}) {
    let parser: SSEParser;
    super({
      start(controller) {
        parser = createParser({ ...options, onMessage: (message) => controller.enqueue(message) });
      },
      transform(chunk) {
        parser.feed(chunk);
      },
      flush() {
        parser.end();
      },
    });
  }
}
