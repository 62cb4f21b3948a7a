/**
 * `share` in Node, against the recording server (a real node:http server): the option's checks;
 * the fallback where Web Locks or BroadcastChannel are missing (a connection per client, nothing
 * else changes); and, with Web Locks faked (test/fixtures/fake-locks.ts) and Node's own
 * BroadcastChannel, the protocol between the clients of one process: one connection, handover
 * with Last-Event-ID, streams without IDs, a follower's close, a leader's fatal error, the
 * connection state relayed. Chromium runs the same with pages (share.chromium.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import "../../src/share/index.js";
import { HttpError, type SSEClient, SSEError } from "../../src/index.js";
import { FAST_RETRY, recorder } from "../fixtures/client-recorder.js";
import { Collector } from "../fixtures/collector.js";
import { FakeLocks } from "../fixtures/fake-locks.js";
import { events, sse, status } from "../fixtures/handlers.js";
import type { RecordedRequest } from "../fixtures/recording-server.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

/** The data a client delivers, collected (a listener: the client's first consumer). */
function collect(client: SSEClient): Collector<string> {
  const data = new Collector<string>();
  client.on("message", (message) => data.push(message.data));
  return data;
}

/** A stream handler that keeps its response for the test to write to. */
function held(responses: Collector<RecordedRequest>) {
  return (request: RecordedRequest) => {
    sse(request.res);
    responses.push(request);
  };
}

describe("the option", () => {
  it.each([
    ["a POST", { method: "POST", share: true }, /GET subscriptions/],
    ["reconnectOnEnd: false", { reconnectOnEnd: false, share: true }, /GET subscriptions/],
    ["pauseWhenHidden", { pauseWhenHidden: true, share: true }, /pauseWhenHidden/],
    ["a string", { share: "yes" }, /must be true, false or \{ key \}/],
    ["an empty key", { share: { key: "" } }, /non-empty string/],
  ] as const)("with %s: a TypeError at construction, nothing sent", (_, options, message) => {
    expect(() => ctx.client(ctx.server.url("/s"), options as never)).toThrow(
      expect.objectContaining({ name: "TypeError", message: expect.stringMatching(message) }),
    );
    expect(ctx.server.requests.length).toBe(0);
  });

  it('without import "ssekit/share": a TypeError that says so', () => {
    const registry = globalThis as Record<symbol, unknown>;
    const key = Symbol.for("ssekit.share");
    const registered = registry[key];
    delete registry[key];
    try {
      expect(() => ctx.client(ctx.server.url("/s"), { share: true })).toThrow(
        /options\.share needs import "ssekit\/share"/,
      );
    } finally {
      registry[key] = registered;
    }
  });
});

describe.each([
  ["no Web Locks", { navigator: {} }],
  ["no BroadcastChannel", { navigator: { locks: new FakeLocks() }, BroadcastChannel: undefined }],
])("without sharing APIs (%s): a connection per client", (_, globals) => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(globals)) vi.stubGlobal(name, value);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("3 clients: 3 connections, each delivering the stream", async () => {
    ctx.server.route("/s", events(["id: 1\ndata: a\n\n"]));
    const clients = [1, 2, 3].map(() => ctx.client(ctx.server.url("/s"), { share: true }));
    for (const client of clients) expect(await collect(client).waitFor(1)).toEqual(["a"]);
    expect(ctx.server.requestsTo("/s").length).toBe(3);
    expect(clients.map((client) => client.lastEventId)).toEqual(["1", "1", "1"]);
  });
});

