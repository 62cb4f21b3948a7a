/**
 * What test/runtimes/scenarios.mjs must report, wherever it ran: the CLI runtimes and workerd
 * (test/runtimes.test.ts) and a Web Worker in Chromium (test/browser/worker.browser.test.ts).
 * No Node or DOM APIs here, so that both can import it.
 */
import { expect } from "vitest";
import { faultEventData } from "../event-source/fault-plan.js";

/** What scenarios.mjs reports. */
export interface Report {
  runtime: string;
  parser: { whole: unknown[]; bytes: number; chunkings: number; differing: number };
  stream: unknown[];
  client: { messages: string[]; retries: number[]; readyState: string };
  auth: { data: string; refreshes: number; readyState: string };
  idle: { name: string; isIdleTimeoutError: boolean; readyState: string };
  eventSource: { messages: string[]; errorStates: number[]; readyState: number };
}

/** What every runtime must report. */
export function expectReport(report: Report) {
  // The parser: every chunking gives what the whole input gives, and that is the spec's result.
  expect(report.parser.differing).toBe(0);
  // Every two-chunk split of the input's bytes (bytes - 1 of them), and one-byte chunks.
  expect(report.parser.bytes).toBeGreaterThan(60);
  expect(report.parser.chunkings).toBe(report.parser.bytes);
  expect(report.parser.whole).toEqual([
    ["message", "message", "héllo", "é1"],
    ["message", "tick", "𝄞 日本", "é1"],
    ["retry", 15],
    ["message", "message", "x", "é1"],
    ["comment", " heartbeat"],
  ]);
  expect(report.stream).toEqual([
    ["message", "héllo", "é1"],
    ["tick", "𝄞 日本", "é1"],
    ["message", "x", "é1"],
  ]);
  // SSEClient: every event once, in order, across a drop and a clean end (ids `é-3`, `é-6` make
  // the Last-Event-ID of the resumed requests non-ASCII: a wrong encoding gets a 409).
  expect(report.client).toEqual({
    messages: ["1=1", "2=2", "é-3=3", "4=4", "5=5", "é-6=6"],
    retries: [1, 1],
    readyState: "closed",
  });
  expect(report.auth).toEqual({ data: "welcome", refreshes: 1, readyState: "closed" });
  expect(report.idle).toEqual({
    name: "IdleTimeoutError",
    isIdleTimeoutError: true,
    readyState: "closed",
  });
  // EventSource: 300 events once each, in order, over 20 drops, each announced while CONNECTING.
  const expected = Array.from({ length: 300 }, (_, i) => `${i + 1}=${faultEventData(i + 1)}`);
  const wrong = report.eventSource.messages.filter((m, i) => m !== expected[i]);
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(report.eventSource.messages).toHaveLength(300);
  expect(report.eventSource.errorStates).toEqual(Array(20).fill(0));
  expect(report.eventSource.readyState).toBe(2);
}
