/**
 * The guarantees of SECURITY.md, each against a real node:http server (two servers on two ports
 * are two origins): no secret in what errors say or what gets logged; what a cross-origin redirect
 * carries and how to refuse redirects; no header injection through event IDs or options; no
 * prototype pollution through `parse: "json"` or event types; a bounded error body whatever the
 * server sends.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpError, type SSEError } from "../../src/index.js";
import { FAST_RETRY, iterate, recorder } from "../fixtures/client-recorder.js";
import { destroy, events, hang, redirect, sse, status } from "../fixtures/handlers.js";
import { type Listening, serve } from "../fixtures/http-server.js";
import { closedPort } from "../fixtures/ports.js";
import { type Handler, type RecordedRequest, useServer } from "../fixtures/recording-server.js";

const ctx = useServer();
const TOKEN = "s3cr3t-token";
const KEY = "s3cr3t-key";

/** Everything an error can show: its message, String(), stack, and those of its causes. */
function shown(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error) parts.push(e.message, String(e), e.stack ?? "");
    else parts.push(String(e));
    e = (e as { cause?: unknown }).cause as { cause?: unknown } | undefined;
  }
  return parts.join("\n");
}

describe("no secret in errors or logs", () => {
  const consoles = ["log", "info", "warn", "error", "debug", "trace"] as const;
  afterEach(() => vi.restoreAllMocks());

  it.each<[string, Handler | undefined]>([
    ["a refused connection (NetworkError)", undefined],
    ["a 500 (HttpError)", status(500, { body: "oops" })],
    ["a 404 (fatal HttpError)", status(404)],
    ["a broken stream (NetworkError)", destroy()],
    ["text/html (ContentTypeError)", status(200)],
    ["a server that never answers (ConnectTimeoutError)", hang()],
  ])(
    "%s: the URL's query and credentials, the token and the headers appear nowhere",
    async (_, handler) => {
      const spies = consoles.map((name) => vi.spyOn(console, name));
      if (handler) ctx.server.route("/s", handler);
      const origin = handler ? ctx.server.origin : `http://127.0.0.1:${await closedPort()}`;
      const url = `${origin.replace("://", `://user:${TOKEN}@`)}/s?token=${TOKEN}&key=${KEY}#${TOKEN}`;
      const rec = recorder();
      const client = ctx.client(url, {
        auth: { token: () => TOKEN },
        headers: { "x-api-key": KEY },
        connectTimeout: 200,
        retry: { ...FAST_RETRY, maxAttempts: 2 },
        ...rec.callbacks,
      });
      const closed = await client.closed.then(
        () => undefined,
        (error: unknown) => error,
      );
      const errors: unknown[] = [...rec.errors.items, closed];
      expect(rec.errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        const text = shown(error);
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(KEY);
      }
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    },
  );
});

describe("redirects", () => {
  let other: Listening | undefined;
  afterEach(async () => {
    await other?.close();
    other = undefined;
  });

  /** A second server (another port: another origin) recording the headers it receives. */
  async function otherOrigin(): Promise<{
    origin: string;
    seen: Promise<RecordedRequest["headers"]>;
  }> {
    let resolve!: (headers: RecordedRequest["headers"]) => void;
    const seen = new Promise<RecordedRequest["headers"]>((r) => {
      resolve = r;
    });
    other = await serve((req, res) => {
      resolve(req.headers);
      sse(res, ["data: moved\n\n"]);
    });
    return { origin: other.origin, seen };
  }

  const secrets = {
    auth: { token: () => TOKEN },
    headers: { "x-api-key": KEY, cookie: `session=${TOKEN}` },
    lastEventId: "41",
  };

  it("cross-origin: fetch drops Authorization and Cookie, and still sends x-api-key and Last-Event-ID", async () => {
    const target = await otherOrigin();
    ctx.server.route("/s", redirect(307, `${target.origin}/elsewhere`));
    const client = ctx.client(ctx.server.url("/s"), secrets);
    const { messages } = iterate(client);
    expect((await messages.nth(1)).data).toBe("moved");
    const [first] = await ctx.server.requestsTo("/s").waitFor(1);
    expect(first?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const headers = await target.seen;
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    // What SECURITY.md warns about: fetch keeps every other header across origins.
    expect(headers["x-api-key"]).toBe(KEY);
    expect(headers["last-event-id"]).toBe("41");
  });

  it("same-origin: everything is sent again", async () => {
    ctx.server.route("/s", redirect(302, "/t"));
    ctx.server.route("/t", events(["data: here\n\n"]));
    const client = ctx.client(ctx.server.url("/s"), secrets);
    const { messages } = iterate(client);
    await messages.nth(1);
    const [request] = await ctx.server.requestsTo("/t").waitFor(1);
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers["x-api-key"]).toBe(KEY);
  });

  it('redirect: "manual" refuses every redirect: a fatal HttpError, nothing sent elsewhere', async () => {
    const target = await otherOrigin();
    let reached = false;
    void target.seen.then(() => {
      reached = true;
    });
    ctx.server.route("/s", redirect(307, `${target.origin}/elsewhere`));
    const rec = recorder();
    const client = ctx.client(ctx.server.url("/s"), {
      ...secrets,
      redirect: "manual",
      retry: FAST_RETRY,
      ...rec.callbacks,
    });
    const error = await client.closed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(307);
    expect((error as HttpError).headers.get("location")).toBe(`${target.origin}/elsewhere`);
    expect(rec.retries.length).toBe(0);
    expect(ctx.server.requests.length).toBe(1);
    expect(reached).toBe(false);
  });
});