describe("with Web Locks (faked) and BroadcastChannel: one connection for the process", () => {
  let locks: FakeLocks;
  beforeEach(() => {
    locks = new FakeLocks();
    vi.stubGlobal("navigator", { locks });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("3 clients: 1 connection; every client gets every message; followers see the state", async () => {
    const responses = new Collector<RecordedRequest>();
    ctx.server.route("/s", held(responses));
    const rec = recorder();
    const leader = ctx.client(ctx.server.url("/s"), { share: true });
    const leaderData = collect(leader);
    const stream = await responses.nth(1);
    const followers = [1, 2].map(() =>
      ctx.client(ctx.server.url("/s"), { share: true, ...rec.callbacks }),
    );
    const data = followers.map(collect);
    // A follower that joins an open stream is open, told by onOpen (status and headers, no body).
    const opened = await rec.opens.waitFor(2);
    expect(opened.map((response) => response.status)).toEqual([200, 200]);
    expect(opened[0]?.headers.get("content-type")).toBe("text/event-stream");
    expect(followers.map((client) => client.readyState)).toEqual(["open", "open"]);
    stream.res.write("id: 1\ndata: a\n\n: beat\n\nid: 2\nevent: other\ndata: x\n\ndata: b\n\n");
    expect(await leaderData.waitFor(2)).toEqual(["a", "b"]);
    for (const collector of data) expect(await collector.waitFor(2)).toEqual(["a", "b"]);
    expect(await rec.comments.waitFor(2)).toEqual([" beat", " beat"]);
    expect(followers.map((client) => client.lastEventId)).toEqual(["2", "2"]);
    expect(ctx.server.requestsTo("/s").length).toBe(1);
  });

  it("the leader closes: the next client resumes with Last-Event-ID, nobody repeats or loses a message; the last close ends the connection", async () => {
    const responses = new Collector<RecordedRequest>();
    ctx.server.route("/s", held(responses));
    const clients = [1, 2, 3].map(() => ctx.client(ctx.server.url("/s"), { share: true }));
    const data = clients.map(collect);
    const first = await responses.nth(1);
    first.res.write("id: 1\ndata: 1\n\nid: 2\ndata: 2\n\ndata: 3\n\n");
    for (const collector of data) await collector.waitFor(3);
    clients[0]?.close();
    const second = await responses.nth(2);
    expect(second.lastEventId).toBe("2");
    // The server resends what followed ID 2: message 3 again, which every client had.
    second.res.write("data: 3\n\nid: 4\ndata: 4\n\n");
    for (const collector of data.slice(1)) {
      expect(await collector.waitFor(4)).toEqual(["1", "2", "3", "4"]);
    }
    expect(data[0]?.items).toEqual(["1", "2", "3"]);
    clients[1]?.close();
    const third = await responses.nth(3);
    expect(third.lastEventId).toBe("4");
    clients[2]?.close();
    await third.closed;
    expect(locks.held).toEqual([]);
    expect(ctx.server.requestsTo("/s").length).toBe(3);
  });

  it("a stream without IDs: the next leader connects without Last-Event-ID, and what it brings is new to everyone", async () => {
    const responses = new Collector<RecordedRequest>();
    ctx.server.route("/s", held(responses));
    const clients = [1, 2].map(() => ctx.client(ctx.server.url("/s"), { share: true }));
    const data = clients.map(collect);
    (await responses.nth(1)).res.write("data: a\n\ndata: b\n\n");
    for (const collector of data) await collector.waitFor(2);
    clients[0]?.close();
    const second = await responses.nth(2);
    expect(second.lastEventId).toBeUndefined();
    second.res.write("data: c\n\n");
    expect(await data[1]?.waitFor(3)).toEqual(["a", "b", "c"]);
  });

  it("a follower's close ends only that client", async () => {
    const responses = new Collector<RecordedRequest>();
    ctx.server.route("/s", held(responses));
    const [leader, follower] = [1, 2].map(() =>
      ctx.client(ctx.server.url("/s"), { share: true }),
    ) as [SSEClient, SSEClient];
    const leaderData = collect(leader);
    const stream = await responses.nth(1);
    follower.close();
    await follower.closed;
    expect(follower.readyState).toBe("closed");
    stream.res.write("data: a\n\n");
    expect(await leaderData.waitFor(1)).toEqual(["a"]);
    expect(leader.readyState).toBe("open");
    expect(ctx.server.requestsTo("/s").length).toBe(1);
  });

  it("a client started again after a handover joins the new leader's stream", async () => {
    const responses = new Collector<RecordedRequest>();
    ctx.server.route("/s", held(responses));
    const [a, b, c] = [1, 2, 3].map(() => ctx.client(ctx.server.url("/s"), { share: true })) as [
      SSEClient,
      SSEClient,
      SSEClient,
    ];
    const [, bData, cData] = [a, b, c].map(collect) as Collector<string>[];
    (await responses.nth(1)).res.write("id: 1\ndata: 1\n\n");
    await bData?.waitFor(1);
    b.close();
    a.close();
    const second = await responses.nth(2);
    second.res.write("id: 2\ndata: 2\n\n");
    await cData?.waitFor(2);
    b.connect();
    await vi.waitFor(() => expect(b.readyState).toBe("open"));
    second.res.write("id: 3\ndata: 3\n\n");
    expect(await bData?.waitFor(2)).toEqual(["1", "3"]);
    expect(b.lastEventId).toBe("3");
  });

  it("a fatal error closes the leader with it; the next client takes over with its own request", async () => {
    ctx.server.route("/s", [status(401), events(["data: a\n\n"])]);
    const first = ctx.client(ctx.server.url("/s"), { share: true });
    const second = ctx.client(ctx.server.url("/s"), { share: true });
    await expect(first.closed).rejects.toBeInstanceOf(HttpError);
    expect(await collect(second).waitFor(1)).toEqual(["a"]);
    expect(ctx.server.requestsTo("/s").length).toBe(2);
  });

  it("the leader's reconnection: followers are told the error and the retry", async () => {
    ctx.server.route("/s", [events(["id: 1\ndata: a\n\n"], "destroy"), events(["data: b\n\n"])]);
    const leader = ctx.client(ctx.server.url("/s"), { share: true, retry: FAST_RETRY });
    const rec = recorder();
    const follower = ctx.client(ctx.server.url("/s"), { share: true, ...rec.callbacks });
    const data = collect(follower);
    collect(leader);
    expect(await data.waitFor(2)).toEqual(["a", "b"]);
    const [error] = await rec.errors.waitFor(1);
    expect(error).toBeInstanceOf(SSEError);
    expect(error?.message).toMatch(/^NetworkError on the shared connection: /);
    expect((await rec.retries.nth(1)).attempt).toBe(1);
    expect((await ctx.server.requestsTo("/s").nth(2)).lastEventId).toBe("1");
  });
});
