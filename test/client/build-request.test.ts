/**
 * Building the request of one connection (src/engine/request.ts, src/client/request.ts): header value encoding for
 * `Last-Event-ID` (the spec sends the ID "encoded as UTF-8", `Headers` only takes byte strings),
 * headers, body, auth and the RequestInit fields passed through to fetch.
 */
import { describe, expect, it, vi } from "vitest";
import type { AuthOptions } from "../../src/client/auth.js";
import { buildRequest, type RequestSettings } from "../../src/client/request.js";
import { encodeHeaderValue } from "../../src/engine/request.js";
import { CallbackError } from "../../src/errors/callback-error.js";
import { SSEError } from "../../src/errors/sse-error.js";

function settings(over: Partial<RequestSettings> = {}): RequestSettings {
  return { method: "GET", headers: undefined, body: undefined, auth: undefined, init: {}, ...over };
}

async function build(over: Partial<RequestSettings> = {}, lastEventId = "") {
  const signal = new AbortController().signal;
  const { init } = await buildRequest(settings(over), lastEventId, signal);
  return { init, headers: new Headers(init.headers), signal };
}

/** The bytes of a byte string (one char per byte), as hex. */
function hex(byteString: string): string {
  return [...byteString].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join(" ");
}

describe("encodeHeaderValue", () => {
  it("leaves ASCII unchanged (the very same string)", () => {
    for (const value of ["", "42", "abc-DEF_123", " !~\x7f", "\x01\x1f"]) {
      expect(encodeHeaderValue(value)).toBe(value);
    }
  });

  it("turns é into the byte string of its UTF-8 encoding", () => {
    expect(encodeHeaderValue("é")).toBe("\xC3\xA9");
    expect(encodeHeaderValue("id-é-1")).toBe("id-\xC3\xA9-1");
  });

  it("encodes characters outside the BMP (surrogate pairs) as 4 bytes", () => {
    expect(hex(encodeHeaderValue("😀"))).toBe("f0 9f 98 80");
    expect(hex(encodeHeaderValue("a€😀"))).toBe("61 e2 82 ac f0 9f 98 80");
  });

  it("encodes latin1-range characters too (ÿ is 2 bytes, not its code unit)", () => {
    expect(hex(encodeHeaderValue("ÿ"))).toBe("c3 bf");
  });

  it("a lone surrogate becomes U+FFFD's bytes", () => {
    expect(hex(encodeHeaderValue("\uD800"))).toBe("ef bf bd");
  });

  it("every char of the result is a byte, and decoding the bytes as UTF-8 gives the input", () => {
    for (const value of ["é", "日本語", "😀🎉", "mixed ascii ü and 🚀"]) {
      const encoded = encodeHeaderValue(value);
      for (const c of encoded) expect(c.charCodeAt(0)).toBeLessThan(256);
      expect(Buffer.from(encoded, "latin1").toString("utf8")).toBe(value);
    }
  });

  it("the result is accepted by Headers, where the raw value is not", () => {
    // (é alone is accepted raw, as the single byte 0xE9 — latin1, not UTF-8.)
    for (const value of ["日本語", "😀", "é€"]) {
      expect(() => new Headers({ "last-event-id": value })).toThrow(TypeError);
    }
    for (const value of ["é", "日本語", "😀", "é€"]) {
      const headers = new Headers({ "last-event-id": encodeHeaderValue(value) });
      expect(headers.get("last-event-id")).toBe(encodeHeaderValue(value));
    }
  });
});

