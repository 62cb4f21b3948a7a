/** SSEParserStream: the parser as a TransformStream from bytes or text to messages. */
import { describe, expect, it } from "vitest";
import {
  ParseError,
  type SSEMessage,
  SSEParserStream,
  type SSEParserStreamOptions,
} from "../../src/index.js";
import { msg, own } from "../fixtures/messages.js";
import { readAll, streamOf } from "../fixtures/streams.js";

const encoder = new TextEncoder();

function parseBytes(chunks: Uint8Array[], options?: SSEParserStreamOptions): Promise<SSEMessage[]> {
  return readAll(streamOf(chunks).pipeThrough(new SSEParserStream(options)));
}

describe("SSEParserStream", () => {
  it("parses a fetch Response body", async () => {
    const body = "\uFEFFid: 1\nevent: greet\ndata: hello\ndata: world\n\ndata: 😀\r\n\r\n";
    const response = new Response(encoder.encode(body));
    if (!response.body) throw new Error("no body");
    const messages = await readAll(response.body.pipeThrough(new SSEParserStream()));
    expect(messages).toEqual([own(msg("hello\nworld", "greet", "1")), msg("😀", "message", "1")]);
  });

  it("parses a Response whose body is a stream of one-byte chunks", async () => {
    const bytes = encoder.encode("data:é€😀\r\n\r\ndata:2\r\r");
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    const response = new Response(streamOf(chunks));
    if (!response.body) throw new Error("no body");
    const messages = await readAll(response.body.pipeThrough(new SSEParserStream()));
    expect(messages).toEqual([msg("é€😀"), msg("2")]);
  });

  it("accepts text chunks", async () => {
    const stream = streamOf([
      "\uFEFFdata: a",
      "\r",
      "\ndata: b\r",
      "\n",
      "\n",
      "event:x\ndata:c\n\n",
    ]);
    const messages = await readAll(stream.pipeThrough(new SSEParserStream()));
    expect(messages).toEqual([msg("a\nb"), msg("c", "x")]);
  });

  it("decodes UTF-8 split across chunks and replaces invalid bytes", async () => {
    const emoji = encoder.encode("😀");
    const messages = await parseBytes([
      encoder.encode("data:"),
      emoji.subarray(0, 1),
      emoji.subarray(1, 3),
      Uint8Array.of(emoji[3] ?? 0, 0xff),
      encoder.encode("\n\n"),
    ]);
    expect(messages).toEqual([msg("😀\uFFFD")]);
  });

  it("passes onComment, onRetry and lastEventId through", async () => {
    const comments: string[] = [];
    const retries: number[] = [];
    const messages = await parseBytes(
      [encoder.encode(": hi\nretry: 1500\ndata: a\n\nid: 2\ndata: b\n\n")],
      {
        onComment: (c) => comments.push(c),
        onRetry: (ms) => retries.push(ms),
        lastEventId: "1",
      },
    );
    expect(messages).toEqual([msg("a", "message", "1"), own(msg("b", "message", "2"))]);
    expect(comments).toEqual([" hi"]);
    expect(retries).toEqual([1500]);
  });

  it("discards an unterminated last event at the end of input", async () => {
    const messages = await parseBytes([encoder.encode("data: a\n\ndata: b\n")]);
    expect(messages).toEqual([msg("a")]);
    const noNewline = await readAll(
      streamOf(["data: a\n\ndata: b"]).pipeThrough(new SSEParserStream()),
    );
    expect(noNewline).toEqual([msg("a")]);
  });

  it("with flushOnEnd, dispatches an unterminated last event at the end of input", async () => {
    const messages = await parseBytes([encoder.encode("data: a\n\nevent: e\ndata: b")], {
      flushOnEnd: true,
    });
    expect(messages).toEqual([msg("a"), msg("b", "e")]);
  });

  it("errors the stream with the ParseError when there is no onError", async () => {
    const stream = streamOf([
      encoder.encode("data: a\n\n"),
      encoder.encode(`data: ${"x".repeat(100)}\n\n`),
    ]);
    const reader = stream.pipeThrough(new SSEParserStream({ maxEventSize: 16 })).getReader();
    expect(await reader.read()).toEqual({ done: false, value: msg("a") });
    const error = await reader.read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).limit).toBe(16);
  });

  it("errors the stream when a too-long line spans chunks", async () => {
    const chunks = Array.from({ length: 10 }, () => encoder.encode("y".repeat(10)));
    const stream = streamOf([encoder.encode("data:"), ...chunks, encoder.encode("\n\n")]);
    await expect(
      readAll(stream.pipeThrough(new SSEParserStream({ maxEventSize: 32 }))),
    ).rejects.toBeInstanceOf(ParseError);
  });

  it("reports the ParseError to onError and goes on when onError is given", async () => {
    const errors: ParseError[] = [];
    const messages = await parseBytes(
      [
        encoder.encode("data: a\n\n"),
        encoder.encode(`data: ${"x".repeat(50)}`),
        encoder.encode(`${"x".repeat(50)}\n\n`),
        encoder.encode("data: b\n\n"),
      ],
      { maxEventSize: 16, onError: (e) => errors.push(e) },
    );
    expect(messages).toEqual([msg("a"), msg("b")]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ParseError);
    expect(errors[0]?.reason).toBe("max-event-size-exceeded");
  });

  it("yields nothing for an empty body", async () => {
    expect(
      await readAll(new Response("").body?.pipeThrough(new SSEParserStream()) ?? streamOf([])),
    ).toEqual([]);
    expect(await parseBytes([])).toEqual([]);
  });

  it("is a TransformStream", () => {
    const stream = new SSEParserStream();
    expect(stream).toBeInstanceOf(TransformStream);
    expect(stream.readable).toBeInstanceOf(ReadableStream);
    expect(stream.writable).toBeInstanceOf(WritableStream);
  });

  it("delivers messages as chunks are written, before the input ends", async () => {
    const stream = new SSEParserStream();
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    void writer.write(encoder.encode("data: first\n\n"));
    expect(await reader.read()).toEqual({ done: false, value: msg("first") });
    void writer.write("data: second\r");
    void writer.write("\r");
    expect(await reader.read()).toEqual({ done: false, value: msg("second") });
    void writer.close();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
  });
});
