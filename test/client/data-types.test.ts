/**
 * The type of `data`, checked by `tsc --noEmit` (npm test's typecheck) and by vitest's
 * expectTypeOf: a string by default, `unknown` with `parse: "json"` (the server's JSON is not
 * checked), a parse function's return type, and the event map when one is given.
 */
import { describe, expectTypeOf, it } from "vitest";
import { SSEClient, type SSEClientOptions } from "../../src/index.js";

const url = "http://127.0.0.1:1/";
const options = { start: false } as const;

describe("the type of data", () => {
  it("is string without parse", () => {
    const client = new SSEClient(url, options);
    client.on("message", (m) => expectTypeOf(m.data).toEqualTypeOf<string>());
    expectTypeOf<Parameters<Parameters<typeof client.on>[1]>[0]["data"]>().toEqualTypeOf<string>();
  });

  it('is unknown with parse: "json" and no type argument', () => {
    const client = new SSEClient(url, { ...options, parse: "json" });
    client.on("message", (m) => expectTypeOf(m.data).toEqualTypeOf<unknown>());
    const step = client[Symbol.asyncIterator]().next();
    expectTypeOf(step).resolves.toMatchTypeOf<IteratorResult<{ data: unknown }, undefined>>();
  });

  it("is what a parse function returns", () => {
    const client = new SSEClient(url, { ...options, parse: (data) => data.length });
    client.on("message", (m) => expectTypeOf(m.data).toEqualTypeOf<number>());
  });

  it("is the event map's when one is given, whatever parse is", () => {
    type Chunk = { choices: { delta: { content?: string } }[] };
    const client = new SSEClient<{ message: Chunk; done: string }>(url, {
      ...options,
      parse: "json",
    });
    client.on("message", (m) => expectTypeOf(m.data).toEqualTypeOf<Chunk>());
    client.on("done", (m) => expectTypeOf(m.data).toEqualTypeOf<string>());
  });

  it("options built apart still make a plain SSEClient", () => {
    const built: SSEClientOptions = { start: false };
    const client: SSEClient = new SSEClient(url, built);
    client.on("message", (m) => expectTypeOf(m.data).toEqualTypeOf<string>());
  });
});