describe("buildRequest: headers", () => {
  it("sends Accept: text/event-stream by default, and no Cache-Control", async () => {
    const { headers, init } = await build();
    expect(headers.get("accept")).toBe("text/event-stream");
    expect(headers.has("cache-control")).toBe(false);
    expect(headers.has("last-event-id")).toBe(false);
    expect(headers.has("authorization")).toBe(false);
    expect(headers.has("content-type")).toBe(false);
    expect(init.method).toBe("GET");
    expect(init.body).toBeUndefined();
  });

  it("keeps a user Accept, whatever its case", async () => {
    expect((await build({ headers: { Accept: "application/json" } })).headers.get("accept")).toBe(
      "application/json",
    );
    expect(
      (await build({ headers: [["ACCEPT", "text/event-stream; q=1"]] })).headers.get("accept"),
    ).toBe("text/event-stream; q=1");
  });

  it("takes headers as a record, tuples or a Headers object", async () => {
    for (const headers of [
      { "x-a": "1" },
      [["x-a", "1"]] as [string, string][],
      new Headers({ "x-a": "1" }),
    ]) {
      expect((await build({ headers })).headers.get("x-a")).toBe("1");
    }
  });

  it("does not mutate a Headers object the user passed", async () => {
    const user = new Headers({ "x-a": "1" });
    await build({ headers: user, body: { a: 1 }, method: "POST" }, "7");
    expect([...user.keys()]).toEqual(["x-a"]);
  });

  it("calls a sync headers function for every request", async () => {
    let n = 0;
    const headers = vi.fn(() => ({ "x-n": String(++n) }));
    expect((await build({ headers })).headers.get("x-n")).toBe("1");
    expect((await build({ headers })).headers.get("x-n")).toBe("2");
    expect(headers).toHaveBeenCalledTimes(2);
  });

  it("awaits an async headers function", async () => {
    const headers = async () => {
      await Promise.resolve();
      return new Headers({ "x-async": "yes", accept: "text/plain" });
    };
    const built = await build({ headers });
    expect(built.headers.get("x-async")).toBe("yes");
    expect(built.headers.get("accept")).toBe("text/plain");
  });

  it("sends Last-Event-ID only when it is not empty", async () => {
    expect((await build({}, "")).headers.has("last-event-id")).toBe(false);
    expect((await build({}, "42")).headers.get("last-event-id")).toBe("42");
    expect((await build({}, " ")).headers.get("last-event-id")).toBe(""); // Headers trims it
  });

  it("sends a non-ASCII Last-Event-ID as its UTF-8 bytes", async () => {
    const value = (await build({}, "é😀")).headers.get("last-event-id");
    expect(value).toBe("\xC3\xA9\xF0\x9F\x98\x80");
    expect(Buffer.from(value ?? "", "latin1").toString("utf8")).toBe("é😀");
  });

  it("Last-Event-ID replaces one the user set", async () => {
    expect(
      (await build({ headers: { "last-event-id": "old" } }, "new")).headers.get("last-event-id"),
    ).toBe("new");
  });
});

describe("buildRequest: auth", () => {
  it("sends Authorization: Bearer <token>", async () => {
    const auth: AuthOptions = { token: () => "abc" };
    expect((await build({ auth })).headers.get("authorization")).toBe("Bearer abc");
  });

  it("awaits an async token and calls it for every request", async () => {
    let n = 0;
    const auth: AuthOptions = { token: vi.fn(async () => `t${++n}`) };
    expect((await build({ auth })).headers.get("authorization")).toBe("Bearer t1");
    expect((await build({ auth })).headers.get("authorization")).toBe("Bearer t2");
    expect(auth.token).toHaveBeenCalledTimes(2);
  });

  it.each([undefined, null, ""])(
    "token %j sends no Authorization (and keeps a user one)",
    async (t) => {
      const auth: AuthOptions = { token: () => t };
      expect((await build({ auth })).headers.has("authorization")).toBe(false);
      expect(
        (await build({ auth, headers: { authorization: "Basic x" } })).headers.get("authorization"),
      ).toBe("Basic x");
    },
  );

  it("the token wins over a user Authorization header", async () => {
    const auth: AuthOptions = { token: () => "tok" };
    expect(
      (await build({ auth, headers: { authorization: "Basic x" } })).headers.get("authorization"),
    ).toBe("Bearer tok");
  });

  it("reports the auth refresh epoch (0 without auth or refresh)", async () => {
    const signal = new AbortController().signal;
    expect((await buildRequest(settings(), "", signal)).epoch).toBe(0);
    expect((await buildRequest(settings({ auth: { token: () => "x" } }), "", signal)).epoch).toBe(
      0,
    );
  });
});

describe("buildRequest: body", () => {
  it("sends a plain object as JSON with content-type application/json", async () => {
    const { init, headers } = await build({ method: "POST", body: { prompt: "hi", n: [1, 2] } });
    expect(init.body).toBe('{"prompt":"hi","n":[1,2]}');
    expect(headers.get("content-type")).toBe("application/json");
    expect(init.method).toBe("POST");
  });

  it("sends an array as JSON", async () => {
    const { init, headers } = await build({ method: "POST", body: [1, "a", { b: null }] });
    expect(init.body).toBe('[1,"a",{"b":null}]');
    expect(headers.get("content-type")).toBe("application/json");
  });

  it("sends a null-prototype object as JSON", async () => {
    const body = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    expect((await build({ method: "POST", body })).init.body).toBe('{"a":1}');
  });

  it("does not override a user content-type (any case)", async () => {
    const { init, headers } = await build({
      method: "POST",
      body: { a: 1 },
      headers: { "Content-Type": "application/vnd.api+json" },
    });
    expect(init.body).toBe('{"a":1}');
    expect(headers.get("content-type")).toBe("application/vnd.api+json");
  });

  it("passes a string, URLSearchParams, Blob or bytes through untouched, adding no content-type", async () => {
    const bodies = [
      "raw text",
      new URLSearchParams({ a: "1" }),
      new Blob(["x"]),
      new Uint8Array([1, 2]),
      new FormData(),
    ];
    for (const body of bodies) {
      const { init, headers } = await build({ method: "POST", body });
      expect(init.body).toBe(body);
      expect(headers.has("content-type")).toBe(false);
      expect("duplex" in init).toBe(false);
    }
  });

  it("sends no body for null or undefined", async () => {
    for (const body of [null, undefined]) {
      const { init } = await build({ method: "POST", body });
      expect("body" in init).toBe(false);
    }
  });

  it("calls a body function for every request (sync and async)", async () => {
    let n = 0;
    const sync = vi.fn(() => ({ n: ++n }));
    expect((await build({ method: "POST", body: sync })).init.body).toBe('{"n":1}');
    expect((await build({ method: "POST", body: sync })).init.body).toBe('{"n":2}');
    expect(sync).toHaveBeenCalledTimes(2);

    const asyncBody = async () => "async text";
    const built = await build({ method: "POST", body: asyncBody });
    expect(built.init.body).toBe("async text");
    expect(built.headers.has("content-type")).toBe(false);

    const asyncJson = async () => [1];
    const json = await build({ method: "POST", body: asyncJson });
    expect(json.init.body).toBe("[1]");
    expect(json.headers.get("content-type")).toBe("application/json");
  });

  it("a ReadableStream body gets duplex: 'half' (also from a body function)", async () => {
    const stream = new ReadableStream<Uint8Array>();
    const direct = await build({ method: "POST", body: stream });
    expect(direct.init.body).toBe(stream);
    expect((direct.init as { duplex?: string }).duplex).toBe("half");

    const fromFn = await build({ method: "POST", body: () => new ReadableStream() });
    expect(fromFn.init.body).toBeInstanceOf(ReadableStream);
    expect((fromFn.init as { duplex?: string }).duplex).toBe("half");
  });

  it("the built init is accepted by new Request (stream body included)", async () => {
    const { init } = await build({ method: "POST", body: new ReadableStream() }, "é");
    expect(() => new Request("http://localhost/", init)).not.toThrow();
  });
});

