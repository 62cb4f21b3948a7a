/**
 * The event stream format (HTML §9.2.5 parsing, §9.2.6 interpreting; WPT format-*, event-data):
 * the BOM, comments, the data, event and id fields, leading spaces, line endings, streams split
 * across chunks, U+0000, and UTF-8 decoding. Ids format-* and event-data.
 */
import { describe, expect } from "vitest";
import { utf8 } from "../helpers.js";
import { OPEN, type SuiteContext } from "./context.js";

export function formatSection(ctx: SuiteContext): void {
  const { record, scripted, messagesOf, dataOf, test } = ctx;
  describe("event stream format (format-*, event-data)", () => {
    test(
      "format-bom",
      "a leading BOM is skipped; a later one is part of a field name",
      async () => {
        expect(await dataOf("\uFEFFdata: 1\n\n\uFEFFdata: 2\n\ndata: 3\n\n", 2)).toEqual([
          "1",
          "3",
        ]);
      },
    );

    test("format-bom-2", "only one BOM is skipped", async () => {
      expect(await dataOf("\uFEFF\uFEFFdata: 1\n\ndata: 2\n\ndata: 3\n\n", 2)).toEqual(["2", "3"]);
    });

    test("format-bom-split", "a BOM split across chunks is still skipped", async () => {
      const url = ctx.fx.bytes(utf8("\uFEFFdata: 1\n\n"), { split: "1,2" });
      expect((await messagesOf(url, 1)).map((m) => m.data)).toEqual(["1"]);
    });

    test("format-comments", "comment lines, long ones too, are ignored", async () => {
      const long = { repeat: "x", times: 100_000 };
      const messages = await scripted([
        {
          body: [
            "data:1\r:\0\n:\r\ndata:2\n:",
            long,
            "\rdata:3\n:data:fail\r:",
            long,
            "\ndata:4\n\n",
          ],
          after: "hold",
        },
      ]).collect(1);
      expect(messages.map((m) => m.data)).toEqual(["1\n2\n3\n4"]);
    });

    test("format-data-before-final-empty-line", "an unterminated event is discarded", async () => {
      const { rec, requests } = scripted([
        { body: ["retry: 10\ndata: test1\n\nid: test\ndata: test2"] },
      ]);
      await rec.count(2, "message");
      expect(rec.messages().map((m) => [m.data, m.lastEventId])).toEqual([
        ["test1", ""],
        ["test1", ""],
      ]);
      expect((await requests())[1]?.lastEventId).toBeNull();
    });

    test("format-field-data", "data fields: empty, no colon, several lines", async () => {
      expect(await dataOf("data:\n\ndata\ndata\n\ndata:test\n\n", 3)).toEqual(["", "\n", "test"]);
    });

    test("format-field-event", "the event field sets the type", async () => {
      const messages = await messagesOf(
        ctx.fx.message("event:test\ndata:x\n\ndata:y\n\nevent:  spaced\ndata:z\n\n"),
        3,
        ["test", " spaced"],
      );
      expect(messages.map((m) => `${m.type}:${m.data}`)).toEqual([
        "test:x",
        "message:y",
        " spaced:z",
      ]);
    });

    test("format-field-event-empty", "an empty event type means message", async () => {
      expect(await dataOf("event: \ndata:data\n\n", 1)).toEqual(["data"]);
    });

    test("format-field-event-error", "event types open and error from the stream", async () => {
      const { source, rec } = record(
        ctx.fx.message("event: error\ndata: x\n\nevent: open\ndata: y\n\n"),
      );
      const handled: string[] = [];
      source.onerror = (e) => handled.push(`onerror:${(e as MessageEvent).data}`);
      // Waits on the handler itself: a browser runs microtasks between listeners, so a promise
      // resolved by the recorder (the first listener) could resume before the handler ran.
      await new Promise<void>((resolve) => {
        source.onopen = (e) => {
          handled.push(`onopen:${"data" in e ? (e as MessageEvent).data : ""}`);
          if ("data" in e) resolve();
        };
      });
      expect(rec.log).toEqual(["open:1", "error:1:x", "open:1:y"]);
      expect(handled).toEqual(["onopen:", "onerror:x", "onopen:y"]);
      expect(source.readyState).toBe(OPEN);
    });

    test("format-field-id", "id: persists, changes, resets; one leading space only", async () => {
      const messages = await messagesOf(
        ctx.fx.message(
          "id: 1\ndata: 1\n\ndata: 2\n\nid: 2\ndata: 3\n\ndata: 4\n\nid:\ndata: 5\n\n" +
            "data: 6\n\nid: 3\ndata: 7\n\nid\ndata: 8\n\nid:  x\ndata: 9\n\n",
        ),
        9,
      );
      expect(messages.map((m) => m.lastEventId)).toEqual([
        "1",
        "1",
        "2",
        "2",
        "",
        "",
        "3",
        "",
        " x",
      ]);
    });

    test("format-field-id-null", "an id containing U+0000 is ignored", async () => {
      const messages = await scripted([
        {
          body: ["retry: 10\nid: 1\ndata: a\n\nid: \0\0\ndata: b\n\nid: x\0y\ndata: c\n\n"],
        },
        { body: ["data: {{lastEventId}}\n\n"], after: "hold" },
      ]).collect(4);
      expect(messages.map((m) => [m.data, m.lastEventId])).toEqual([
        ["a", "1"],
        ["b", "1"],
        ["c", "1"],
        ["1", "1"],
      ]);
    });

    test("format-leading-space", "only one leading space is removed from a value", async () => {
      expect(await dataOf("data:\ttest\rdata: \ndata:test\n\ndata:  two\n\n", 2)).toEqual([
        "\ttest\n\ntest",
        " two",
      ]);
    });

    test("format-newlines", "CR, LF and CRLF all end lines", async () => {
      expect(await dataOf("data:test\r\ndata\ndata:test\r\n\r", 1)).toEqual(["test\n\ntest"]);
    });

    test("format-newlines-split", "a CRLF split across chunks is one line ending", async () => {
      // "data: a\r" | "\ndata: b\n\n": two line endings there would dispatch "a" alone.
      const body = "data: a\r\ndata: b\n\n";
      const url = ctx.fx.message(body, { split: body.indexOf("\n") });
      expect((await messagesOf(url, 1)).map((m) => m.data)).toEqual(["a\nb"]);
    });

    test("format-null-character", "U+0000 in data is kept", async () => {
      expect(await dataOf("data:\0\n\n", 1)).toEqual(["\0"]);
    });

    const parsing =
      "data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n";
    test("format-field-parsing", "field names are exact and case-sensitive", async () => {
      expect(await dataOf(parsing, 1)).toEqual(["\0\n 2\n1\n3\n\n4"]);
    });

    test("format-byte-by-byte", "the same stream one byte per chunk", async () => {
      expect(await dataOf(parsing, 1, { every: 1, gap: 0 })).toEqual(["\0\n 2\n1\n3\n\n4"]);
    });

    test("format-field-unknown", "unknown fields and lines without colon", async () => {
      expect(
        await dataOf(
          "data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n",
          1,
        ),
      ).toEqual(["test\n\ntest"]);
    });

    test("event-data", "lines and data parsing (event-data)", async () => {
      expect(
        await dataOf(
          "data:msg\ndata: msg\n\n:\nfalsefield:msg\n\nfalsefield:msg\nData:data\n\ndata\n\ndata:end\n\n",
          3,
        ),
      ).toEqual(["msg\nmsg", "", "end"]);
    });

    test("format-utf-8-split", "UTF-8 split inside characters, byte by byte", async () => {
      const text = "héllo wörld 日本語 👋🏽 𝄞";
      expect(await dataOf(`data: ${text}\n\n`, 1, { every: 1, gap: 0 })).toEqual([text]);
    });

    test("format-utf-8-invalid", "invalid UTF-8 decodes to U+FFFD", async () => {
      const bytes = [...utf8("data: a"), 0xff, 0xfe, ...utf8("b"), 0xc3, ...utf8("\n\n")];
      expect((await messagesOf(ctx.fx.bytes(bytes), 1)).map((m) => m.data)).toEqual([
        "a\uFFFD\uFFFDb\uFFFD",
      ]);
    });
  });
}
