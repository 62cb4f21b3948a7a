/**
 * One run of the CLI: an {@link SSEClient} made from the command line, its events printed on stdout
 * as they come (a `for await` loop, so a slow reader of stdout slows the reading of the stream),
 * its state on stderr, and the exit code it ends with: 0 when the stream ended or `--max-events`
 * was reached, 1 when an error ended it, 130 on Ctrl-C (the connection closed first).
 */
import { SSEClient, type SSEClientOptions } from "../index.js";
import type { CliOptions } from "./args.js";
import { UsageError } from "./args.js";
import { readBody } from "./body.js";
import { describeError } from "./describe.js";
import { type Event, formatEvent } from "./format.js";
import { paintFor } from "./paint.js";

/** The exit code of Ctrl-C: 128 + SIGINT, as shells report it. */
const INTERRUPTED = 130;

/** Runs the command line's request to its end and returns the exit code. @throws UsageError */
export async function run(options: CliOptions): Promise<number> {
  const { stdout, stderr, env } = process;
  const out = paintFor(stdout, env);
  const err = paintFor(stderr, env);
  const log = (text: string, style = err.dim) => stderr.write(`${style(`ssekit: ${text}`)}\n`);
  const warn = (lines: string[]) => stderr.write(`${err.red(`ssekit: ${lines.join("\n")}`)}\n`);
  const format = options.output ?? (stdout.isTTY ? "pretty" : "ndjson");

  const client = makeClient(options, await requestOf(options), {
    onOpen: (response) =>
      log(`connected (${`${response.status} ${response.statusText}`.trim()})`, err.green),
    onError: (error) => {
      // The error that ends the client is printed once, at the end.
      if (client.readyState !== "closed") warn(describeError(error));
    },
    onRetry: ({ delay, attempt, cause }) => {
      const why = cause === "end" ? "the server ended the stream; " : "";
      const id = client.lastEventId
        ? ` with Last-Event-ID ${JSON.stringify(client.lastEventId)}`
        : "";
      log(`${why}reconnecting in ${duration(delay)} (attempt ${attempt})${id}`, err.yellow);
    },
  });

  let interrupted = false;
  let outputError: NodeJS.ErrnoException | undefined;
  const interrupt = () => {
    // A second Ctrl-C does not wait for anything.
    if (interrupted) process.exit(INTERRUPTED);
    interrupted = true;
    client.close();
  };
  process.on("SIGINT", interrupt);
  stdout.on("error", (error: NodeJS.ErrnoException) => {
    outputError = error;
    client.close();
  });
  log(`connecting to ${options.method} ${client.url}`);
  let events = 0;
  try {
    for await (const message of client) {
      if (outputError) break;
      if (!stdout.write(formatEvent(format, message as Event, out))) await drained(stdout);
      if (++events === options.maxEvents) {
        log(`closed after ${events} event${events === 1 ? "" : "s"} (--max-events)`);
        break;
      }
    }
  } catch (error) {
    warn(describeError(error));
    return 1;
  } finally {
    process.off("SIGINT", interrupt);
    client.close();
  }
  if (interrupted) {
    log("interrupted; connection closed");
    return INTERRUPTED;
  }
  // The reader of stdout went away (`ssekit … | head -n 1`): it had what it wanted.
  if (outputError?.code === "EPIPE") return 0;
  if (outputError) {
    warn([`cannot write the output: ${outputError.message}`]);
    return 1;
  }
  if (events !== options.maxEvents) log("the stream ended");
  return 0;
}

/** Waits until stdout takes more, or fails (its reader went away: the run's error listener saw it). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ["drain", "close", "error"]) stream.off(event, done);
      resolve();
    };
    for (const event of ["drain", "close", "error"]) stream.on(event, done);
  });
}

/** The request's part of the client's options: method, headers, body, Last-Event-ID. */
async function requestOf(options: CliOptions): Promise<SSEClientOptions> {
  const headers = [...options.headers];
  const named = (name: string) => headers.some(([given]) => given.toLowerCase() === name);
  if (options.body?.json && !named("content-type"))
    headers.push(["content-type", "application/json"]);
  return {
    method: options.method,
    headers,
    ...(options.body && { body: await readBody(options.body.source, options.body.json) }),
    ...(options.lastEventId !== undefined && { lastEventId: options.lastEventId }),
    ...(!options.reconnect && { retry: false }),
    idleTimeout: options.idleTimeout,
  };
}

/**
 * The client; an option it refuses (a header `fetch` rejects, a forbidden method) is a mistake
 * on the command line.
 */
function makeClient(
  options: CliOptions,
  request: SSEClientOptions,
  callbacks: SSEClientOptions,
): SSEClient {
  try {
    return new SSEClient(options.url, { ...request, ...callbacks });
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/** `250 ms`, `1.5 s`. */
function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
