/**
 * How `ssekit` prints an event (src/cli/format.ts), in-process: what each format keeps of what the
 * server sent, and that pretty output, meant for a terminal, cannot carry escape sequences to it.
 * (docs.test.ts checks the guide's examples; cli.test.ts and tty.test.ts the packed bin.)
 */
import { describe, expect, it } from "vitest";
import { type Event, formatEvent, visible } from "../../src/cli/format.js";
import { paintFor } from "../../src/cli/paint.js";

const plain = paintFor({ isTTY: false }, {});
const colour = paintFor({ isTTY: true }, {});

describe("control characters from the server", () => {
  const hostile: Event = {
    type: "x\x1b]0;title\x07",
    data: "red\x1b[31m\rover\x9b2J\ttab\nline",
    lastEventId: "\x1b[2J",
    id: "\x1b[2J",
  };

  it("pretty escapes them in the type, the id and the data; tab and newline stay", () => {
    expect(formatEvent("pretty", hostile, plain)).toBe(
      "x\\x1b]0;title\\x07  id \\x1b[2J\nred\\x1b[31m\\x0dover\\x9b2J\ttab\nline\n\n",
    );
    // On a terminal, the only escape sequences are the CLI's own styles.
    let coloured = formatEvent("pretty", hostile, colour);
    for (const style of ["0", "1", "2", "36"]) coloured = coloured.replaceAll(`\x1b[${style}m`, "");
    expect(coloured).not.toContain("\x1b");
  });

  it("NDJSON escapes them as JSON does; raw is the data exactly", () => {
    const line = formatEvent("ndjson", hostile, colour);
    expect(line).not.toContain("\x1b");
    expect(JSON.parse(line)).toEqual(hostile);
    expect(formatEvent("raw", hostile, colour)).toBe(`${hostile.data}\n`);
  });

  it("visible leaves printable text, any script, as it is", () => {
    expect(visible("héllo 日本 👋 \u00a0")).toBe("héllo 日本 👋 \u00a0");
    expect(visible("\x00\x7f")).toBe("\\x00\\x7f");
  });
});

describe("pretty", () => {
  it("indents JSON objects and arrays, and leaves JSON-looking text that is not JSON", () => {
    const event = (data: string): Event => ({ type: "message", data, lastEventId: "" });
    expect(formatEvent("pretty", event('[1,{"a":2}]'), plain)).toBe(
      'message\n[\n  1,\n  {\n    "a": 2\n  }\n]\n\n',
    );
    expect(formatEvent("pretty", event("{not json"), plain)).toBe("message\n{not json\n\n");
    expect(formatEvent("pretty", event("42"), plain)).toBe("message\n42\n\n");
  });
});
