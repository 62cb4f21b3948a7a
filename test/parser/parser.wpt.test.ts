/**
 * The parsing cases of web-platform-tests `eventsource/` (format-*.any.js / *.window.js,
 * event-data.any.js, eventsource-onmessage.any.js), restated for the parser: each test gives the
 * exact body the WPT server script sends and the messages and retry values an EventSource must
 * produce from it. A reconnection (the WPT tests that see a second response) is an `end()`
 * followed by the next response's body; the parser keeps the last event ID across it, as the
 * browser sends it back in `Last-Event-ID`.
 *
 * How the WPT server scripts build bodies:
 * - resources/message.py: `message` (default "data: data") + "\n\n" (or "" with newline=none),
 *   always followed by one more "\n".
 * - resources/message2.py: repeats "data:msg\ndata: msg\n\n:\nfalsefield:msg\n\nfalsefield:msg\n
 *   Data:data\n\ndata\n\ndata:end\n\n" every two seconds.
 * - resources/last-event-id.py: with a Last-Event-ID request header, "data: <that id>\n\n";
 *   otherwise "id: <idvalue, default U+2026>\nretry: 200\ndata: hello\n\n".
 * - resources/last-event-id2.py: fixed bodies, per `type`, quoted in the tests below.
 *
 * Not restated: format-mime-bogus, format-mime-trailing-semicolon and format-mime-valid-bogus test
 * the Content-Type check, which belongs to the client, not to the parser.
 *
 * Every case runs with three feedings: the whole body as bytes, one byte per chunk, and as text in
 * chunks of one code point.
 */
import { describe, expect, it } from "vitest";
import { createParser, type SSEMessage } from "../../src/index.js";
import { msgWithId, own } from "../fixtures/messages.js";

type Body = string | Uint8Array;

interface Outcome {
  messages: SSEMessage[];
  retries: number[];
  comments: string[];
  lastEventId: string;
}

const feedings = ["whole", "bytewise", "text"] as const;
type Feeding = (typeof feedings)[number];

const encoder = new TextEncoder();

/** Parses `bodies` as successive responses of one EventSource (end() between them). */
function run(bodies: Body[], feeding: Feeding): Outcome {
  const outcome: Outcome = { messages: [], retries: [], comments: [], lastEventId: "" };
  const parser = createParser({
    onMessage: (m) => outcome.messages.push(m),
    onRetry: (ms) => outcome.retries.push(ms),
    onComment: (c) => outcome.comments.push(c),
  });
  for (const body of bodies) {
    const raw = typeof body === "string" ? encoder.encode(body) : body;
    if (feeding === "whole") {
      parser.feed(raw);
    } else if (feeding === "bytewise") {
      for (let i = 0; i < raw.length; i++) parser.feed(raw.subarray(i, i + 1));
    } else {
      // Text as a TextDecoderStream would hand it over, but one code point per chunk; the BOM is
      // kept (ignoreBOM) so that the parser has to strip it itself.
      const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(raw);
      for (const char of text) parser.feed(char);
    }
    parser.end();
  }
  outcome.lastEventId = parser.lastEventId;
  return outcome;
}

/** The body resources/message.py sends. */
function messagePy(message = "data: data", newline: "none" | undefined = undefined): string {
  return `${message}${newline === "none" ? "" : "\n\n"}\n`;
}

const MESSAGE2_BLOCK =
  "data:msg\ndata: msg\n\n:\nfalsefield:msg\n\nfalsefield:msg\nData:data\n\ndata\n\ndata:end\n\n";

/** The first body resources/last-event-id.py sends (no Last-Event-ID request header). */
function lastEventIdPy(idvalue = "\u2026"): string {
  return `id: ${idvalue}\nretry: 200\ndata: hello\n\n`;
}

