import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local SSE endpoint that answers like a chat-completion API in streaming mode: one `data:` event
 * per token, in OpenAI's chunk format, then `data: [DONE]`. Tokens are paced to show them arrive.
 * Next to it, a live feed that drops its connections (see `feed` below). The server keeps a record
 * of what it sent, so that the demo can check what the client received against it.
 */
export interface LlmServer {
  url: string;
  record: ServerRecord;
  close(): Promise<void>;
}

/** What the server did, as the demo's check needs it. */
export interface ServerRecord {
  /** How many chat requests arrived: a POST stream replayed by the client would make it 2. */
  chatRequests: number;
  /** The answer's text as the server sent it, token after token. */
  answerSent: string;
  /** The `Last-Event-ID` of each feed request, in order (`undefined`: the request had none). */
  feedRequests: (string | undefined)[];
  /** The data of each feed event the server wrote in full, by ID (cut-off events are not). */
  feedSent: Map<string, string>;
}

/** One feed event as a client reports it. */
export interface FeedEvent {
  id: string;
  data: string;
}

export interface LlmServerOptions {
  /** The pause between two tokens of the answer, in ms. @defaultValue 15 */
  tokenDelayMs?: number;
  /**
   * A broken feed, to show that the demo's check catches it: `"replay"` ignores `Last-Event-ID`
   * and starts every connection from the first event again, `"skip"` resumes one event too late.
   */
  feedFault?: "replay" | "skip" | undefined;
  /**
   * More routes on the same server (the browser page's): called for every request the server does
   * not answer itself; returns false when it does not answer it either (then: 404).
   */
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

const ANSWER =
  "Server-sent events are a one-way stream of text events over plain HTTP. ssekit parses them " +
  "exactly as the WHATWG spec says, split wherever the network splits them — even inside a " +
  "multi-byte character like é or 🚀 — and hands each token to you the moment it arrives.";

/** The data of feed event `id`: a made-up price. */
function feedData(id: number): string {
  return `price update #${id}: ${(100 + Math.sin(id) * 5).toFixed(2)} €`;
}

/**
 * A live feed of events numbered from 1 that resumes after `Last-Event-ID`. Every connection drops
 * after three events, in the middle of the fourth, as a flaky network or a proxy restart would.
 */
function feed(
  lastEventId: string | undefined,
  res: ServerResponse,
  record: ServerRecord,
  fault: LlmServerOptions["feedFault"],
): void {
  const resumeAfter = fault === "replay" ? 0 : Number(lastEventId ?? 0);
  const from = resumeAfter + (fault === "skip" && lastEventId !== undefined ? 2 : 1);
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write("retry: 200\n\n");
  for (let id = from; id < from + 3; id++) {
    res.write(`id: ${id}\ndata: ${feedData(id)}\n\n`);
    record.feedSent.set(String(id), feedData(id));
  }
  res.write(`id: ${from + 3}\ndata: this event is cut off before its end`);
  setTimeout(() => res.destroy(), 50);
}

export async function startLlmServer(options: LlmServerOptions = {}): Promise<LlmServer> {
  const { tokenDelayMs = 15, feedFault, routes } = options;
  const record: ServerRecord = {
    chatRequests: 0,
    answerSent: "",
    feedRequests: [],
    feedSent: new Map(),
  };
  const server: Server = createServer((req, res) => {
    if (req.url === "/feed") {
      const header = req.headers["last-event-id"];
      const lastEventId = Array.isArray(header) ? header[0] : header;
      record.feedRequests.push(lastEventId);
      feed(lastEventId, res, record, feedFault);
      return;
    }
    if (req.url !== "/v1/chat/completions") {
      if (!routes?.(req, res)) res.writeHead(404).end();
      return;
    }
    record.chatRequests++;
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
      const token = tokens[i++] as string;
      const chunk = {
        id: "chatcmpl-demo",
        object: "chat.completion.chunk",
        choices: [{ index: 0, delta: { content: token } }],
      };
      const event = `data: ${JSON.stringify(chunk)}\n\n`;
      // Split each event's bytes in two writes, mid-character when possible, as proxies do.
      const bytes = Buffer.from(event);
      const cut = Math.floor(bytes.length / 2);
      res.write(bytes.subarray(0, cut));
      res.write(bytes.subarray(cut));
      record.answerSent += token;
    }, tokenDelayMs);
    res.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    record,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * How `received` differs from the feed's events 1 to `count`, each once, in order and with the
 * data the server sent under its ID: one line per kind of problem, none when it is exactly that.
 */
export function feedProblems(
  count: number,
  sent: ReadonlyMap<string, string>,
  received: readonly FeedEvent[],
): string[] {
  const expected = Array.from({ length: count }, (_, index) => String(index + 1));
  const seen = new Map<string, number>();
  for (const { id } of received) seen.set(id, (seen.get(id) ?? 0) + 1);
  const list = (label: string, ids: string[]) =>
    ids.length > 0 ? [`${label} ${[...new Set(ids)].join(", ")}`] : [];
  // The order in which the expected events first arrived, as positions in the feed.
  const firsts = [...seen.keys()].filter((id) => expected.includes(id)).map(Number);
  const late = firsts.filter((id, index) => index > 0 && id < (firsts[index - 1] as number));
  return [
    ...list(
      "lost",
      expected.filter((id) => !seen.has(id)),
    ),
    ...list(
      "duplicated",
      expected.filter((id) => (seen.get(id) ?? 0) > 1),
    ),
    ...list("out of order", late.map(String)),
    ...list(
      "not as sent",
      received
        .filter(({ id, data }) => expected.includes(id) && sent.get(id) !== data)
        .map((e) => e.id),
    ),
    ...list(
      "unexpected",
      received.filter(({ id }) => !expected.includes(id)).map((e) => e.id),
    ),
  ];
}
