/**
 * The SSE server of `bench/client.ts`, run in a child process (forked with an IPC channel) so
 * that its CPU time is not counted in the client's process. Its routes: bench/client-routes.ts.
 *
 * IPC: the parent sends `{ id, cmd, ... }`; the child answers `{ id, ... }`. It sends
 * `{ ready: port }` once listening, and `{ opened: token }` when a ping stream is open.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { idle, live, routes } from "./client-routes.js";
import { payload } from "./client-streams.js";

const server = createServer(routes((token) => process.send?.({ opened: token })));
server.keepAliveTimeout = 1000;

interface Command {
  id?: number;
  cmd: "send" | "nudge" | "count" | "prepare" | "exit";
  token?: string;
  seq?: number;
  n?: number;
  kind?: string;
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
      payload(message.kind ?? "ascii", message.n ?? 1000);
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
