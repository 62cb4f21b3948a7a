/**
 * The SSE server of `bench/client.ts`, run in a child process (forked with an IPC channel) so
 * that its CPU time is not counted in the client's process.
 *
 *   GET /stream?n=N   N events of EVENT_SIZE bytes (LF endings), pre-built once and written
 *                     with one write, then the response ends.
 *   GET /idle         headers and one comment, then nothing until the client goes away.
 *   GET /ping?token=T&ending=lf|crlf|cr
 *                     headers and one comment; then one event `data: <seq>` per IPC command
 *                     `{ cmd: "send", token, seq }`, terminated by the given line ending.
 *
 * IPC: the parent sends `{ id, cmd, ... }`; the child answers `{ id, ... }`. It sends
 * `{ ready: port }` once listening.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Bytes of one event of the throughput stream, line endings included. */
export const EVENT_SIZE = 100;
const ENDINGS: Record<string, string> = { lf: "\n", crlf: "\r\n", cr: "\r" };

const payloads = new Map<number, Buffer>();

/** `data: {"seq":0000042,"text":"xx…"}\n\n`, exactly EVENT_SIZE bytes. */
function payload(n: number): Buffer {
  let buffer = payloads.get(n);
  if (buffer) return buffer;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const head = `data: {"seq":${String(i).padStart(7, "0")},"text":"`;
    const tail = '"}\n\n';
    parts.push(head + "x".repeat(EVENT_SIZE - head.length - tail.length) + tail);
  }
  buffer = Buffer.from(parts.join(""), "latin1");
  payloads.set(n, buffer);
  return buffer;
}

const idle = new Set<ServerResponse>();
const live = new Map<string, { res: ServerResponse; ending: string }>();

function sseHeaders(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  switch (url.pathname) {
    case "/stream": {
      const n = Number(url.searchParams.get("n") ?? "1000");
      sseHeaders(res);
      // One write: libuv pushes it into the socket as fast as the client drains it, so the
      // server is never what the client waits for (slices written one by one were, whenever
      // another process competed for the CPU, and the client then read more, smaller chunks).
      res.end(payload(n));
      return;
    }
    case "/idle": {
      sseHeaders(res);
      res.write(": idle\n\n");
      idle.add(res);
      res.on("close", () => idle.delete(res));
      return;
    }
    case "/ping": {
      const token = url.searchParams.get("token") ?? "";
      const ending = ENDINGS[url.searchParams.get("ending") ?? "lf"] ?? "\n";
      sseHeaders(res);
      res.write(": ping\n\n");
      live.set(token, { res, ending });
      res.on("close", () => {
        if (live.get(token)?.res === res) live.delete(token);
      });
      process.send?.({ opened: token });
      return;
    }
    default:
      res.writeHead(404).end();
  }
});
server.keepAliveTimeout = 1000;

interface Command {
  id?: number;
  cmd: "send" | "nudge" | "count" | "prepare" | "exit";
  token?: string;
  seq?: number;
  n?: number;
}

process.on("message", (message: Command) => {
  switch (message.cmd) {
    case "send": {
      // Hot path of the latency test: no answer, the client sees the event itself.
      const stream = live.get(message.token ?? "");
      if (stream) stream.res.write(`data: ${message.seq}${stream.ending}${stream.ending}`);
      return;
    }
    case "nudge": {
      // A chunk after a held event (a comment line): a parser that waits for more input after a
      // lone CR dispatches the held event now.
      live.get(message.token ?? "")?.res.write(":\n");
      return;
    }
    case "prepare":
      payload(message.n ?? 1000);
      process.send?.({ id: message.id });
      return;
    case "count":
      process.send?.({ id: message.id, idle: idle.size, live: live.size });
      return;
    case "exit":
      for (const res of idle) res.destroy();
      for (const { res } of live.values()) res.destroy();
      server.closeAllConnections();
      server.close(() => process.exit(0));
      return;
  }
});
// The parent went away without saying so: do not linger.
process.on("disconnect", () => process.exit(0));

server.listen(0, "127.0.0.1", () => {
  process.send?.({ ready: (server.address() as AddressInfo).port });
});
