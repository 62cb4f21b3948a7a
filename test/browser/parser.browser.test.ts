/**
 * The parser in real Chromium, on real fetch() response bodies from the fixture server
 * (test/fixtures/server.ts, started by global-setup.ts).
 */
import { describe, expect, inject, it } from "vitest";
import { createParser, type SSEMessage, type SSEParser, SSEParserStream } from "../../src/index.js";
import { msgWithId, own } from "../fixtures/messages.js";
import { readAll } from "../fixtures/streams.js";

const sseUrl = inject("sseUrl");

async function open(path: string): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(sseUrl + path);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  if (!response.body) throw new Error(`no body for ${path}`);
  return response.body;
}

/** fetch(path) -> body.pipeThrough(new SSEParserStream()) -> every message. */
async function messagesOf(path: string): Promise<SSEMessage[]> {
  return readAll((await open(path)).pipeThrough(new SSEParserStream()));
}

const UNICODE = [
  msgWithId("héllo wörld"),
  msgWithId("日本語テキスト"),
  msgWithId("emoji 👋🏽 and 𝄞"),
];

describe("SSEParserStream on fetch() bodies in Chromium", () => {
  it("parses a counter stream with ids", async () => {
    expect(await messagesOf("/counter?n=5")).toEqual(
      [1, 2, 3, 4, 5].map((i) => own(msgWithId(String(i), String(i)))),
    );
  });

  it("decodes UTF-8 split inside multi-byte characters", async () => {
    expect(await messagesOf("/unicode")).toEqual(UNICODE);
  });

  it("assembles an event that arrives one character at a time", async () => {
    expect(await messagesOf("/trickle")).toEqual([own(msgWithId("slow", "t1", "tick"))]);
  });

  it("handles CRLF line endings, including a CRLF split across chunks", async () => {
    expect(await messagesOf("/crlf")).toEqual([
      msgWithId("one"),
      own(msgWithId("two", "2")),
      msgWithId("three", "2", "end"),
    ]);
  });

  it("handles lone-CR line endings", async () => {
    expect(await messagesOf("/cr")).toEqual([
      msgWithId("one"),
      msgWithId("two\n2b"),
      msgWithId("three", "", "end"),
    ]);
  });

  // The server holds the connection open for 30 s after "data: one\r\r": a parser that waits for
  // the next byte (to see whether an LF follows the CR) times out here.
  it("dispatches on a chunk-final CR without waiting for more", { timeout: 5_000 }, async () => {
    const reader = (await open("/cr?hold=30000")).pipeThrough(new SSEParserStream()).getReader();
    const first = await reader.read();
    expect(first).toEqual({ done: false, value: msgWithId("one") });
    await reader.cancel();
  });
});

describe("createParser fed Uint8Array chunks from a body reader", () => {
  /** Feeds each chunk to the parser as the reader yields it; returns how many chunks there were. */
  async function pump(path: string, parser: SSEParser): Promise<number> {
    const reader = (await open(path)).getReader();
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      expect(value).toBeInstanceOf(Uint8Array);
      parser.feed(value);
      chunks++;
    }
    parser.end();
    return chunks;
  }

  it("decodes UTF-8 split across chunks", async () => {
    const messages: SSEMessage[] = [];
    const parser = createParser({ onMessage: (m) => messages.push(m) });
    expect(await pump("/unicode", parser)).toBeGreaterThan(0);
    expect(messages).toEqual(UNICODE);
  });

  it("handles lone-CR line endings", async () => {
    const messages: SSEMessage[] = [];
    const parser = createParser({ onMessage: (m) => messages.push(m) });
    await pump("/cr", parser);
    expect(messages).toEqual([
      msgWithId("one"),
      msgWithId("two\n2b"),
      msgWithId("three", "", "end"),
    ]);
  });

  it("tracks lastEventId across a stream", async () => {
    const messages: SSEMessage[] = [];
    const parser = createParser({ onMessage: (m) => messages.push(m) });
    await pump("/counter?n=3&delay=1", parser);
    expect(messages.map((m) => m.data)).toEqual(["1", "2", "3"]);
    expect(parser.lastEventId).toBe("3");
  });
});
