/**
 * The browser page of `npm run demo`, as routes of the demo's server (examples/llm-server.ts takes
 * them as its `routes` option): the page's files, its chat behind an expiring token, its feed that
 * drops at random, and its three metric streams. Everything is same-origin: no CORS.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createAssets } from "./assets.js";
import { type ChatRecord, createChatRoute } from "./chat-route.js";
import { createFeedRoute, type FeedConnection, type FeedRouteOptions } from "./feed-route.js";
import { handleMetrics } from "./streams-route.js";

export interface DemoPage {
  /** Answers a request for the page and says whether it did. */
  routes(req: IncomingMessage, res: ServerResponse): boolean;
  /** What the chat route did. */
  chat: ChatRecord;
  /** Every feed connection, in order. */
  feed: FeedConnection[];
}

export function createDemoPage(options: FeedRouteOptions = {}): DemoPage {
  const assets = createAssets();
  const chat = createChatRoute();
  const feed = createFeedRoute(options);
  return {
    chat: chat.record,
    feed: feed.connections,
    routes(req, res) {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      return (
        assets.handle(req, res, path) ||
        chat.handle(req, res, path) ||
        feed.handle(req, res, path) ||
        handleMetrics(req, res, path)
      );
    },
  };
}
