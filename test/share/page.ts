/**
 * The script of the test page that test/share/share.chromium.test.ts opens in several pages:
 * ssekit from the sources with `ssekit/share`, and `window.clients` for the test to drive from
 * Node (`page.evaluate`): start a named client, read what it delivered and its state, close it.
 */
import "../../src/share/index.js";
import { SSEClient } from "../../src/index.js";

/** What a page's client saw. */
export interface Seen {
  /** The data of every message, in order. */
  data: string[];
  /** The `lastEventId` of every message, in order. */
  ids: string[];
  /** How many times `onOpen` was called. */
  opens: number;
  errors: string[];
}

const clients = new Map<string, { client: SSEClient; seen: Seen }>();

const api = {
  /** Starts client `name` on `url`, sharing its connection with `share`. */
  start(name: string, url: string, share: boolean): void {
    const seen: Seen = { data: [], ids: [], opens: 0, errors: [] };
    const client = new SSEClient(url, {
      ...(share ? { share: true } : {}),
      retry: { initialDelay: 10, jitter: 0 },
      onOpen: () => {
        seen.opens++;
      },
      onError: (error) => {
        seen.errors.push(String(error));
      },
    });
    client.on("message", (message) => {
      seen.data.push(message.data);
      seen.ids.push(message.lastEventId);
    });
    clients.set(name, { client, seen });
  },
  seen(name: string): Seen & { readyState: string } {
    const entry = clients.get(name);
    if (!entry) throw new Error(`no client ${name}`);
    return { ...entry.seen, readyState: entry.client.readyState };
  },
  close(name: string): void {
    clients.get(name)?.client.close();
  },
};

export type PageApi = typeof api;
(globalThis as unknown as { clients: PageApi }).clients = api;
