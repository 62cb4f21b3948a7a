/**
 * The client benchmark's harness: the server child process (bench/client-server.ts) driven over
 * IPC, and the small helpers every phase uses.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fullGc } from "./gc.js";
import { mulberry32 } from "./random.js";

/** Two full collections: what the heap measurement needs for a settled `heapUsed`. */
export function fullGcTwice(): void {
  fullGc();
  fullGc();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every contender once, in an order shuffled afresh each round (seeded: the same on every run).
 * Not a rotation: rotating keeps neighbours together, so a position effect (a contender always
 * running right after the same one) repeats every round instead of averaging out; with rotation,
 * the A/A control read 0.43x on llm-zh in two runs.
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const rng = mulberry32(0x5e5e_0300 + round);
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j] as T, order[i] as T];
  }
  return order;
}

interface Reply {
  id?: number;
  ready?: number;
  opened?: string;
  idle?: number;
  live?: number;
}

export class Server {
  private nextId = 0;
  private readonly calls = new Map<number, (reply: Reply) => void>();
  private readonly openedWaiters = new Map<string, () => void>();
  base = "";

  private constructor(readonly child: ChildProcess) {
    child.on("message", (reply: Reply) => {
      if (reply.id !== undefined) {
        this.calls.get(reply.id)?.(reply);
        this.calls.delete(reply.id);
      } else if (reply.opened !== undefined) {
        this.openedWaiters.get(reply.opened)?.();
        this.openedWaiters.delete(reply.opened);
      }
    });
  }

  static async start(): Promise<Server> {
    const child = fork(new URL("./client-server.ts", import.meta.url), [], {
      execArgv: ["--import", import.meta.resolve("tsx")],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const server = new Server(child);
    const port = await new Promise<number>((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        if (reply.ready === undefined) return;
        child.off("message", onMessage);
        resolve(reply.ready);
      };
      child.on("message", onMessage);
      child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    });
    server.base = `http://127.0.0.1:${port}`;
    return server;
  }

  call(cmd: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.calls.set(id, resolve);
      this.child.send({ id, cmd, ...extra });
    });
  }

  /** Fire and forget (the latency test's hot path). */
  send(message: Record<string, unknown>): void {
    this.child.send(message);
  }

  opened(token: string): Promise<void> {
    return new Promise((resolve) => this.openedWaiters.set(token, resolve));
  }

  /** Waits until the server holds exactly `idle` idle connections. */
  async waitIdle(idle: number, timeout = 20_000): Promise<void> {
    const deadline = performance.now() + timeout;
    for (;;) {
      const reply = await this.call("count");
      if (reply.idle === idle) return;
      if (performance.now() > deadline) {
        throw new Error(`server holds ${reply.idle} idle connections, expected ${idle}`);
      }
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.send({ cmd: "exit" });
    await exited;
  }
}

/** Resolves with `promise`, or rejects after `ms`. The timer never outlives the race. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
