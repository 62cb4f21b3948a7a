/**
 * The routes of the client benchmark's server (bench/client-server.ts runs them in a child
 * process; the instrument tests in-process):
 *
 *   GET /stream?n=N&kind=K  N events of stream K (bench/client-streams.ts), pre-built once and
 *                           written with one write, then the response ends.
 *   GET /idle               headers and one comment, then nothing until the client goes away.
 *   GET /ping?token=T&ending=lf|crlf|cr
 *                           headers and one comment; then one event `data: <seq>` per `send`
 *                           command, terminated by the given line ending.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { payload } from "./client-streams.js";

const ENDINGS: Record<string, string> = { lf: "\n", crlf: "\r\n", cr: "\r" };

/** Open idle connections, and open ping streams by token. */
export const idle = new Set<ServerResponse>();
export const live = new Map<string, { res: ServerResponse; ending: string }>();

function sseHeaders(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
}

/** The request listener. `opened(token)` is called when a ping stream is ready for events. */
export function routes(opened: (token: string) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://localhost");
    switch (url.pathname) {
      case "/stream": {
        const n = Number(url.searchParams.get("n") ?? "1000");
        const body = payload(url.searchParams.get("kind") ?? "ascii", n);
        sseHeaders(res);
        // One write: libuv pushes it into the socket as fast as the client drains it, so the
        // server is never what the client waits for (slices written one by one were, whenever
        // another process competed for the CPU, and the client then read more, smaller chunks).
        res.end(body);
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
        opened(token);
        return;
      }
      default:
        res.writeHead(404).end();
    }
  };
}
