/**
 * The page's live feed, whose connection the server drops at random, sometimes in the middle of an
 * event, as flaky networks and restarting proxies do.
 *
 * - `GET /api/feed` streams events numbered from 1, every EVENT_INTERVAL_MS, each with its number
 *   as event ID and `{ seq, price }` as data; a request with `Last-Event-ID` goes on after it.
 *   After each event the connection is dropped with probability DROP_CHANCE.
 * - `POST /api/feed/drop` drops every open feed connection now, mid-event (the page's button).
 *
 * The route keeps a record of each connection: the `Last-Event-ID` it came with and the last event
 * it sent whole, so a test can check that every resume started from an event the server sent whole.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

const EVENT_INTERVAL_MS = 250;
/** The chance of a drop after each event: one drop every 4 s or so. */
const DROP_CHANCE = 1 / 16;

/** The data of feed event `seq`: a made-up price. */
export function feedPrice(seq: number): number {
  return Number((100 + Math.sin(seq / 3) * 5 + Math.sin(seq * 1.7)).toFixed(2));
}

/** One feed connection, as the server saw it. */
export interface FeedConnection {
  /** The `Last-Event-ID` the request came with (`undefined`: none). */
  lastEventId: string | undefined;
  /** The number of the last event the server wrote whole on it (the one before the first: none). */
  lastSent: number;
  /** How the server dropped it: at random, or forced by `POST /api/feed/drop`. */
  dropped?: Drop;
}

type Drop = "at random" | "forced";

export interface FeedRouteOptions {
  /** A broken resume, to show the page's check fail: see `LlmServerOptions.feedFault`. */
  fault?: "replay" | "skip" | undefined;
  /** The chance of a random drop after each event. @defaultValue 1/16 */
  dropChance?: number;
}

/** The feed's two routes: `handle` answers a request when it is theirs and says whether it did. */
export interface FeedRoute {
  connections: FeedConnection[];
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

export function createFeedRoute(options: FeedRouteOptions = {}): FeedRoute {
  const { fault, dropChance = DROP_CHANCE } = options;
  const connections: FeedConnection[] = [];
  /** Drops each open connection mid-event. */
  const open = new Set<(how: Drop) => void>();

  function feed(req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers["last-event-id"];
    const lastEventId = typeof header === "string" && header !== "" ? header : undefined;
    const after = fault === "replay" || lastEventId === undefined ? 0 : Number(lastEventId);
    const connection: FeedConnection = { lastEventId, lastSent: after };
    connections.push(connection);
    let next = after + (fault === "skip" && lastEventId !== undefined ? 2 : 1);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
    res.write("retry: 600\n\n");
    const drop = (how: Drop) => {
      connection.dropped = how;
      clearInterval(timer);
      open.delete(drop);
      // Half an event, then the connection is gone (once what was written is sent): the client
      // never dispatches the half event.
      res.write(`id: ${next}\ndata: {"seq":${next},"pri`);
      res.socket?.destroySoon();
    };
    const timer = setInterval(() => {
      res.write(`id: ${next}\ndata: ${JSON.stringify({ seq: next, price: feedPrice(next) })}\n\n`);
      connection.lastSent = next++;
      if (Math.random() < dropChance) drop("at random");
    }, EVENT_INTERVAL_MS);
    open.add(drop);
    res.on("close", () => {
      clearInterval(timer);
      open.delete(drop);
    });
  }

  return {
    connections,
    handle(req, res, path) {
      if (req.method === "GET" && path === "/api/feed") feed(req, res);
      else if (req.method === "POST" && path === "/api/feed/drop") {
        const dropped = open.size;
        for (const drop of [...open]) drop("forced");
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ dropped }));
      } else return false;
      return true;
    },
  };
}
