/**
 * An event ID with a control character in real Chromium (test/engine/last-event-id.test.ts is the
 * same in Node): ssekit's two clients send no `Last-Event-ID` for it, in every runtime alike, and
 * reconnect. The native EventSource, the reference of what the platform does, cannot send such an
 * ID either: its reconnection fails before reaching the server and it closes for good.
 */
import { describe, expect, inject, it } from "vitest";
import { SSEClient, EventSource as SsekitEventSource } from "../../src/index.js";
import { Fixture, newKey, within } from "../event-source/helpers.js";

const fixture = new Fixture(inject("sseUrl"));
const ID = "a\u0001b\u001fc\u007f";

/** Connection 1: the ID, then the end; connection 2: an event, held open. */
function script(key: string): string {
  return fixture.script(key, [
    { body: [`retry: 10\nid: ${ID}\ndata: 1\n\n`], after: "end" },
    { body: ["data: 2\n\n"], after: "hold" },
  ]);
}

/** The Last-Event-ID of the second GET, once it came; undefined when it had none. */
async function secondRequest(key: string): Promise<string | null | undefined> {
  const log = await fixture.log(key, { wait: "count", n: 2 });
  const gets = log.requests.filter((r) => r.method === "GET");
  expect(gets.length).toBeGreaterThanOrEqual(2);
  return gets[1]?.lastEventId;
}

describe("an id with control characters, in Chromium", () => {
  it("SSEClient reconnects without Last-Event-ID", async () => {
    const key = newKey();
    const client = new SSEClient(script(key), { retry: { initialDelay: 10, jitter: 0 } });
    try {
      expect(await secondRequest(key)).toBeNull();
    } finally {
      client.close();
    }
  });

  it("ssekit's EventSource reconnects without Last-Event-ID", async () => {
    const key = newKey();
    const source = new SsekitEventSource(script(key));
    try {
      expect(await secondRequest(key)).toBeNull();
    } finally {
      source.close();
    }
  });

  it("the native EventSource cannot send it either: it fails the connection for good", async () => {
    const key = newKey();
    const source = new EventSource(script(key));
    const closed = new Promise<void>((resolve) => {
      source.onerror = () => {
        if (source.readyState === EventSource.CLOSED) resolve();
      };
    });
    try {
      await within(closed, 4000, () => `readyState ${source.readyState}`);
      const log = await fixture.log(key);
      expect(log.requests.filter((r) => r.method === "GET").length).toBe(1);
    } finally {
      source.close();
    }
  });
});
