/**
 * The status table (src/client/classify.ts) walked for every status from 100 to 599, against a table
 * written here from the documented rules, and the Content-Type check: its essence (type/subtype,
 * before any parameter, ASCII case-insensitive) must be `text/event-stream` (WHATWG HTML §9.2.3,
 * "announce the connection": the MIME type essence check; MIME Sniffing "essence").
 */
import { describe, expect, it } from "vitest";
import { classifyStatus, RETRY_AFTER_STATUSES } from "../../src/client/classify.js";
import { isEventStream } from "../../src/engine/response.js";

function range(from: number, toInclusive: number): number[] {
  return Array.from({ length: toInclusive - from + 1 }, (_, i) => from + i);
}

/** The rules, as literal lists: 204 closes; 408, 429 and 5xx but 501 are retried. */
const CLOSE: readonly number[] = [204];
const RETRY: readonly number[] = [408, 429, 500, ...range(502, 599)];

function expected(status: number): "close" | "retry" | "fatal" {
  if (CLOSE.includes(status)) return "close";
  if (RETRY.includes(status)) return "retry";
  return "fatal";
}

describe("classifyStatus", () => {
  it("the hand-written table has the documented shape", () => {
    expect(RETRY).toHaveLength(2 + 1 + 98);
    expect(RETRY).not.toContain(501);
    expect(range(100, 599).filter((s) => expected(s) === "fatal")).toHaveLength(500 - 1 - 101);
  });

  it("every status from 100 to 599 matches the table", () => {
    const mismatches = range(100, 599)
      .map((status) => ({ status, got: classifyStatus(status), want: expected(status) }))
      .filter(({ got, want }) => got !== want);
    expect(mismatches).toEqual([]);
  });

  it.each([
    [204, "close"],
    [408, "retry"],
    [429, "retry"],
    [500, "retry"],
    [502, "retry"],
    [503, "retry"],
    [504, "retry"],
    [599, "retry"],
    [501, "fatal"],
    [100, "fatal"],
    [101, "fatal"],
    [200, "fatal"], // never asked about 2xx other than 204: the client opens those
    [205, "fatal"],
    [301, "fatal"],
    [304, "fatal"],
    [400, "fatal"],
    [401, "fatal"], // the client itself retries once after auth.refresh()
    [403, "fatal"],
    [404, "fatal"],
    [405, "fatal"],
    [407, "fatal"],
    [409, "fatal"],
    [410, "fatal"],
    [428, "fatal"],
    [431, "fatal"],
    [499, "fatal"],
  ] as const)("%i -> %s", (status, decision) => {
    expect(classifyStatus(status)).toBe(decision);
  });

  it("only 429 and 503 honour Retry-After", () => {
    expect([...RETRY_AFTER_STATUSES].sort()).toEqual([429, 503]);
    for (const status of RETRY_AFTER_STATUSES) expect(classifyStatus(status)).toBe("retry");
  });
});

describe("isEventStream", () => {
  it.each([
    "text/event-stream",
    "TEXT/EVENT-STREAM",
    "Text/Event-Stream",
    "text/event-stream;charset=utf-8",
    "text/event-stream; charset=utf-8",
    "text/event-stream; charset=UTF-8; foo=bar",
    "text/event-stream ; charset=utf-8",
    "text/event-stream;",
    "  text/event-stream  ",
    "\ttext/event-stream\t",
  ])("%j is an event stream", (value) => {
    expect(isEventStream(value)).toBe(true);
  });

  it.each([
    null,
    "",
    " ",
    ";",
    "text/event-streams",
    "text/event-stream-x",
    "text/event-stream/x",
    "text/eventstream",
    "text/event_stream",
    "event-stream",
    "text/",
    "text/plain",
    "text/html; x=text/event-stream",
    "application/json",
    "application/event-stream",
    "xtext/event-stream",
    "text /event-stream",
    "text/ event-stream",
  ])("%j is not an event stream", (value) => {
    expect(isEventStream(value)).toBe(false);
  });

  it("accepts what a real Response with that header reports", () => {
    const response = new Response("", {
      headers: { "content-type": "Text/Event-Stream; Charset=UTF-8" },
    });
    expect(isEventStream(response.headers.get("content-type"))).toBe(true);
    expect(isEventStream(new Response(null).headers.get("content-type"))).toBe(false);
  });
});
