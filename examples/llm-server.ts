import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local SSE endpoint that answers like a chat-completion API in streaming mode: one `data:` event
 * per token, in OpenAI's chunk format, then `data: [DONE]`. Tokens are paced to show them arrive.
 */
export interface LlmServer {
  url: string;
  close(): Promise<void>;
}

const ANSWER =
  "Server-sent events are a one-way stream of text events over plain HTTP. ssekit parses them " +
  "exactly as the WHATWG spec says, split wherever the network splits them — even inside a " +
  "multi-byte character like é or 🚀 — and hands each token to you the moment it arrives.";

/**
 * A live feed of numbered events that resumes after `Last-Event-ID`. Every connection drops after
 * three events, in the middle of the fourth, as a flaky network or a proxy restart would.
 */
function feed(lastEventId: string | string[] | undefined, res: ServerResponse): void {
  const from = Number(lastEventId ?? 0) + 1;
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write("retry: 200\n\n");
  for (let id = from; id < from + 3; id++) {
    res.write(`id: ${id}\ndata: price update #${id}: ${(100 + Math.sin(id) * 5).toFixed(2)} €\n\n`);
  }
  res.write(`id: ${from + 3}\ndata: this event is cut off before its end`);
  setTimeout(() => res.destroy(), 50);
}

export async function startLlmServer(tokenDelayMs = 15): Promise<LlmServer> {
  const server: Server = createServer((req, res) => {
    if (req.url === "/feed") {
      feed(req.headers["last-event-id"], res);
      return;
    }
    if (req.url !== "/v1/chat/completions") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
    res.write(": stream opened\n\n");
    const tokens = ANSWER.match(/\S+\s*/g) ?? [];
    let i = 0;
    const timer = setInterval(() => {
      if (i === tokens.length) {
        clearInterval(timer);
        res.end("data: [DONE]\n\n");
        return;
      }
      const chunk = {
        id: "chatcmpl-demo",
        object: "chat.completion.chunk",
        choices: [{ index: 0, delta: { content: tokens[i++] } }],
      };
      const event = `data: ${JSON.stringify(chunk)}\n\n`;
      // Split each event's bytes in two writes, mid-character when possible, as proxies do.
      const bytes = Buffer.from(event);
      const cut = Math.floor(bytes.length / 2);
      res.write(bytes.subarray(0, cut));
      res.write(bytes.subarray(cut));
    }, tokenDelayMs);
    res.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
