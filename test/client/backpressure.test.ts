/**
 * Backpressure end to end: a server writing as fast as the socket takes it, a `for await` consumer
 * taking one message per 10 ms. The client must stop reading, so TCP flow control blocks the
 * server, memory stays bounded and nothing is lost or reordered.
 */
import { setTimeout as delay } from "node:timers/promises";
import { expect, it } from "vitest";
import { deferred } from "../fixtures/deferred.js";
import { sse } from "../fixtures/handlers.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

const TOTAL = 200_000;
/** ~150 bytes an event: 200k events are ~30 MB. */
const PAD = "x".repeat(128);
const CONSUME = 200;
const MB = 1024 * 1024;

it("blocks a fast server behind a slow for-await consumer, in bounded memory, losing nothing", async () => {
  const { server } = ctx;
  const state = { written: 0, bytes: 0, blocked: false, blockedTimes: 0 };
  const firstBlock = deferred();
  server.route("/firehose", async ({ res }) => {
    sse(res);
    while (state.written < TOTAL && !res.destroyed) {
      const chunk = `id: ${state.written}\ndata: ${state.written} ${PAD}\n\n`;
      const ok = res.write(chunk);
      state.written++;
      state.bytes += chunk.length;
      if (!ok) {
        state.blocked = true;
        state.blockedTimes++;
        firstBlock.resolve();
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.on("drain", done);
          res.on("close", done);
        });
        state.blocked = false;
      }
    }
    if (!res.destroyed) res.end();
  });

  const before = process.memoryUsage();
  let peak = 0;
  const sample = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    peak = Math.max(peak, heapUsed + arrayBuffers);
  };
  const client = ctx.client(server.url("/firehose"), { highWaterMark: 64 });
  const numbers: number[] = [];
  let writtenAtHalf = 0;
  const blockedAt: boolean[] = [];
  for await (const message of client) {
    numbers.push(Number(message.data.slice(0, message.data.indexOf(" "))));
    expect(message.lastEventId).toBe(String(numbers.length - 1));
    sample();
    if (numbers.length === CONSUME / 2) {
      writtenAtHalf = state.written;
      blockedAt.push(state.blocked);
    }
    if (numbers.length === CONSUME) {
      blockedAt.push(state.blocked);
      break;
    }
    // The consumer's speed: one message per 10 ms.
    await delay(10);
  }
  await firstBlock.promise;

  // Every consumed message, in order, none lost.
  expect(numbers).toEqual(Array.from({ length: CONSUME }, (_, i) => i));
  // The server was blocked on 'drain' long before the end: what it wrote is what the socket
  // buffers, undici and the client's 64 messages hold, a few MB, not the 30 MB it had to send.
  const writtenAtEnd = state.written;
  expect(state.blockedTimes).toBeGreaterThan(0);
  // Waiting for 'drain' when the consumer was half way, and at the end.
  expect(blockedAt).toEqual([true, true]);
  expect(writtenAtEnd).toBeLessThan(TOTAL / 4);
  expect(state.bytes).toBeLessThan(12 * MB);
  // ...and stayed blocked while the consumer took its next hundred messages: it only wrote about
  // as much as was taken out.
  expect(writtenAtEnd - writtenAtHalf).toBeLessThan(5000);
  // Memory: the 30 MB never piled up anywhere in this process.
  expect(peak - (before.heapUsed + before.arrayBuffers)).toBeLessThan(30 * MB);
  expect(client.readyState).toBe("closed");
}, 20_000);