describe("no header injection", () => {
  it("an id cannot smuggle a header: CR ends the line, the rest is an unknown field", async () => {
    const { server } = ctx;
    server.route("/s", [
      events(["id: 7\rx-injected: yes\r\ndata: a\n\n"], "end"),
      events(["data: b\n\n"]),
    ]);
    const client = ctx.client(server.url("/s"), { retry: FAST_RETRY });
    const { messages } = iterate(client);
    await messages.waitFor(2);
    const [, second] = await server.requestsTo("/s").waitFor(2);
    expect(second?.headers["last-event-id"]).toBe("7");
    expect(second?.headers["x-injected"]).toBeUndefined();
  });

  it.each([
    ["lastEventId", { lastEventId: "1\r\nx-injected: yes" }],
    ["headers", { headers: { "x-api-key": "k\r\nx-injected: yes" } }],
    ["method", { method: "GET\r\nx-injected: yes" }],
  ])("option %s with CR LF throws TypeError in the constructor", (_, options) => {
    expect(() => ctx.client(ctx.server.url("/s"), options)).toThrow(TypeError);
    expect(ctx.server.requests.length).toBe(0);
  });

  it("a token with CR LF ends the client before any request is sent", async () => {
    const rec = recorder();
    const client = ctx.client(ctx.server.url("/s"), {
      auth: { token: () => "t\r\nx-injected: yes" },
      ...rec.callbacks,
    });
    const error = (await client.closed.catch((e: unknown) => e)) as SSEError;
    expect(error.message).toMatch(/Could not build the request/);
    expect(ctx.server.requests.length).toBe(0);
    expect(rec.retries.length).toBe(0);
  });

  it("a URL with CR LF cannot add a header (the URL parser drops them)", async () => {
    const { server } = ctx;
    server.route("/sx-injected:%20yes", events(["data: a\n\n"]));
    const client = ctx.client(`${server.url("/s")}\r\nx-injected: yes`);
    const { messages } = iterate(client);
    await messages.nth(1);
    const [request] = await server.requests.waitFor(1);
    expect(request?.headers["x-injected"]).toBeUndefined();
  });
});

describe("no prototype pollution", () => {
  it('parse: "json" keeps __proto__ as an own key of the data', async () => {
    const { server } = ctx;
    server.route(
      "/s",
      events(['data: {"__proto__": {"polluted": "yes"}, "constructor": {"prototype": 1}}\n\n']),
    );
    const client = ctx.client(server.url("/s"), { parse: "json" });
    const { messages } = iterate(client);
    const { data } = await messages.nth(1);
    expect(Object.hasOwn(data as unknown as object, "__proto__")).toBe(true);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  it("event types named after Object.prototype members reach their own listeners only", async () => {
    const { server } = ctx;
    server.route(
      "/s",
      events([
        "event: __proto__\ndata: a\n\nevent: constructor\ndata: b\n\nevent: toString\ndata: c\n\n",
      ]),
    );
    const client = ctx.client(server.url("/s"));
    const got: string[] = [];
    const done = new Promise<void>((resolve) => {
      client.on("__proto__", (m) => got.push(`__proto__=${m.data}`));
      client.on("constructor", (m) => got.push(`constructor=${m.data}`));
      client.on("toString", (m) => {
        got.push(`toString=${m.data}`);
        resolve();
      });
    });
    await done;
    expect(got).toEqual(["__proto__=a", "constructor=b", "toString=c"]);
    expect(Object.prototype.toString.call({})).toBe("[object Object]");
  });
});

describe("an error body is read only as far as HttpError.body keeps it", () => {
  it("a 1 GB body: the client reads a bounded prefix and cancels; the server writes little of it", async () => {
    const { server } = ctx;
    const GB = 1 << 30;
    const CHUNK = Buffer.alloc(64 * 1024, "x");
    let written = 0;
    const finished = new Promise<boolean>((resolve) => {
      server.route("/s", ({ res }) => {
        res.writeHead(500, { "content-type": "text/plain", "content-length": String(GB) });
        res.on("close", () => resolve(written >= GB));
        const pump = () => {
          while (written < GB && !res.destroyed) {
            written += CHUNK.length;
            if (!res.write(CHUNK)) return void res.once("drain", pump);
          }
        };
        pump();
      });
    });
    const client = ctx.client(server.url("/s"), { retry: false });
    const error = (await client.closed.catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.body.length).toBe(HttpError.MAX_BODY);
    // The connection was dropped long before the end: what was written is socket buffers' worth.
    expect(await finished).toBe(false);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });
});
