/**
 * What a cross-origin redirect carries, in real Chromium (SECURITY.md, "Redirects"): the page, the
 * fixture server and its second listener are three origins. `fetch` drops `Authorization` on the
 * redirect to the other origin and sends every other header (`x-api-key`, `Last-Event-ID`) there;
 * `redirect: "manual"` ends the client with a fatal HttpError (status 0: browsers hide the
 * redirect) and nothing reaches the other origin. The same in Node: test/client/security.test.ts.
 */
import { describe, expect, inject, it } from "vitest";
import { HttpError, SSEClient } from "../../src/index.js";
import { Fixture, newKey, within } from "../event-source/helpers.js";

const fixture = new Fixture(inject("sseUrl"));
const TOKEN = "s3cr3t-token";

/** A stream on the second origin that records its requests under `key`: event 2 after ID 1. */
async function elsewhere(key: string): Promise<string> {
  const { altUrl } = await fixture.info();
  return `${altUrl}/client/numbered?${new URLSearchParams({ key, n: "2", last: "hold" })}`;
}

const secrets = {
  auth: { token: () => TOKEN },
  headers: { "x-api-key": "k-1" },
  lastEventId: "1",
};

describe("a cross-origin redirect in Chromium", () => {
  it("drops Authorization, still sends x-api-key and Last-Event-ID", async () => {
    const key = newKey();
    const client = new SSEClient(fixture.redirect(307, await elsewhere(key), key), {
      ...secrets,
      retry: false,
    });
    try {
      const first = new Promise<string>((resolve) => client.on("message", (m) => resolve(m.data)));
      expect(await within(first, 4000, () => "no event from the other origin")).toBe("2");
      const log = await fixture.log(key);
      const redirect = log.requests.find((r) => r.method === "GET" && r.path.startsWith("/es/"));
      const moved = log.requests.find((r) => r.method === "GET" && r.path.startsWith("/client/"));
      expect(redirect?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(moved?.headers.authorization).toBeUndefined();
      expect(moved?.headers["x-api-key"]).toBe("k-1");
      expect(moved?.lastEventId).toBe("1");
    } finally {
      client.close();
    }
  });

  it('redirect: "manual" ends the client with an HttpError, nothing sent to the other origin', async () => {
    const key = newKey();
    const client = new SSEClient(fixture.redirect(307, await elsewhere(key), key), {
      ...secrets,
      redirect: "manual",
      retry: { initialDelay: 10, jitter: 0 },
    });
    const error = await within(
      client.closed.then(
        () => undefined,
        (e: unknown) => e,
      ),
      4000,
      () => "the client did not close",
    );
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(0);
    const log = await fixture.log(key);
    expect(log.requests.filter((r) => r.path.startsWith("/client/"))).toEqual([]);
  });
});
