/**
 * Resuming with Last-Event-ID over a real socket: a stream of 1,000 events broken ~50 times at
 * seeded random byte offsets (mid-line, mid-UTF-8 character, between CR and LF), with non-ASCII
 * IDs that must survive the round trip through the header; then the simpler resumption rules.
 */
import { describe, expect, it } from "vitest";
import { NetworkError } from "../../src/index.js";
import { FAST_RETRY, iterate, recorder } from "../fixtures/client-recorder.js";
import { events, sse } from "../fixtures/handlers.js";
import { prng } from "../fixtures/prng.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

const COUNT = 1000;
const CUTS = 50;

interface Planned {
  id: string;
  data: string;
}

/** The events, their bytes, where each starts and from which offset the client has dispatched it. */
function buildStream() {
  const idStyles = [
    (n: number) => `${n}`,
    (n: number) => `é-${n}`,
    (n: number) => `日本-${n}`,
    (n: number) => `🎉-${n}`,
    (n: number) => `ñ${n}😀ß`,
  ];
  const planned: Planned[] = [];
  const parts: Buffer[] = [];
  const starts: number[] = [];
  const dispatchAt: number[] = [];
  let offset = 0;
  for (let n = 0; n < COUNT; n++) {
    const id = (idStyles[n % idStyles.length] as (n: number) => string)(n);
    // CRLF for some events, CR alone for a few, LF for the rest.
    const eol = n % 3 === 0 ? "\r\n" : n % 7 === 1 ? "\r" : "\n";
    const lines = n % 4 === 2 ? [`${n} grüße`, "日本語 😀 ü"] : [`${n} naïve café 🎉`];
    const text =
      (n % 2 === 0 ? `id: ${id}${eol}` : "") +
      lines.map((line) => `data: ${line}${eol}`).join("") +
      (n % 2 === 1 ? `id:${id}${eol}` : "") +
      eol;
    const bytes = Buffer.from(text, "utf8");
    planned.push({ id, data: lines.join("\n") });
    parts.push(bytes);
    starts.push(offset);
    offset += bytes.length;
    // The blank line's CR dispatches; its LF (if any) is not needed.
    dispatchAt.push(eol === "\r\n" ? offset - 1 : offset);
  }
  return { planned, bytes: Buffer.concat(parts), starts, dispatchAt };
}

type CutKind = "anywhere" | "mid-utf8" | "cr-lf" | "mid-line";
type EndKind = "destroy" | "socket-end" | "clean-end";