describe.each(feedings)("WPT eventsource, fed %s", (feeding) => {
  it("format-bom.any.js: strips the BOM at the start of the stream, not a later one", () => {
    const body = new Uint8Array([
      ...[0xef, 0xbb, 0xbf],
      ...encoder.encode("data:1\n\n"),
      ...[0xef, 0xbb, 0xbf],
      ...encoder.encode(messagePy("data:2\n\ndata:3")),
    ]);
    const out = run([body], feeding);
    // "2" is lost: its line reads "\uFEFFdata:2", an unknown field.
    expect(out.messages).toEqual([msgWithId("1"), msgWithId("3")]);
  });

  it("format-bom-2.any.js: strips only the first of two BOMs", () => {
    const body = new Uint8Array([
      ...[0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf],
      ...encoder.encode(messagePy("data:1\n\ndata:2\n\ndata:3")),
    ]);
    expect(run([body], feeding).messages).toEqual([msgWithId("2"), msgWithId("3")]);
  });

  it("format-comments.any.js: comments with every line ending leave the event intact", () => {
    const long = "x".repeat(2048);
    const body = messagePy(
      `data:1\r:\0\n:\r\ndata:2\n:${long}\rdata:3\n:data:fail\r:${long}\ndata:4\n`,
      "none",
    );
    const out = run([body], feeding);
    expect(out.messages).toEqual([msgWithId("1\n2\n3\n4")]);
    expect(out.comments).toEqual(["\0", "", long, "data:fail", long]);
  });

  it("format-data-before-final-empty-line.any.js: an event cut off by the end of the stream is dropped, id and all", () => {
    const body = messagePy("retry:1000\ndata:test1\n\nid:test\ndata:test2", "none");
    // The body ends "data:test2\n" with no blank line; the browser reconnects and gets it again.
    const out = run([body, body], feeding);
    expect(out.messages).toEqual([msgWithId("test1"), msgWithId("test1")]);
    expect(out.retries).toEqual([1000, 1000]);
    expect(out.lastEventId).toBe("");
  });

  it("format-field-data.any.js: `data:` gives empty data, `data` twice gives one LF", () => {
    const out = run([messagePy("data:\n\ndata\ndata\n\ndata:test")], feeding);
    expect(out.messages).toEqual([msgWithId(""), msgWithId("\n"), msgWithId("test")]);
  });

  it("format-field-event-empty.any.js: `event: ` (empty after the space) keeps type message", () => {
    const out = run([messagePy("event: \ndata:data")], feeding);
    expect(out.messages).toEqual([msgWithId("data")]);
  });

  it("format-field-event.any.js: a custom event type, then back to message", () => {
    const out = run([messagePy("event:test\ndata:x\n\ndata:x")], feeding);
    expect(out.messages).toEqual([msgWithId("x", "", "test"), msgWithId("x")]);
  });

  it("format-field-id.any.js: a non-ASCII id is kept and sent back on reconnection", () => {
    // Second response: the server echoes the Last-Event-ID header it got as data.
    const out = run([lastEventIdPy(), "data: \u2026\n\n"], feeding);
    expect(out.messages).toEqual([
      own(msgWithId("hello", "\u2026")),
      msgWithId("\u2026", "\u2026"),
    ]);
    expect(out.retries).toEqual([200]);
  });

  it("format-field-id-2.any.js: the id persists over two reconnections", () => {
    const out = run([lastEventIdPy(), "data: \u2026\n\n", "data: \u2026\n\n"], feeding);
    expect(out.messages).toEqual([
      own(msgWithId("hello", "\u2026")),
      msgWithId("\u2026", "\u2026"),
      msgWithId("\u2026", "\u2026"),
    ]);
  });

  it("format-field-id-3.window.js: lastEventId persists", () => {
    const out = run(["id: 1\ndata: 1\n\ndata: 2\n\nid: 2\ndata:3\n\ndata:4\n\n"], feeding);
    expect(out.messages).toEqual([
      own(msgWithId("1", "1")),
      msgWithId("2", "1"),
      own(msgWithId("3", "2")),
      msgWithId("4", "2"),
    ]);
  });

  it("format-field-id-3.window.js: lastEventId resets", () => {
    const out = run(["id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n"], feeding);
    expect(out.messages).toEqual([
      own(msgWithId("1", "1")),
      own(msgWithId("2", "")),
      msgWithId("3", ""),
    ]);
  });

  it("format-field-id-3.window.js: lastEventId resets (id without colon)", () => {
    const out = run(["id: 1\ndata: 1\n\nid\ndata:2\n\ndata:3\n\n"], feeding);
    expect(out.messages).toEqual([
      own(msgWithId("1", "1")),
      own(msgWithId("2", "")),
      msgWithId("3", ""),
    ]);
  });

  it.each(["\0\0", "x\0", "\0x", "x\0x", " \0"])(
    "format-field-id-null.window.js: id field set to %j is ignored",
    (idvalue) => {
      // lastEventId stays empty, so the reconnection carries no header and gets "hello" again.
      const out = run([lastEventIdPy(idvalue), lastEventIdPy(idvalue)], feeding);
      expect(out.messages).toEqual([msgWithId("hello"), msgWithId("hello")]);
      expect(out.retries).toEqual([200, 200]);
      expect(out.lastEventId).toBe("");
    },
  );

  it("format-field-parsing.any.js: field names, NUL, spaces and all three line endings", () => {
    const body = messagePy(
      "data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n",
      "none",
    );
    expect(run([body], feeding).messages).toEqual([msgWithId("\0\n 2\n1\n3\n\n4")]);
  });

  it("format-field-retry.any.js: a retry with a leading zero is decimal, not octal", () => {
    const out = run([messagePy("retry:03000\ndata:x")], feeding);
    expect(out.retries).toEqual([3000]);
    expect(out.messages).toEqual([msgWithId("x")]);
  });

  it("format-field-retry-bogus.any.js: a retry value that is not all digits is ignored", () => {
    const out = run([messagePy("retry:3000\nretry:1000x\ndata:x")], feeding);
    expect(out.retries).toEqual([3000]);
    expect(out.messages).toEqual([msgWithId("x")]);
  });

  it("format-field-retry-empty.any.js: `retry` without a value is ignored", () => {
    const out = run([messagePy("retry\ndata:test")], feeding);
    expect(out.retries).toEqual([]);
    expect(out.messages).toEqual([msgWithId("test")]);
  });

  it("format-field-unknown.any.js: unknown fields, a bare word and a comment are ignored", () => {
    const body = messagePy(
      "data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test",
    );
    const out = run([body], feeding);
    expect(out.messages).toEqual([msgWithId("test\n\ntest")]);
    expect(out.comments).toEqual(["thisisacommentyay"]);
  });

  it("format-leading-space.any.js: a tab is kept, one space is removed, CR ends a line", () => {
    const out = run([messagePy("data:\ttest\rdata: \ndata:test")], feeding);
    expect(out.messages).toEqual([msgWithId("\ttest\n\ntest")]);
  });

  it("format-newlines.any.js: CRLF, LF and a CR whose LF comes last", () => {
    // The body ends "\r\n\r" + "\n": that last CRLF is the blank line.
    const out = run([messagePy("data:test\r\ndata\ndata:test\r\n\r", "none")], feeding);
    expect(out.messages).toEqual([msgWithId("test\n\ntest")]);
  });

  it("format-null-character.any.js: U+0000 in data is kept", () => {
    expect(run([messagePy("data:\0\n\n")], feeding).messages).toEqual([msgWithId("\0")]);
  });

  it("format-utf-8.any.js: the stream is UTF-8 whatever charset the server claims", () => {
    const body = new Uint8Array([
      ...encoder.encode("data:ok"),
      ...[0xe2, 0x80, 0xa6],
      ...encoder.encode("\n\n\n"),
    ]);
    expect(run([body], feeding).messages).toEqual([msgWithId("ok\u2026")]);
  });

  it.each([
    ["LF", "\n"],
    ["CR", "\r"],
    ["CRLF", "\r\n"],
  ])("event-data.any.js: lines and data parsing, with %s line endings", (_name, eol) => {
    const body = (MESSAGE2_BLOCK + MESSAGE2_BLOCK).replaceAll("\n", eol);
    const out = run([body], feeding);
    expect(out.messages).toEqual([
      msgWithId("msg\nmsg"),
      msgWithId(""),
      msgWithId("end"),
      msgWithId("msg\nmsg"),
      msgWithId(""),
      msgWithId("end"),
    ]);
    expect(out.comments).toEqual(["", ""]);
  });

  it.each([
    ["LF", "\n"],
    ["CR", "\r"],
    ["CRLF", "\r\n"],
  ])("eventsource-onmessage.any.js: the default message, with %s line endings", (_name, eol) => {
    const out = run([messagePy().replaceAll("\n", eol)], feeding);
    expect(out.messages).toEqual([msgWithId("data")]);
  });
});

describe("WPT eventsource, responses as the network may chunk them", () => {
  it("format-newlines.any.js: the final CR dispatches before its LF arrives", () => {
    const messages: SSEMessage[] = [];
    const parser = createParser({ onMessage: (m) => messages.push(m) });
    parser.feed("data:test\r\ndata\ndata:test\r\n\r");
    expect(messages).toEqual([msgWithId("test\n\ntest")]);
    parser.feed("\n");
    parser.end();
    expect(messages).toEqual([msgWithId("test\n\ntest")]);
  });

  it("event-data.any.js: message2.py writes each piece separately", () => {
    const messages: SSEMessage[] = [];
    const parser = createParser({ onMessage: (m) => messages.push(m) });
    const writes = [
      "data:msg",
      "\n",
      "data: msg",
      "\n\n",
      ":",
      "\n",
      "falsefield:msg",
      "\n\n",
      "falsefield:msg",
      "\n",
      "Data:data",
      "\n\n",
      "data",
      "\n\n",
      "data:end",
      "\n\n",
    ];
    for (const write of writes) parser.feed(encoder.encode(write));
    expect(messages).toEqual([msgWithId("msg\nmsg"), msgWithId(""), msgWithId("end")]);
  });
});
