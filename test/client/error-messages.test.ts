/**
 * What the messages of NetworkError and HttpError say: what failed (undici's `cause`, not its
 * "fetch failed"), and no URL's query string or credentials (where tokens go; messages end up in
 * logs). `cause` stays what `fetch` threw.
 */
import { describe, expect, it } from "vitest";
import { HttpError, NetworkError, type SSEError } from "../../src/index.js";
import { FAST_RETRY, recorder } from "../fixtures/client-recorder.js";
import { destroy, events, status } from "../fixtures/handlers.js";
import { closedPort } from "../fixtures/ports.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

describe("NetworkError's message", () => {
  it("says what failed on a refused connection (ECONNREFUSED and the address)", async () => {
    const port = await closedPort();
    const rec = recorder();
    ctx.client(`http://127.0.0.1:${port}/s`, { ...rec.callbacks, retry: FAST_RETRY });
    const error = await rec.errors.nth(1);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(`Could not connect: connect ECONNREFUSED 127.0.0.1:${port}`);
    // `cause` is undici's error as it was thrown.
    expect((error.cause as Error).message).toBe("fetch failed");
    expect(((error.cause as Error).cause as { code?: string }).code).toBe("ECONNREFUSED");
  });

  it("says what failed when the stream breaks off (undici's cause and its code)", async () => {
    const { server } = ctx;
    server.route("/s", [events(["data: a\n\n"], "destroy"), destroy()]);
    const rec = recorder();
    ctx.client(server.url("/s"), { ...rec.callbacks, retry: FAST_RETRY });
    const error = (await rec.errors.nth(1)) as NetworkError;
    expect(error.duringStream).toBe(true);
    expect(error.message).toBe("The event stream broke off: other side closed (UND_ERR_SOCKET)");
    expect((error.cause as Error).message).toBe("terminated");
  });

  it("lists every address of an AggregateError cause (several addresses tried)", () => {
    const aggregate = Object.assign(
      new AggregateError(
        [
          new Error("connect ECONNREFUSED ::1:1234"),
          new Error("connect ECONNREFUSED 127.0.0.1:1234"),
        ],
        "",
      ),
      { code: "ECONNREFUSED" },
    );
    const error = new NetworkError(new TypeError("fetch failed", { cause: aggregate }), false);
    expect(error.message).toBe(
      "Could not connect: connect ECONNREFUSED ::1:1234, connect ECONNREFUSED 127.0.0.1:1234",
    );
  });

  it("copies no URL's query string or credentials from the error it reports", async () => {
    const rec = recorder();
    // As Deno's fetch does, an error message with the URL in it.
    const thrown = new TypeError(
      "error sending request for url (http://user:hunter2@sse.test/s?token=secret#frag): connection refused",
    );
    ctx.client("http://sse.test/s?token=secret", {
      ...rec.callbacks,
      retry: FAST_RETRY,
      fetch: async () => {
        throw thrown;
      },
    });
    const error = await rec.errors.nth(1);
    expect(error.message).toBe(
      "Could not connect: error sending request for url (http://sse.test/s): connection refused",
    );
    expect(error.cause).toBe(thrown);
  });
});

describe("HttpError's message", () => {
  it("names the URL without its query string", async () => {
    const { server } = ctx;
    server.route("/s", status(404, { body: "not here" }));
    const rec = recorder();
    ctx.client(server.url("/s?token=secret&user=me"), rec.callbacks);
    const [error] = (await rec.errors.waitFor(1)) as SSEError[];
    expect(error).toBeInstanceOf(HttpError);
    expect(error?.message).toBe(`The server answered 404 Not Found (${server.url("/s")})`);
    expect((error as HttpError).status).toBe(404);
  });
});