describe("resuming a broken stream", () => {
  it("delivers 1,000 events exactly once, in order, through ~50 random cuts", async () => {
    const { server } = ctx;
    const { planned, bytes, starts, dispatchAt } = buildStream();
    const random = prng(0x5eed);
    const idToIndex = new Map(planned.map((event, index) => [event.id, index]));
    const maxSegment = Math.ceil((2 * bytes.length) / CUTS);
    const isContinuation = (i: number) => ((bytes[i] ?? 0) & 0xc0) === 0x80;
    const isEol = (i: number) => bytes[i] === 0x0a || bytes[i] === 0x0d;

    /** What the server expects the client to send: the ID of the last event it dispatched. */
    let expectedId: string | undefined;
    const mismatches: string[] = [];
    const cutKinds: Record<CutKind, number> = {
      anywhere: 0,
      "mid-utf8": 0,
      "cr-lf": 0,
      "mid-line": 0,
    };
    const endKinds: Record<EndKind, number> = { destroy: 0, "socket-end": 0, "clean-end": 0 };
    let connections = 0;

    const chooseCut = (from: number): number => {
      const kinds = Object.keys(cutKinds) as CutKind[];
      const kind = kinds[Math.floor(random() * kinds.length)] as CutKind;
      let cut = from + 1 + Math.floor(random() * maxSegment);
      const fits = {
        anywhere: () => true,
        "mid-utf8": () => isContinuation(cut),
        "cr-lf": () => bytes[cut - 1] === 0x0d && bytes[cut] === 0x0a,
        "mid-line": () => !isEol(cut - 1) && !isEol(cut),
      }[kind];
      while (cut < bytes.length && !fits()) cut++;
      if (cut >= bytes.length) return bytes.length;
      // Count what the cut really is, whatever kind was asked for.
      if (isContinuation(cut)) cutKinds["mid-utf8"]++;
      else if (bytes[cut - 1] === 0x0d && bytes[cut] === 0x0a) cutKinds["cr-lf"]++;
      else if (!isEol(cut - 1) && !isEol(cut)) cutKinds["mid-line"]++;
      else cutKinds.anywhere++;
      return cut;
    };

    // `lastEventId`: the header decoded as the UTF-8 the client sent (see fixtures/requests.ts).
    server.route("/numbers", ({ lastEventId, res }) => {
      connections++;
      if (lastEventId !== expectedId) {
        mismatches.push(`connection ${connections}: got ${lastEventId}, expected ${expectedId}`);
      }
      const resumeAt = lastEventId === undefined ? 0 : (idToIndex.get(lastEventId) ?? -1) + 1;
      const from = starts[resumeAt] ?? bytes.length;
      sse(res);
      const cut = chooseCut(from);
      if (cut >= bytes.length) {
        // The rest, and the stream stays open: the client closes once it has everything.
        res.write(bytes.subarray(from));
        return;
      }
      for (let n = resumeAt; n < COUNT && (dispatchAt[n] as number) <= cut; n++) {
        expectedId = planned[n]?.id;
      }
      const part = bytes.subarray(from, cut);
      const ending = (["destroy", "socket-end", "clean-end"] as const)[
        Math.floor(random() * 3)
      ] as EndKind;
      endKinds[ending]++;
      if (ending === "clean-end") res.end(part);
      // The write callback: the bytes are in the kernel before the socket goes.
      else if (ending === "destroy") res.write(part, () => res.socket?.destroy());
      else res.write(part, () => res.socket?.end());
    });

    const rec = recorder();
    const client = ctx.client(server.url("/numbers"), { retry: FAST_RETRY, ...rec.callbacks });
    const received: Planned[] = [];
    const last = planned[COUNT - 1] as Planned;
    for await (const message of client) {
      received.push({ id: message.lastEventId, data: message.data });
      if (message.lastEventId === last.id || received.length > 2 * COUNT) break;
    }

    expect(mismatches).toEqual([]);
    expect(received.length).toBe(COUNT);
    expect(received).toEqual(planned);
    expect(client.lastEventId).toBe(last.id);
    expect(client.readyState).toBe("closed");
    // The cuts covered what they were meant to.
    expect(connections).toBeGreaterThanOrEqual(40);
    expect(cutKinds["mid-utf8"]).toBeGreaterThanOrEqual(5);
    expect(cutKinds["cr-lf"]).toBeGreaterThanOrEqual(5);
    expect(cutKinds["mid-line"]).toBeGreaterThanOrEqual(5);
    for (const count of Object.values(endKinds)) expect(count).toBeGreaterThanOrEqual(5);
    // Every reconnection was for a broken stream or a clean end, nothing else.
    expect(rec.retries.length).toBe(connections - 1);
    for (const error of rec.errors.items) {
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).duringStream).toBe(true);
    }
    expect(rec.retries.items.filter((r) => r.cause === "end").length).toBe(endKinds["clean-end"]);
  });

  it("sends the latest Last-Event-ID when reconnecting after a clean end", async () => {
    const { server } = ctx;
    server.route("/s", [
      events(["id: 1\ndata: a\n\n", "id: 2\ndata: b\n\n", "id: dernière-é\ndata: c\n\n"], "end"),
      events(["data: d\n\n"], "end"),
      events(["id: 3\ndata: e\n\n"]),
    ]);
    const client = ctx.client(server.url("/s"), { retry: FAST_RETRY });
    const { messages } = iterate(client);
    const all = await messages.waitFor(5);
    expect(all.map((m) => [m.data, m.lastEventId])).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c", "dernière-é"],
      ["d", "dernière-é"],
      ["e", "3"],
    ]);
    const requests = await server.requestsTo("/s").waitFor(3);
    // An event without an id keeps the last one: it is sent again.
    expect(requests.map((r) => r.lastEventId)).toEqual([undefined, "dernière-é", "dernière-é"]);
  });

  it("sends no Last-Event-ID after the server reset the id with an empty id: field", async () => {
    const { server } = ctx;
    server.route("/s", [
      events(["id: 5\ndata: a\n\n", "id\ndata: b\n\n"], "end"),
      events(["id: 6\ndata: c\n\n", "id:\ndata: d\n\n"], "destroy"),
      events(["data: e\n\n"]),
    ]);
    const client = ctx.client(server.url("/s"), { retry: FAST_RETRY });
    const { messages } = iterate(client);
    const all = await messages.waitFor(5);
    expect(all.map((m) => [m.data, m.lastEventId])).toEqual([
      ["a", "5"],
      ["b", ""],
      ["c", "6"],
      ["d", ""],
      ["e", ""],
    ]);
    const requests = await server.requestsTo("/s").waitFor(3);
    for (const request of requests) expect(request.headers).not.toHaveProperty("last-event-id");
    expect(client.lastEventId).toBe("");
  });

  it.each([
    ["an ASCII id", "resume-42"],
    ["a non-ASCII id", "é-日本-😀"],
  ])("sends the lastEventId option on the first connection (%s)", async (_, id) => {
    const { server } = ctx;
    server.route("/s", [events(["data: a\n\n"], "end"), events(["data: b\n\n"])]);
    const client = ctx.client(server.url("/s"), { lastEventId: id, retry: FAST_RETRY });
    expect(client.lastEventId).toBe(id);
    const { messages } = iterate(client);
    const all = await messages.waitFor(2);
    expect(all.map((m) => m.lastEventId)).toEqual([id, id]);
    const requests = await server.requestsTo("/s").waitFor(2);
    expect(requests.map((r) => r.lastEventId)).toEqual([id, id]);
  });

  it("rejects a lastEventId option with CR, LF or NUL", () => {
    for (const id of ["a\nb", "a\rb", "a\0b"]) {
      expect(() => ctx.client(ctx.server.url("/s"), { lastEventId: id, start: false })).toThrow(
        TypeError,
      );
    }
  });
});
