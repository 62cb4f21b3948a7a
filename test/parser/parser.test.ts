/**
 * Unit tests of the event-stream parser against WHATWG HTML §9.2.5 "Parsing an event stream" and
 * §9.2.6 "Interpreting an event stream"
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream), plus the
 * ssekit-specific API around it (chunking, end(), reset(), maxEventSize, flushOnEnd, lastEventId).
 */
import { describe, expect, it } from "vitest";
import {
  createParser,
  ParseError,
  type ParserOptions,
  SSEError,
  type SSEMessage,
  type SSEParser,
} from "../../src/index.js";
import { msg, own } from "../fixtures/messages.js";

interface Setup {
  onError?: boolean;
  maxEventSize?: number;
  flushOnEnd?: boolean;
  lastEventId?: string;
  onMessage?: (message: SSEMessage, parser: SSEParser) => void;
}

interface Harness {
  parser: SSEParser;
  messages: SSEMessage[];
  comments: string[];
  retries: number[];
  errors: ParseError[];
}

/** A parser whose callbacks record everything; `onError` is installed unless `onError: false`. */
function setup(opts: Setup = {}): Harness {
  const messages: SSEMessage[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const errors: ParseError[] = [];
  let parser: SSEParser | undefined;
  const options: ParserOptions = {
    onMessage: (message) => {
      messages.push(message);
      if (opts.onMessage && parser) opts.onMessage(message, parser);
    },
    onComment: (comment) => comments.push(comment),
    onRetry: (ms) => retries.push(ms),
  };
  if (opts.onError !== false) options.onError = (error) => errors.push(error);
  if (opts.maxEventSize !== undefined) options.maxEventSize = opts.maxEventSize;
  if (opts.flushOnEnd !== undefined) options.flushOnEnd = opts.flushOnEnd;
  if (opts.lastEventId !== undefined) options.lastEventId = opts.lastEventId;
  parser = createParser(options);
  return { parser, messages, comments, retries, errors };
}

const encoder = new TextEncoder();

/** Concatenates text (UTF-8 encoded) and raw byte values into one byte array. */
function bytes(...parts: (string | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === "string" ? encoder.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/** Parses `input` in one go and returns the harness. */
function parse(input: string | Uint8Array, opts: Setup = {}): Harness {
  const h = setup(opts);
  h.parser.feed(input);
  return h;
}

function feedAll(parser: SSEParser, chunks: (string | Uint8Array)[]): void {
  for (const chunk of chunks) parser.feed(chunk);
}

const BOM = [0xef, 0xbb, 0xbf];

describe("byte order mark", () => {
  it("strips a leading UTF-8 BOM from byte input", () => {
    const h = parse(bytes(BOM, "data:1\n\n"));
    expect(h.messages).toEqual([msg("1")]);
  });

  it("strips the BOM when its three bytes arrive in separate chunks", () => {
    const h = setup();
    feedAll(h.parser, [bytes([0xef]), bytes([0xbb]), bytes([0xbf]), bytes("data:1\n\n")]);
    expect(h.messages).toEqual([msg("1")]);
  });

  it("strips the BOM when it shares a chunk with only part of the first line", () => {
    const h = setup();
    feedAll(h.parser, [bytes([0xef, 0xbb]), bytes([0xbf], "da"), bytes("ta:1\n\n")]);
    expect(h.messages).toEqual([msg("1")]);
  });

  it("does not let an empty first chunk use up the BOM check", () => {
    const h = setup();
    feedAll(h.parser, [new Uint8Array(0), "", bytes(BOM, "data:1\n\n")]);
    expect(h.messages).toEqual([msg("1")]);
  });

  it("treats a second BOM as part of the first line (so the field name is not `data`)", () => {
    // Only one BOM is stripped (Encoding: UTF-8 decode); "\uFEFFdata" is an unknown field.
    const h = parse(bytes(BOM, BOM, "data:1\n\ndata:2\n\n"));
    expect(h.messages).toEqual([msg("2")]);
  });

  it("treats a second BOM split across chunks as data too", () => {
    const h = setup();
    feedAll(h.parser, [
      bytes([0xef, 0xbb, 0xbf, 0xef]),
      bytes([0xbb]),
      bytes([0xbf], "data:1\n\n"),
    ]);
    h.parser.feed("data:2\n\n");
    expect(h.messages).toEqual([msg("2")]);
  });

  it("does not strip a BOM at the start of a later line", () => {
    const h = parse(bytes(BOM, "data:1\n\n", BOM, "data:2\n\ndata:3\n\n"));
    expect(h.messages).toEqual([msg("1"), msg("3")]);
  });

  it("keeps a BOM inside a field value", () => {
    const h = parse(bytes("data:", BOM, "x", BOM, "\n\n"));
    expect(h.messages).toEqual([msg("\uFEFFx\uFEFF")]);
  });

  it("strips a leading U+FEFF from string input, once", () => {
    expect(parse("\uFEFFdata:1\n\n").messages).toEqual([msg("1")]);
    expect(parse("\uFEFF\uFEFFdata:1\n\ndata:2\n\n").messages).toEqual([msg("2")]);
    const h = setup();
    feedAll(h.parser, ["\uFEFF", "\uFEFFdata:1\n\n", "data:2\n\n"]);
    expect(h.messages).toEqual([msg("2")]);
  });

  it("strips the BOM again after end() and after reset() (a new stream)", () => {
    const h = setup();
    h.parser.feed(bytes(BOM, "data:1\n\n"));
    h.parser.end();
    h.parser.feed(bytes(BOM, "data:2\n\n"));
    h.parser.reset();
    h.parser.feed("\uFEFFdata:3\n\n");
    expect(h.messages).toEqual([msg("1"), msg("2"), msg("3")]);
  });

  it("does not strip U+00EF U+00BB U+00BF (the BOM bytes read as Latin-1) from string input", () => {
    expect(parse("\u00ef\u00bb\u00bfdata:1\n\n").messages).toEqual([]);
  });
});

describe("line endings", () => {
  it.each([
    ["LF", "\n"],
    ["CR", "\r"],
    ["CRLF", "\r\n"],
  ])("accepts %s", (_name, eol) => {
    const h = parse(`data:a${eol}data:b${eol}${eol}event:e${eol}data:c${eol}${eol}`);
    expect(h.messages).toEqual([msg("a\nb"), msg("c", "e")]);
  });

  it("accepts CR, LF and CRLF mixed in one stream", () => {
    const h = parse("data:a\r\ndata:b\rdata:c\ndata:d\r\r\ndata:e\n\r\n");
    expect(h.messages).toEqual([msg("a\nb\nc\nd"), msg("e")]);
  });

  it("reads LF followed by CR as two line endings (a blank line)", () => {
    const h = parse("data:a\n\rdata:b\n\n");
    expect(h.messages).toEqual([msg("a"), msg("b")]);
  });

  it("reads CR CR LF as a line ending then a blank line", () => {
    const h = parse("data:a\r\r\ndata:b\r\n\r\n");
    expect(h.messages).toEqual([msg("a"), msg("b")]);
  });

  it("joins a CR at the end of a chunk and an LF at the start of the next into one line ending", () => {
    const h = setup();
    feedAll(h.parser, ["data:a\r", "\ndata:b\r", "\n\r", "\n"]);
    // Had the LF been a line ending of its own, "a" and "b" would be separate events.
    expect(h.messages).toEqual([msg("a\nb")]);
  });

  it("joins a split CRLF in byte input, also across an empty chunk", () => {
    const h = setup();
    feedAll(h.parser, [bytes("data:a\r"), new Uint8Array(0), bytes("\ndata:b\r\n\r"), bytes("\n")]);
    expect(h.messages).toEqual([msg("a\nb")]);
  });

  it("dispatches during the feed() whose chunk ends in the CR of a blank line", () => {
    const h = setup();
    h.parser.feed("data:a\r\r");
    expect(h.messages).toEqual([msg("a")]);
    h.parser.feed("data:b\n\r");
    expect(h.messages).toEqual([msg("a"), msg("b")]);
    h.parser.feed(bytes("data:c\r\n\r"));
    expect(h.messages).toEqual([msg("a"), msg("b"), msg("c")]);
    // The LF completing that CRLF is swallowed; a CR starting the next chunk is a new line ending.
    h.parser.feed("\ndata:d\r");
    h.parser.feed("\r");
    expect(h.messages).toEqual([msg("a"), msg("b"), msg("c"), msg("d")]);
  });

  it("dispatches immediately on a lone CR chunk after a terminated line", () => {
    const h = setup();
    h.parser.feed("data:a\n");
    expect(h.messages).toEqual([]);
    h.parser.feed("\r");
    expect(h.messages).toEqual([msg("a")]);
  });

  it("swallows only one LF after a chunk-final CR", () => {
    const h = setup();
    feedAll(h.parser, ["data:a\r", "\n\n"]);
    expect(h.messages).toEqual([msg("a")]);
  });

  it("gives line terminators no special meaning inside a value other than ending it", () => {
    const h = parse("data:a\u2028b\u0085c\v\f\n\n");
    expect(h.messages).toEqual([msg("a\u2028b\u0085c\v\f")]);
  });
});

describe("UTF-8 decoding", () => {
  const text = "aé€😀𝄞z";
  const input = bytes(`data:${text}\nid:😀\n\n`);

  it("decodes multi-byte characters (2, 3 and 4 bytes)", () => {
    expect(parse(input).messages).toEqual([own(msg(text, "message", "😀"))]);
  });

  it("decodes characters split across two chunks at every byte offset", () => {
    for (let i = 1; i < input.length; i++) {
      const h = setup();
      feedAll(h.parser, [input.subarray(0, i), input.subarray(i)]);
      expect(h.messages, `split at ${i}`).toEqual([own(msg(text, "message", "😀"))]);
    }
  });

  it("decodes a stream fed one byte at a time", () => {
    const h = setup();
    for (let i = 0; i < input.length; i++) h.parser.feed(input.subarray(i, i + 1));
    expect(h.messages).toEqual([own(msg(text, "message", "😀"))]);
  });

  it("decodes every pair of split points in a 4-byte character", () => {
    const emoji = bytes("data:😀\n\n");
    for (let i = 1; i < emoji.length; i++) {
      for (let j = i + 1; j < emoji.length; j++) {
        const h = setup();
        feedAll(h.parser, [emoji.subarray(0, i), emoji.subarray(i, j), emoji.subarray(j)]);
        expect(h.messages, `split at ${i},${j}`).toEqual([msg("😀")]);
      }
    }
  });

  it.each([
    ["a lone continuation byte", [0x80], "\uFFFD"],
    ["an invalid byte", [0xff], "\uFFFD"],
    ["a truncated 3-byte sequence", [0xe2, 0x82], "\uFFFD"],
    ["a truncated 4-byte sequence", [0xf0, 0x9f, 0x98], "\uFFFD"],
    ["an overlong encoding", [0xc0, 0x80], "\uFFFD\uFFFD"],
    ["an encoded surrogate", [0xed, 0xa0, 0x80], "\uFFFD\uFFFD\uFFFD"],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80], "\uFFFD\uFFFD\uFFFD\uFFFD"],
  ])("replaces %s with U+FFFD", (_name, raw, replacement) => {
    const input = bytes("data:a", raw, "b\n\n");
    expect(parse(input).messages).toEqual([msg(`a${replacement}b`)]);
    // The same, fed one byte at a time.
    const h = setup();
    for (let i = 0; i < input.length; i++) h.parser.feed(input.subarray(i, i + 1));
    expect(h.messages).toEqual([msg(`a${replacement}b`)]);
  });

  it("replaces a truncated sequence just before a line ending", () => {
    expect(parse(bytes("data:a", [0xe2, 0x82], "\n\n")).messages).toEqual([msg("a\uFFFD")]);
    const h = setup();
    feedAll(h.parser, [bytes("data:a", [0xe2]), bytes([0x82]), bytes("\r"), bytes("\r")]);
    expect(h.messages).toEqual([msg("a\uFFFD")]);
  });

  it("keeps U+0000 in data", () => {
    expect(parse(bytes("data:a", [0], "b\n\n")).messages).toEqual([msg("a\0b")]);
  });
});

describe("fields", () => {
  it("joins data lines with LF and drops the final LF", () => {
    expect(parse("data:a\ndata:b\ndata:c\n\n").messages).toEqual([msg("a\nb\nc")]);
    expect(parse("data:a\ndata:\n\n").messages).toEqual([msg("a\n")]);
    expect(parse("data:\ndata:\n\n").messages).toEqual([msg("\n")]);
  });

  it("dispatches `data:` with an empty value as an empty message", () => {
    expect(parse("data:\n\n").messages).toEqual([msg("")]);
  });

  it("reads a line without a colon as a field with an empty value", () => {
    expect(parse("data\n\n").messages).toEqual([msg("")]);
    expect(parse("data\ndata\n\n").messages).toEqual([msg("\n")]);
    expect(parse("event:x\nevent\ndata:1\n\n").messages).toEqual([msg("1")]);
  });

  it("removes exactly one leading space after the colon", () => {
    expect(parse("data: a\n\n").messages).toEqual([msg("a")]);
    expect(parse("data:  a\n\n").messages).toEqual([msg(" a")]);
    expect(parse("data:   \n\n").messages).toEqual([msg("  ")]);
    expect(parse("data:a \n\n").messages).toEqual([msg("a ")]);
    expect(parse("data:\ta\n\n").messages).toEqual([msg("\ta")]);
    expect(parse("event:  e\ndata: 1\n\n").messages).toEqual([msg("1", " e")]);
    expect(parse("id:  7\ndata:1\n\n").messages).toEqual([own(msg("1", "message", " 7"))]);
  });

  it("splits at the first colon only", () => {
    expect(parse("data:a:b: c\n\n").messages).toEqual([msg("a:b: c")]);
  });

  it("compares field names case-sensitively", () => {
    const h = parse(
      "Data:x\nDATA:y\nEvent:e\nEVENT:e\nID:3\nId:3\nRetry:100\nRETRY:100\ndata:z\n\n",
    );
    expect(h.messages).toEqual([msg("z")]);
    expect(h.retries).toEqual([]);
    expect(h.parser.lastEventId).toBe("");
  });

  it("does not trim field names", () => {
    const h = parse("data :x\n data:y\ndata\t:z\nid :1\nretry :5\nevent :e\ndata:ok\n\n");
    expect(h.messages).toEqual([msg("ok")]);
    expect(h.retries).toEqual([]);
  });

  it("ignores unknown fields, with or without a value", () => {
    const h = parse("foo:bar\nfoo\ndata:1\nx-data:2\ndatum:3\ndata_:4\n:\n\n");
    expect(h.messages).toEqual([msg("1")]);
  });

  it("uses the last event field of an event", () => {
    expect(parse("event:a\nevent:b\ndata:1\n\n").messages).toEqual([msg("1", "b")]);
  });

  it("uses type `message` when no event field was given or its value is empty", () => {
    expect(parse("data:1\n\n").messages).toEqual([msg("1", "message")]);
    expect(parse("event:\ndata:1\n\n").messages).toEqual([msg("1", "message")]);
    expect(parse("event:a\nevent:\ndata:1\n\n").messages).toEqual([msg("1", "message")]);
  });

  it("takes any event type verbatim", () => {
    expect(parse("event:message\ndata:1\n\n").messages).toEqual([msg("1", "message")]);
    expect(parse("event:error\ndata:1\n\n").messages).toEqual([msg("1", "error")]);
    expect(parse("event:a b😀\0\ndata:1\n\n").messages).toEqual([msg("1", "a b😀\0")]);
  });

  it("resets the event type after each dispatch", () => {
    const h = parse("event:foo\ndata:1\n\ndata:2\n\n");
    expect(h.messages).toEqual([msg("1", "foo"), msg("2")]);
  });

  it("resets the event type after a blank line that dispatches nothing", () => {
    expect(parse("event:foo\n\ndata:1\n\n").messages).toEqual([msg("1")]);
  });

  it("dispatches nothing for an event without data", () => {
    const h = parse("event:foo\n\n\n\nid:1\nretry:5\n:c\n\nfoo:bar\n\n");
    expect(h.messages).toEqual([]);
  });

  it("lets fields come in any order within an event", () => {
    const h = parse("data:1\nid:a\nevent:e\ndata:2\n\n");
    expect(h.messages).toEqual([own(msg("1\n2", "e", "a"))]);
  });
});

describe("comments", () => {
  it("passes the text after the colon verbatim to onComment", () => {
    const h = parse(":hello\n: hello\n:  two\n:\n::x\n:data:1\n\n");
    expect(h.comments).toEqual(["hello", " hello", "  two", "", ":x", "data:1"]);
    expect(h.messages).toEqual([]);
  });

  it("reports comments as they are parsed, with any line ending, without touching the event", () => {
    const h = setup();
    h.parser.feed("data:1\r:a\n");
    expect(h.comments).toEqual(["a"]);
    h.parser.feed(":b\r\n:c😀\rdata:2\n\n");
    expect(h.comments).toEqual(["a", "b", "c😀"]);
    expect(h.messages).toEqual([msg("1\n2")]);
  });

  it("keeps U+0000 and a BOM in comments", () => {
    expect(parse(":\0\uFEFF\n").comments).toEqual(["\0\uFEFF"]);
  });

  it("is optional", () => {
    const parser = createParser({ onMessage: () => {} });
    expect(() => parser.feed(":comment\n\n")).not.toThrow();
  });
});

describe("id and lastEventId", () => {
  it("starts empty", () => {
    const h = setup();
    expect(h.parser.lastEventId).toBe("");
    h.parser.feed("data:1\n\n");
    expect(h.messages).toEqual([msg("1")]);
  });

  it("persists the id across events until it is changed", () => {
    const h = parse("id:1\ndata:a\n\ndata:b\n\nid:2\ndata:c\n\ndata:d\n\n");
    expect(h.messages).toEqual([
      own(msg("a", "message", "1")),
      msg("b", "message", "1"),
      own(msg("c", "message", "2")),
      msg("d", "message", "2"),
    ]);
    expect(h.parser.lastEventId).toBe("2");
  });

  it("resets the id with `id:` and with `id` (no colon)", () => {
    const h = parse("id:1\ndata:a\n\nid:\ndata:b\n\nid:2\ndata:c\n\nid\ndata:d\n\n");
    expect(h.messages.map((m) => m.lastEventId)).toEqual(["1", "", "2", ""]);
    expect(h.parser.lastEventId).toBe("");
  });

  it("ignores an id containing U+0000", () => {
    const h = parse("id:1\ndata:a\n\nid:a\0b\ndata:b\n\nid:\0\ndata:c\n\n");
    expect(h.messages.map((m) => m.lastEventId)).toEqual(["1", "1", "1"]);
  });

  it("ignores an id containing U+0000 even after a valid id in the same event", () => {
    const h = parse("id:2\nid:x\0\ndata:a\n\n");
    expect(h.messages).toEqual([own(msg("a", "message", "2"))]);
  });

  it("updates lastEventId on a blank line even when no message is dispatched", () => {
    const h = setup();
    h.parser.feed("id:5\n");
    // Not dispatched yet: the event's id only becomes the last event ID at the blank line.
    expect(h.parser.lastEventId).toBe("");
    h.parser.feed("\n");
    expect(h.messages).toEqual([]);
    expect(h.parser.lastEventId).toBe("5");
    h.parser.feed("data:x\n\n");
    expect(h.messages).toEqual([msg("x", "message", "5")]);
  });

  it("takes the id from the id field of the event even when it comes after the data", () => {
    expect(parse("data:a\nid:9\n\n").messages).toEqual([own(msg("a", "message", "9"))]);
  });

  it("takes the initial id from the lastEventId option", () => {
    const h = setup({ lastEventId: "abc" });
    expect(h.parser.lastEventId).toBe("abc");
    h.parser.feed("data:1\n\nid\n\ndata:2\n\n");
    expect(h.messages).toEqual([msg("1", "message", "abc"), msg("2", "message", "")]);
  });

  it("keeps lastEventId across end() and reset()", () => {
    const h = setup();
    h.parser.feed("id:7\ndata:a\n\n");
    h.parser.end();
    expect(h.parser.lastEventId).toBe("7");
    h.parser.feed("data:b\n\n");
    h.parser.reset();
    expect(h.parser.lastEventId).toBe("7");
    h.parser.feed("data:c\n\n");
    expect(h.messages).toEqual([
      own(msg("a", "message", "7")),
      msg("b", "message", "7"),
      msg("c", "message", "7"),
    ]);
  });

  it("does not let the id of an undispatched event leak through end() or reset()", () => {
    const h = setup();
    h.parser.feed("id:1\ndata:a\n\nid:2\ndata:b\n");
    h.parser.end();
    expect(h.parser.lastEventId).toBe("1");
    h.parser.feed("data:c\n\nid:3\n");
    h.parser.reset();
    expect(h.parser.lastEventId).toBe("1");
    h.parser.feed("data:d\n\n");
    expect(h.messages).toEqual([
      own(msg("a", "message", "1")),
      msg("c", "message", "1"),
      msg("d", "message", "1"),
    ]);
  });
});

describe("retry", () => {
  it("reports a value of ASCII digits as a base-ten integer, as soon as the line is parsed", () => {
    const h = setup();
    h.parser.feed("retry:1000\n");
    expect(h.retries).toEqual([1000]);
    h.parser.feed("retry:0\nretry:007\nretry: 25\n");
    expect(h.retries).toEqual([1000, 0, 7, 25]);
    expect(h.messages).toEqual([]);
  });

  it.each([
    "1e3",
    " 100",
    "100 ",
    "-1",
    "+1",
    "",
    "abc",
    "1.5",
    "10x",
    "0x10",
    "1_000",
    "\uff11\uff12",
    "\u0663",
  ])("ignores retry:%j", (value) => {
    // `retry: <value>` with exactly one space, which the parser removes; so " 100" is sent with two.
    const h = parse(`retry: ${value}\ndata:x\n\n`);
    expect(h.retries).toEqual([]);
    expect(h.messages).toEqual([msg("x")]);
  });

  it("ignores `retry` without a colon", () => {
    expect(parse("retry\ndata:x\n\n").retries).toEqual([]);
  });

  it("does not make an event of its own or change the event", () => {
    const h = parse("retry:5\n\nevent:e\nretry:6\ndata:x\n\n");
    expect(h.retries).toEqual([5, 6]);
    expect(h.messages).toEqual([msg("x", "e")]);
  });
});

describe("end()", () => {
  it("discards an unterminated last event", () => {
    const h = setup();
    h.parser.feed("data:1\n\ndata:2\n");
    h.parser.end();
    h.parser.feed("data:3");
    h.parser.end();
    expect(h.messages).toEqual([msg("1")]);
  });

  it("starts a fresh stream: no leftover line, event type or data", () => {
    const h = setup();
    h.parser.feed("event:e\ndata:a\nda");
    h.parser.end();
    h.parser.feed("ta:b\n\ndata:c\n\n");
    expect(h.messages).toEqual([msg("c")]);
  });

  it("discards a partial UTF-8 sequence at the end of a stream", () => {
    const h = setup();
    h.parser.feed(bytes("data:a\n\n", [0xe2, 0x82]));
    h.parser.end();
    h.parser.feed(bytes("data:b\n\n"));
    expect(h.messages).toEqual([msg("a"), msg("b")]);
  });

  it("with flushOnEnd, dispatches an unterminated last event", () => {
    const h = setup({ flushOnEnd: true });
    h.parser.feed("id:1\nevent:e\ndata:a\ndata:b\n");
    expect(h.messages).toEqual([]);
    h.parser.end();
    expect(h.messages).toEqual([own(msg("a\nb", "e", "1"))]);
    expect(h.parser.lastEventId).toBe("1");
  });

  it("with flushOnEnd, includes an unterminated last line", () => {
    const h = setup({ flushOnEnd: true });
    h.parser.feed("data:a\ndata:b");
    h.parser.end();
    expect(h.messages).toEqual([msg("a\nb")]);
  });

  it("with flushOnEnd, dispatches nothing when there is nothing pending", () => {
    const h = setup({ flushOnEnd: true });
    h.parser.feed("data:a\n\nevent:e\n:comment\n");
    h.parser.end();
    h.parser.end();
    expect(h.messages).toEqual([msg("a")]);
  });

  it("with flushOnEnd, dispatches once and then starts a fresh stream", () => {
    const h = setup({ flushOnEnd: true });
    h.parser.feed("event:e\ndata:a\n");
    h.parser.end();
    h.parser.feed("data:b\n\n");
    expect(h.messages).toEqual([msg("a", "e"), msg("b")]);
  });

  it("with flushOnEnd, can be called again from the onMessage of the flushed event", () => {
    // Found by test/parser.fuzz.test.ts: the nested end() must not flush the same event again.
    for (const input of ["data:a", "data:a\n", "data"]) {
      const h = setup({ flushOnEnd: true, onMessage: (_m, parser) => parser.end() });
      h.parser.feed(input);
      expect(() => h.parser.end(), input).not.toThrow();
      expect(h.messages, input).toHaveLength(1);
      h.parser.feed("data:b\n\n");
      expect(h.messages, input).toHaveLength(2);
    }
  });

  it("with flushOnEnd, can be reset from the onMessage of the flushed event", () => {
    const h = setup({ flushOnEnd: true, onMessage: (_m, parser) => parser.reset() });
    h.parser.feed("data:a");
    h.parser.end();
    h.parser.feed("data:b\n\n");
    expect(h.messages).toEqual([msg("a"), msg("b")]);
  });

  it("stops the rest of the chunk when called from onMessage", () => {
    const h = setup({ onMessage: (_m, parser) => parser.end() });
    h.parser.feed("data:1\n\ndata:2\n\n");
    expect(h.messages).toEqual([msg("1")]);
    h.parser.feed("data:3\n\n");
    expect(h.messages).toEqual([msg("1"), msg("3")]);
  });
});

describe("reset()", () => {
  it("discards a partial line", () => {
    const h = setup();
    h.parser.feed("dat");
    h.parser.reset();
    // With the "dat" kept, this would be the line "data:b".
    h.parser.feed("a:b\n\n");
    expect(h.messages).toEqual([]);
  });

  it("discards an undispatched event with its type and id", () => {
    const h = setup();
    h.parser.feed("event:e\nid:9\ndata:a\n");
    h.parser.reset();
    h.parser.feed("data:b\n\n");
    expect(h.messages).toEqual([msg("b")]);
  });

  it("discards a partial UTF-8 sequence", () => {
    const h = setup();
    h.parser.feed(bytes("data:a\n\n", [0xf0, 0x9f]));
    h.parser.reset();
    // A kept partial sequence would turn into U+FFFD in front of "data" and spoil the field name.
    h.parser.feed(bytes("data:b\n\n"));
    expect(h.messages).toEqual([msg("a"), msg("b")]);
  });

  it("keeps lastEventId", () => {
    const h = setup({ lastEventId: "x" });
    h.parser.feed("id:1\n\n");
    h.parser.reset();
    expect(h.parser.lastEventId).toBe("1");
  });

  it("stops delivery of the rest of the chunk when called from onMessage", () => {
    const h = setup({
      onMessage: (m, parser) => {
        if (m.data === "1") parser.reset();
      },
    });
    h.parser.feed("data:1\n\ndata:2\n\n:c\nretry:5\n");
    expect(h.messages).toEqual([msg("1")]);
    expect(h.comments).toEqual([]);
    expect(h.retries).toEqual([]);
    h.parser.feed("data:3\n\n");
    expect(h.messages).toEqual([msg("1"), msg("3")]);
  });

  it("stops the rest of a byte chunk too, including a partial character in it", () => {
    const h = setup({
      onMessage: (m, parser) => {
        if (m.data === "1") parser.reset();
      },
    });
    h.parser.feed(bytes("data:1\r\rdata:2\n\ndata:", [0xe2, 0x82]));
    h.parser.feed(bytes("data:3\n\n"));
    expect(h.messages).toEqual([msg("1"), msg("3")]);
  });

  it("is a no-op on a fresh parser", () => {
    const h = setup();
    h.parser.reset();
    h.parser.feed("data:1\n\n");
    expect(h.messages).toEqual([msg("1")]);
  });
});

describe("maxEventSize", () => {
  function expectSizeError(error: unknown, limit: number): void {
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toBeInstanceOf(SSEError);
    expect(error).toBeInstanceOf(Error);
    const parseError = error as ParseError;
    expect(parseError.reason).toBe("max-event-size-exceeded");
    expect(parseError.limit).toBe(limit);
  }

  it("accepts a 1 MiB line by default (the 64 MiB linearity test goes further)", () => {
    const h = setup();
    h.parser.feed(`data:${"x".repeat(1 << 20)}\n\n`);
    expect(h.errors).toEqual([]);
    expect(h.messages[0]?.data.length).toBe(1 << 20);
  });

  it("reports a too-long line fed in many chunks once, and parses the next events", () => {
    const h = setup({ maxEventSize: 100 });
    h.parser.feed("data:a\n");
    for (let i = 0; i < 20; i++) h.parser.feed("x".repeat(25));
    expect(h.errors).toHaveLength(1);
    expectSizeError(h.errors[0], 100);
    // The rest of the event is discarded up to the blank line, "data:b" included.
    h.parser.feed("\ndata:b\n\ndata:c\n\n");
    expect(h.messages).toEqual([msg("c")]);
    expect(h.errors).toHaveLength(1);
  });

  it("reports a too-long line within a single chunk", () => {
    const h = setup({ maxEventSize: 10 });
    h.parser.feed(`data:${"y".repeat(50)}\n\ndata:ok\n\n`);
    expect(h.errors).toHaveLength(1);
    expectSizeError(h.errors[0], 10);
    expect(h.messages).toEqual([msg("ok")]);
  });

  it("counts lines that are not data lines too", () => {
    for (const line of [`:${"c".repeat(40)}`, `event:${"e".repeat(40)}`, `id:${"1".repeat(40)}`]) {
      const h = setup({ maxEventSize: 20 });
      h.parser.feed(`${line}\ndata:x\n\ndata:ok\n\n`);
      expect(h.errors, line).toHaveLength(1);
      expect(h.messages, line).toEqual([msg("ok")]);
      expect(h.comments, line).toEqual([]);
      expect(h.parser.lastEventId, line).toBe("");
    }
  });

  it("gives the same result whether an oversized line arrives in one chunk or many", () => {
    // The network decides the chunking; the outcome must not depend on it.
    const inputs = [
      `:${"c".repeat(40)}\ndata:x\n\ndata:ok\n\n`,
      `event:${"e".repeat(40)}\ndata:x\n\ndata:ok\n\n`,
      `data:${"d".repeat(18)}\n\ndata:ok\n\n`,
    ];
    for (const input of inputs) {
      const whole = setup({ maxEventSize: 20 });
      whole.parser.feed(input);
      const split = setup({ maxEventSize: 20 });
      for (const char of input) split.parser.feed(char);
      expect(whole.messages, input).toEqual(split.messages);
      expect(whole.comments, input).toEqual(split.comments);
      expect(whole.errors.length, input).toBe(split.errors.length);
    }
  });

  it("reports a too-large event made of short lines, and parses the next events", () => {
    const h = setup({ maxEventSize: 20 });
    h.parser.feed("data:0123456789\ndata:0123456789\ndata:0123456789\n\ndata:ok\n\n");
    expect(h.errors).toHaveLength(1);
    expectSizeError(h.errors[0], 20);
    expect(h.messages).toEqual([msg("ok")]);
  });

  it("accepts events just within the limit", () => {
    const h = setup({ maxEventSize: 20 });
    h.parser.feed("data:0123456789\n\ndata:0123456789\n\n");
    expect(h.errors).toEqual([]);
    expect(h.messages).toEqual([msg("0123456789"), msg("0123456789")]);
  });

  it("measures in UTF-16 code units, after decoding", () => {
    const h = setup({ maxEventSize: 12 });
    // 3 emoji: 12 UTF-8 bytes but 6 UTF-16 code units, so the line is 11 code units (17 bytes).
    h.parser.feed(bytes("data:😀😀😀\n\n"));
    expect(h.errors).toEqual([]);
    expect(h.messages).toEqual([msg("😀😀😀")]);
  });

  it("keeps nothing of a skipped line: more of it yields no further error, id or type", () => {
    const limit = 16;
    const h = setup({ maxEventSize: limit });
    h.parser.feed("id:1\n\n");
    h.parser.feed("event:big\nid:");
    for (let i = 0; i < 10; i++) h.parser.feed("9".repeat(limit));
    expect(h.errors).toHaveLength(1);
    expectSizeError(h.errors[0], limit);
    for (let i = 0; i < 10; i++) h.parser.feed(bytes("9".repeat(limit)));
    expect(h.errors).toHaveLength(1);
    h.parser.feed("\n\ndata:after\n\n");
    expect(h.messages).toEqual([msg("after", "message", "1")]);
    expect(h.parser.lastEventId).toBe("1");
    expect(h.errors).toHaveLength(1);
  });

  it("reports a discarded event once even when a later line of it spans chunks", () => {
    // Found by test/parser.property.test.ts: once the event is being discarded, its further lines
    // are dropped unread however they are chunked, and bring no second error.
    const whole = setup({ maxEventSize: 10 });
    whole.parser.feed(`data:${"x".repeat(20)}\ndata:${"y".repeat(20)}\n\ndata:ok\n\n`);
    expect(whole.errors).toHaveLength(1);
    expect(whole.messages).toEqual([msg("ok")]);

    const chunked = setup({ maxEventSize: 10 });
    chunked.parser.feed(`data:${"x".repeat(20)}\n`);
    chunked.parser.feed(`data:${"y".repeat(10)}`);
    chunked.parser.feed(`${"y".repeat(10)}`);
    chunked.parser.feed("\n\ndata:ok\n\n");
    expect(chunked.errors).toHaveLength(1);
    expect(chunked.messages).toEqual([msg("ok")]);
  });

  it("reports each too-large event once", () => {
    const h = setup({ maxEventSize: 8 });
    h.parser.feed(`data:${"x".repeat(20)}\n\ndata:ok\n\ndata:${"y".repeat(20)}\n\ndata:ok2\n\n`);
    expect(h.errors).toHaveLength(2);
    expect(h.messages).toEqual([msg("ok"), msg("ok2")]);
  });

  it("throws the ParseError from feed() without onError, and stays usable", () => {
    const h = setup({ maxEventSize: 10, onError: false });
    h.parser.feed("data:a\n");
    let thrown: unknown;
    try {
      h.parser.feed(`data:${"x".repeat(30)}`);
    } catch (error) {
      thrown = error;
    }
    expectSizeError(thrown, 10);
    // The rest of the long line is still skipped, without a second error.
    expect(() => h.parser.feed("x".repeat(30))).not.toThrow();
    expect(() => h.parser.feed("\ndata:b\n\n")).not.toThrow();
    h.parser.feed("data:c\n\n");
    expect(h.messages).toEqual([msg("c")]);
  });

  it("throws for a too-large event without onError, and stays usable", () => {
    const h = setup({ maxEventSize: 10, onError: false });
    expect(() => h.parser.feed("data:aaaa\ndata:bbbb\ndata:cccc\n")).toThrow(ParseError);
    h.parser.feed("\n");
    h.parser.feed("data:ok\n\n");
    expect(h.messages).toEqual([msg("ok")]);
  });

  it("starts counting anew after end() and reset()", () => {
    const h = setup({ maxEventSize: 10 });
    h.parser.feed("data:xxxx");
    h.parser.end();
    h.parser.feed("data:yyyy");
    h.parser.reset();
    h.parser.feed("data:zzzz\n\n");
    expect(h.errors).toEqual([]);
    expect(h.messages).toEqual([msg("zzzz")]);
  });
});

describe("linearity (no timing assertions: a quadratic parser simply does not finish)", () => {
  const MiB = 1 << 20;
  const CHUNK = 16 * 1024;

  it("parses a 64 MiB data line fed in 16 KiB byte chunks", () => {
    const total = 64 * MiB;
    const unit = "0123456789abcdef";
    const chunkText = unit.repeat(CHUNK / unit.length);
    const chunk = encoder.encode(chunkText);
    const h = setup();
    h.parser.feed("data:");
    for (let sent = 0; sent < total; sent += CHUNK) h.parser.feed(chunk);
    h.parser.feed("\n\n");
    expect(h.errors).toEqual([]);
    expect(h.messages).toHaveLength(1);
    const data = h.messages[0]?.data ?? "";
    expect(data.length).toBe(total);
    // Compared as a boolean: a failing diff of 64 MiB strings would be unreadable.
    expect(data === chunkText.repeat(total / CHUNK)).toBe(true);
  }, 60_000);

  it("parses a 64 MiB event of short data lines fed in 16 KiB string chunks", () => {
    const total = 64 * MiB;
    const line = `data:${"z".repeat(58)}\n`; // 64 code units
    const chunk = line.repeat(CHUNK / line.length);
    const h = setup();
    for (let sent = 0; sent < total; sent += CHUNK) h.parser.feed(chunk);
    h.parser.feed("\n");
    expect(h.messages).toHaveLength(1);
    const lines = total / line.length;
    expect(h.messages[0]?.data.length).toBe(lines * 59 - 1);
  }, 60_000);

  it("parses 1 MiB of small events fed one byte at a time", () => {
    const input = encoder.encode("id:1\nevent:e\ndata:ab\n\n".repeat(MiB / 22));
    const h = setup();
    for (let i = 0; i < input.length; i++) h.parser.feed(input.subarray(i, i + 1));
    expect(h.messages).toHaveLength(Math.floor(MiB / 22));
    expect(h.messages.at(-1)).toEqual(own(msg("ab", "e", "1")));
  }, 60_000);
});

describe("createParser options", () => {
  it("fails at construction without onMessage, saying so", () => {
    for (const options of [{}, { onMessage: "log" }, undefined]) {
      expect(() => createParser(options as never)).toThrow(
        new TypeError(
          "createParser: options.onMessage must be a function (it receives each event)",
        ),
      );
    }
  });
});

describe("id: the event's own id field", () => {
  it("is the id: of the event, undefined for an event without one (lastEventId carries over)", () => {
    const h = parse("id:1\ndata:a\n\ndata:b\n\nid:\ndata:c\n\nid:x\0\ndata:d\n\n");
    expect(h.messages.map((m) => [m.id, m.lastEventId])).toEqual([
      ["1", "1"],
      [undefined, "1"],
      ["", ""],
      [undefined, ""],
    ]);
  });

  it("does not carry over from an event that was never dispatched", () => {
    const h = parse("id:5\n\ndata:a\n\n");
    expect(h.messages).toEqual([msg("a", "message", "5")]);
    expect(h.messages[0]?.id).toBeUndefined();
  });
});