describe("buildRequest: CallbackError names the failing option", () => {
  const boom = new Error("boom");

  async function failure(over: Partial<RequestSettings>): Promise<CallbackError> {
    const error = await buildRequest(settings(over), "", new AbortController().signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CallbackError);
    expect(error).toBeInstanceOf(SSEError);
    return error as CallbackError;
  }

  it.each([
    [
      "headers",
      {
        headers: () => {
          throw boom;
        },
      },
    ],
    [
      "headers",
      {
        headers: async () => {
          throw boom;
        },
      },
    ],
    [
      "body",
      {
        method: "POST",
        body: () => {
          throw boom;
        },
      },
    ],
    ["body", { method: "POST", body: () => Promise.reject(boom) }],
    [
      "auth.token",
      {
        auth: {
          token: () => {
            throw boom;
          },
        },
      },
    ],
    [
      "auth.token",
      {
        auth: {
          token: async () => {
            throw boom;
          },
        },
      },
    ],
  ] as [string, Partial<RequestSettings>][])("%s", async (option, over) => {
    const error = await failure(over);
    expect(error.option).toBe(option);
    expect(error.cause).toBe(boom);
    expect(error.message).toContain(option);
    expect(error.message).toContain("boom");
    expect(error.name).toBe("CallbackError");
  });

  it("a non-Error thrown value is kept as the cause", async () => {
    const error = await failure({
      headers: () => {
        throw "nope";
      },
    });
    expect(error.option).toBe("headers");
    expect(error.cause).toBe("nope");
    expect(error.message).toContain("nope");
  });

  it("the first failing option is reported (headers before auth.token before body)", async () => {
    const token = vi.fn(() => "t");
    const body = vi.fn(() => "b");
    const error = await failure({
      method: "POST",
      headers: () => {
        throw boom;
      },
      auth: { token },
      body,
    });
    expect(error.option).toBe("headers");
    expect(token).not.toHaveBeenCalled();
    expect(body).not.toHaveBeenCalled();
  });
});

describe("buildRequest: RequestInit pass-through", () => {
  it("passes every RequestInit field, the method and the signal", async () => {
    const controller = new AbortController();
    const init = {
      cache: "no-store",
      credentials: "include",
      integrity: "sha256-abc",
      keepalive: true,
      mode: "cors",
      redirect: "error",
      referrer: "http://example.com/page",
      referrerPolicy: "no-referrer",
    } as const;
    const built = await buildRequest(settings({ method: "PUT", init }), "", controller.signal);
    expect(built.init).toMatchObject(init);
    expect(built.init.method).toBe("PUT");
    expect(built.init.signal).toBe(controller.signal);
  });

  it("the method, headers and signal win over same-named init fields", async () => {
    const controller = new AbortController();
    const init = {
      method: "DELETE",
      signal: new AbortController().signal,
      headers: { "x-bad": "1" },
    } as unknown as RequestSettings["init"];
    const built = await buildRequest(settings({ method: "GET", init }), "", controller.signal);
    expect(built.init.method).toBe("GET");
    expect(built.init.signal).toBe(controller.signal);
    expect(new Headers(built.init.headers).has("x-bad")).toBe(false);
  });

  it("adds no fields that were not given", async () => {
    const { init } = await build();
    expect(Object.keys(init).sort()).toEqual(["headers", "method", "signal"]);
  });
});
