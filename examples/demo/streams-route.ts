/**
 * Three streams the page reads at the same time, each on its own connection, at its own pace:
 * `GET /api/metrics/<name>` sends a made-up reading every few hundred ms. `requests` ends its
 * stream cleanly every few events, as servers that rotate connections do: a GET is a subscription,
 * so the client reconnects and its state can be seen going from open to connecting and back.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

interface Metric {
  /** The pause between two readings, in ms. */
  intervalMs: number;
  /** The range of the readings. */
  min: number;
  max: number;
  /** The server ends the stream after this many events (then the client reconnects). */
  eventsPerConnection?: number;
}

/** The three metrics, by name. */
export const METRICS: Record<string, Metric> = {
  cpu: { intervalMs: 200, min: 5, max: 95 },
  memory: { intervalMs: 450, min: 30, max: 70 },
  requests: { intervalMs: 700, min: 0, max: 400, eventsPerConnection: 6 },
};

/** Answers `GET /api/metrics/<name>` and says whether it did. */
export function handleMetrics(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const name = /^\/api\/metrics\/(\w+)$/.exec(path)?.[1];
  const metric = name === undefined ? undefined : METRICS[name];
  if (req.method !== "GET" || metric === undefined) return false;
  const { intervalMs, min, max, eventsPerConnection = Number.POSITIVE_INFINITY } = metric;
  const header = req.headers["last-event-id"];
  let seq = typeof header === "string" && header !== "" ? Number(header) : 0;
  let value = (min + max) / 2;
  let sent = 0;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
  res.write("retry: 800\n\n");
  const timer = setInterval(() => {
    // A random walk, kept in range.
    value = Math.min(max, Math.max(min, value + (Math.random() - 0.5) * (max - min) * 0.2));
    res.write(`id: ${++seq}\ndata: ${value.toFixed(1)}\n\n`);
    if (++sent === eventsPerConnection) {
      clearInterval(timer);
      res.end();
    }
  }, intervalMs);
  res.on("close", () => clearInterval(timer));
  return true;
}
