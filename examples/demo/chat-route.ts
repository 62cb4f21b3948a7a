/**
 * The page's chat: an LLM-style answer streamed to a POST, behind a bearer token that expires in
 * the middle of the answer.
 *
 * - `POST /api/token` issues a token (`tok-1`, `tok-2`, ...). A token lasts TOKEN_LIFETIME_MS from
 *   the first request that uses it, so a fresh token is never refused.
 * - `POST /api/chat` streams the answer, one word per event in OpenAI's chunk format, each with its
 *   index as event ID, then `data: [DONE]`. When the token expires, the server cuts the stream (as
 *   a gateway that enforces token lifetimes does). A request with an expired or unknown token gets
 *   401; one with `Last-Event-ID` goes on after that word. So the client reconnects, is refused,
 *   refreshes its token and resumes: the answer arrives whole, each word once.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** How long a token lasts from its first use, in ms: about a third of the answer. */
export const TOKEN_LIFETIME_MS = 1_200;
/** The pause between two words of the answer, in ms. */
const WORD_DELAY_MS = 45;

/** The page's answer. */
export const PAGE_ANSWER =
  "Server-sent events stream text over plain HTTP, one event at a time, and a POST can carry the " +
  "prompt. This answer is streamed to a POST with a bearer token that lasts about a second: the " +
  "server cuts the stream when it expires, the next request is refused with 401, ssekit calls " +
  "your refresh function once, and resumes with Last-Event-ID right after the last word it got. " +
  "Nothing is asked twice, nothing is lost, and every word arrives exactly once, in order.";

/** What the chat route did, for the page's test. */
export interface ChatRecord {
  /** How many tokens `/api/token` issued. */
  tokensIssued: number;
  /** How many chat requests were refused with 401. */
  refused: number;
  /** How many chat streams the server cut because their token expired. */
  cut: number;
}

/** The chat's two routes: `handle` answers a request when it is theirs and says whether it did. */
export interface ChatRoute {
  record: ChatRecord;
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

export function createChatRoute(): ChatRoute {
  const record: ChatRecord = { tokensIssued: 0, refused: 0, cut: 0 };
  /** Each token issued, with the time it expires once it was first used. */
  const expiries = new Map<string, number | undefined>();
  const words = PAGE_ANSWER.match(/\S+\s*/g) ?? [];

  function issueToken(res: ServerResponse): void {
    const token = `tok-${++record.tokensIssued}`;
    expiries.set(token, undefined);
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ token, lifetimeMs: TOKEN_LIFETIME_MS }));
  }

  /** When the request's token expires, or undefined when it has none that is still valid. */
  function expiryOf(req: IncomingMessage): number | undefined {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (token === undefined || !expiries.has(token)) return undefined;
    const expiry = expiries.get(token) ?? Date.now() + TOKEN_LIFETIME_MS;
    expiries.set(token, expiry);
    return expiry > Date.now() ? expiry : undefined;
  }

  function chat(req: IncomingMessage, res: ServerResponse): void {
    req.resume(); // The prompt is not read: the answer is always the same.
    const expiry = expiryOf(req);
    if (expiry === undefined) {
      record.refused++;
      res.writeHead(401, { "www-authenticate": 'Bearer error="invalid_token"' });
      res.end("the token has expired");
      return;
    }
    const header = req.headers["last-event-id"];
    let next = typeof header === "string" && header !== "" ? Number(header) + 1 : 0;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
    res.write("retry: 300\n\n");
    const timer = setInterval(() => {
      if (next === words.length) {
        clearInterval(timer);
        res.end("data: [DONE]\n\n");
      } else if (Date.now() >= expiry) {
        clearInterval(timer);
        record.cut++;
        // A cut, not an end: the chunked body stays unfinished, so the client sees an error.
        res.socket?.destroySoon();
      } else {
        const chunk = { choices: [{ index: 0, delta: { content: words[next] } }] };
        res.write(`id: ${next}\ndata: ${JSON.stringify(chunk)}\n\n`);
        next++;
      }
    }, WORD_DELAY_MS);
    res.on("close", () => clearInterval(timer));
  }

  return {
    record,
    handle(req, res, path) {
      if (req.method !== "POST") return false;
      if (path === "/api/token") issueToken(res);
      else if (path === "/api/chat") chat(req, res);
      else return false;
      return true;
    },
  };
}
