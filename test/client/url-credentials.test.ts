/**
 * Credentials in the URL (`http://user:pass@host/`): `fetch` refuses such a URL, so SSEClient
 * sends them as `Authorization: Basic` (what a browser does for that URL) and fetches the URL
 * without them; an `Authorization` of the caller's own, or the `auth` option's token, wins.
 */
import { describe, expect, it } from "vitest";
import { FAST_RETRY, iterate } from "../fixtures/client-recorder.js";
import { events } from "../fixtures/handlers.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

/** `Basic` credentials: base64 of the UTF-8 bytes of `user:password`. */
function basic(pair: string): string {
  return `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
}

/** The server's URL for `path`, with `userinfo@` in it. */
function withCredentials(path: string, userinfo: string): string {
  return ctx.server.url(path).replace("://", `://${userinfo}@`);
}

describe("credentials in the URL", () => {
  it("are sent as Authorization: Basic on every connection, the URL fetched has none", async () => {
    const { server } = ctx;
    server.route("/s", [events(["id: 1\ndata: a\n\n"], "end"), events(["data: b\n\n"])]);
    const urls: string[] = [];
    const client = ctx.client(withCredentials("/s?x=1", "us%C3%A9r:p%40ss:w%C3%B6rd"), {
      retry: FAST_RETRY,
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    const { messages } = iterate(client);
    await messages.waitFor(2);
    const requests = await server.requestsTo("/s").waitFor(2);
    expect(requests.map((r) => r.headers.authorization)).toEqual([
      basic("usér:p@ss:wörd"),
      basic("usér:p@ss:wörd"),
    ]);
    expect(urls).toEqual([server.url("/s?x=1"), server.url("/s?x=1")]);
    // The client's own `url` is the URL it was given, serialised (as EventSource's `url` is).
    expect(client.url).toBe(new URL(withCredentials("/s?x=1", "us%C3%A9r:p%40ss:w%C3%B6rd")).href);
  });

  it("a user name alone is sent with an empty password", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n"]));
    const { messages } = iterate(ctx.client(withCredentials("/s", "user")));
    await messages.waitFor(1);
    const [request] = await server.requestsTo("/s").waitFor(1);
    expect(request?.headers.authorization).toBe(basic("user:"));
  });

  it("an Authorization header of the caller's wins", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n"]));
    const client = ctx.client(withCredentials("/s", "user:pass"), {
      headers: { Authorization: "Custom mine" },
    });
    const { messages } = iterate(client);
    await messages.waitFor(1);
    const [request] = await server.requestsTo("/s").waitFor(1);
    expect(request?.headers.authorization).toBe("Custom mine");
  });

  it("the auth option's bearer token wins; without a token the Basic credentials are sent", async () => {
    const { server } = ctx;
    server.route("/s", [events(["data: a\n\n"], "end"), events(["data: b\n\n"])]);
    const tokens = ["tok", undefined];
    const client = ctx.client(withCredentials("/s", "user:pass"), {
      retry: FAST_RETRY,
      auth: { token: () => tokens.shift() },
    });
    const { messages } = iterate(client);
    await messages.waitFor(2);
    const requests = await server.requestsTo("/s").waitFor(2);
    expect(requests.map((r) => r.headers.authorization)).toEqual([
      "Bearer tok",
      basic("user:pass"),
    ]);
  });
});
