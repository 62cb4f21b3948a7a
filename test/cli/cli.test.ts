/**
 * The `ssekit` command as a user installs and runs it: the package is built, packed by `npm pack`
 * and installed from the tarball once for this file (test/package/pack.ts), then its bin is run
 * with Node against the recording server (test/fixtures/recording-server.ts), which sees every
 * request and when its connection closed. The pseudo-terminal runs are in ./tty.test.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { HELP } from "../../src/cli/help.js";
import { runCli } from "../fixtures/cli.js";
import { deferred } from "../fixtures/deferred.js";
import { destroy, events, sse, status } from "../fixtures/handlers.js";
import { closedPort } from "../fixtures/ports.js";
import { useServer } from "../fixtures/recording-server.js";
import { type PackedPackage, packAndInstall, root } from "../package/pack.js";
import runtimeList from "../runtimes/runtimes.json" with { type: "json" };

// Each run starts a Node process: about a second on a busy machine, and some tests run several.
vi.setConfig({ testTimeout: 60_000 });

let packed: PackedPackage | undefined;
/** The installed package's directory. */
let installed = "";
beforeAll(async () => {
  packed = await packAndInstall({ declarations: false });
  installed = join(packed.consumers, "node_modules/ssekit");
}, 300_000);
afterAll(() => packed?.remove());

const ctx = useServer();

/** Runs the installed bin with this Node; piped stdout, so NDJSON by default. */
const ssekit = (args: string[], options: { stdin?: string } = {}) =>
  runCli(process.execPath, [join(installed, "dist/cli.js"), ...args], options);

/** The NDJSON lines printed, parsed. */
const ndjson = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("the packed bin", () => {
  it("is dist/cli.js, executable, with a shebang, on the library's entry, and runs from node_modules/.bin", async () => {
    const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
      bin: Record<string, string>;
      version: string;
    };
    expect(pkg.bin).toEqual({ ssekit: "dist/cli.js" });
    const listing = spawnSync("tar", ["-tvzf", (packed as PackedPackage).tarball], {
      encoding: "utf8",
    }).stdout;
    expect(listing).toMatch(/^-rwxr-xr-x .* package\/dist\/cli\.js$/m);
    expect(statSync(join(installed, "dist/cli.js")).mode & 0o111).toBe(0o111);
    const code = readFileSync(join(installed, "dist/cli.js"), "utf8");
    expect(code.startsWith("#!/usr/bin/env node\n")).toBe(true);
    // The library comes from the package's own entry, not a copy: one class of each error.
    expect(code).toMatch(/^import \{[^}]*\bSSEClient\b[^}]*\} from "\.\/index\.js";$/m);
    expect(code).not.toContain("The server answered");
    // Through the shebang, as a shell runs it.
    const cli = runCli(join(packed?.consumers ?? "", "node_modules/.bin/ssekit"), ["--version"]);
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.output.stdout).toBe(`ssekit ${pkg.version}\n`);
  });

  it("--help prints the help (./docs.test.ts: it lists every flag)", async () => {
    const cli = ssekit(["--help"]);
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.output.stdout).toBe(HELP);
  });
});

/**
 * The other Node versions the package supports (test/runtimes/runtimes.json says where they are):
 * this file runs under one Node only (vitest.config.ts), so each of them runs the bin once here.
 */
const otherNodes = (runtimeList as { id: string; name: string; kind: string; path?: string }[])
  .filter((runtime) => /^node\d+$/.test(runtime.id) && runtime.kind === "cli" && runtime.path)
  .map((runtime) => ({ ...runtime, binary: join(root, ".runtimes", runtime.path as string) }));
const ci = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());
const missingNodes = otherNodes.filter((node) => !existsSync(node.binary));
if (missingNodes.length > 0 && !ci) {
  console.warn(
    `\n${"#".repeat(78)}\n# CLI RUNS SKIPPED: ${missingNodes.map((node) => node.name).join(", ")}` +
      ` not installed\n# (node scripts/install-runtimes.mjs; under CI this is a failure).\n` +
      `${"#".repeat(78)}\n`,
  );
}

describe("under every Node the package supports", () => {
  for (const { name, binary } of otherNodes) {
    // Under CI a missing Node fails (the spawn does); elsewhere it is skipped, with the banner above.
    it.skipIf(!existsSync(binary) && !ci)(name, async () => {
      ctx.server.route("/s", events(["id: 1\ndata: a\n\n"], "end"));
      const cli = runCli(binary, [
        join(installed, "dist/cli.js"),
        ctx.server.url("/s"),
        "--no-reconnect",
      ]);
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      expect(ndjson(cli.output.stdout)).toEqual([
        { type: "message", data: "a", lastEventId: "1", id: "1" },
      ]);
    });
  }
});

describe("output", () => {
  const STREAM = [
    "id: 1\ndata: plain\n\n",
    'event: tick\ndata: {"n":2}\n\n',
    "id: 3\ndata: line one\ndata: line two\n\n",
  ];

  it("prints NDJSON when stdout is piped: type, data, lastEventId, and id when the event had one", async () => {
    ctx.server.route("/s", events(STREAM, "end"));
    const cli = ssekit([ctx.server.url("/s"), "--no-reconnect"]);
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(ndjson(cli.output.stdout)).toEqual([
      { type: "message", data: "plain", lastEventId: "1", id: "1" },
      { type: "tick", data: '{"n":2}', lastEventId: "1" },
      { type: "message", data: "line one\nline two", lastEventId: "3", id: "3" },
    ]);
    expect(cli.output.stderr).toMatch(/connecting to GET http:\/\/127\.0\.0\.1:\d+\/s/);
    expect(cli.output.stderr).toContain("connected (200 OK)");
    expect(cli.output.stderr).toContain("the stream ended");
    expect(cli.output.stderr).not.toContain("\x1b[");
  });

  it("raw prints each event's data and a newline; pretty (piped) indents JSON, with no colour", async () => {
    ctx.server.route("/s", events(STREAM, "end"));
    const raw = ssekit([ctx.server.url("/s"), "--no-reconnect", "-o", "raw"]);
    expect(await raw.exited).toEqual({ code: 0, signal: null });
    expect(raw.output.stdout).toBe('plain\n{"n":2}\nline one\nline two\n');
    const pretty = ssekit([ctx.server.url("/s"), "--no-reconnect", "--output", "pretty"]);
    expect(await pretty.exited).toEqual({ code: 0, signal: null });
    expect(pretty.output.stdout).toBe(
      'message  id 1\nplain\n\ntick\n{\n  "n": 2\n}\n\nmessage  id 3\nline one\nline two\n\n',
    );
  });

  it("--max-events stops after that many events, closes the connection, and exits 0", async () => {
    ctx.server.route("/s", events(STREAM, "keep"));
    const cli = ssekit([ctx.server.url("/s"), "--max-events", "2"]);
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(ndjson(cli.output.stdout).map((event) => event.data)).toEqual(["plain", '{"n":2}']);
    expect(await (await ctx.server.requestsTo("/s").nth(1)).closed).toEqual({ finished: false });
    expect(cli.output.stderr).toContain("closed after 2 events (--max-events)");
  });
});

describe("the request", () => {
  it("--json POSTs the body with content-type application/json, and -H headers go with it", async () => {
    ctx.server.route("/chat", events(["data: hi\n\n"], "end"));
    const cli = ssekit([
      ctx.server.url("/chat"),
      "--json",
      '{"prompt": "hello"}',
      "-H",
      "Authorization: Bearer abc",
      "--header",
      "X-Trace:  t-1 ",
    ]);
    // A POST answer is not replayed: its clean end ends the run.
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    const request = await ctx.server.requestsTo("/chat").nth(1);
    expect(request.method).toBe("POST");
    expect(request.body).toBe('{"prompt": "hello"}');
    expect(request.headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer abc",
      "x-trace": "t-1",
      accept: "text/event-stream",
    });
    expect(ndjson(cli.output.stdout)).toEqual([{ type: "message", data: "hi", lastEventId: "" }]);
  });

  it("-d sends the bytes of @file or of stdin (@-) as they are, with no content type; -X sets the method", async () => {
    ctx.server.route("/in", events(["data: ok\n\n"], "end"));
    const file = join(installed, "body.txt");
    writeFileSync(file, "from a file\n");
    const fromFile = ssekit([ctx.server.url("/in"), "-d", `@${file}`]);
    expect(await fromFile.exited).toEqual({ code: 0, signal: null });
    const fromStdin = ssekit([ctx.server.url("/in"), "-X", "PUT", "-d", "@-"], {
      stdin: "from stdin",
    });
    expect(await fromStdin.exited).toEqual({ code: 0, signal: null });
    const [first, second] = await ctx.server.requestsTo("/in").waitFor(2);
    expect([first?.method, first?.body, first?.headers["content-type"]]).toEqual([
      "POST",
      "from a file\n",
      undefined,
    ]);
    expect([second?.method, second?.body]).toEqual(["PUT", "from stdin"]);
  });

  it("--last-event-id is sent as the Last-Event-ID header", async () => {
    ctx.server.route("/s", events(["id: 42\ndata: next\n\n"], "end"));
    const cli = ssekit([ctx.server.url("/s"), "--last-event-id", "41", "--no-reconnect"]);
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect((await ctx.server.requestsTo("/s").nth(1)).lastEventId).toBe("41");
  });
});

describe("reconnection", () => {
  it("a dropped connection is resumed with Last-Event-ID: the events go on with no gap and no repeat", async () => {
    const chunks = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `id: ${from + i}\ndata: ${from + i}\n\n`);
    ctx.server.route("/feed", [
      ({ res }) => sse(res, ["retry: 20\n\n", ...chunks(1, 3)]),
      ({ lastEventId, res }) => sse(res, chunks(Number(lastEventId) + 1, 6)),
    ]);
    const cli = ssekit([ctx.server.url("/feed"), "--max-events", "6"]);
    // The connection drops once the CLI printed event 3.
    await cli.waitFor("stdout", /"id":"3"/);
    (await ctx.server.requestsTo("/feed").nth(1)).req.socket.destroy();
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect((await ctx.server.requestsTo("/feed").nth(2)).lastEventId).toBe("3");
    expect(ndjson(cli.output.stdout).map((event) => event.id)).toEqual("123456".split(""));
    expect(cli.output.stderr).toMatch(/NetworkError: The event stream broke off/);
    expect(cli.output.stderr).toMatch(
      /reconnecting in \d+ ms \(attempt 1\) with Last-Event-ID "3"/,
    );
  });
});

describe("exit codes", () => {
  it("1 for a 404, naming the status, the URL and what the server said", async () => {
    const cli = ssekit([ctx.server.url("/missing")]);
    expect(await cli.exited).toEqual({ code: 1, signal: null });
    expect(cli.output.stderr).toContain(
      `HttpError: The server answered 404 Not Found (${ctx.server.url("/missing")})`,
    );
    expect(cli.output.stderr).toContain("there is no stream at this URL");
    expect(cli.output.stderr).toContain("no such route");
    expect(cli.output.stdout).toBe("");
  });

  it("1 for a 401, an unreachable server, a response that is not a stream, and silence past --idle-timeout", async () => {
    ctx.server.route("/auth", status(401, { body: "token expired" }));
    ctx.server.route(
      "/html",
      status(200, { body: "<html>", headers: { "content-type": "text/html" } }),
    );
    ctx.server.route("/silent", events([], "keep"));
    ctx.server.route("/gone", destroy());
    const cases: [string[], RegExp][] = [
      [
        [ctx.server.url("/auth")],
        /HttpError: The server answered 401 Unauthorized[\s\S]*Authorization: Bearer/,
      ],
      [
        [`127.0.0.1:${await closedPort()}`, "--no-reconnect"],
        /NetworkError: Could not connect: .*ECONNREFUSED/,
      ],
      [
        [ctx.server.url("/html")],
        /ContentTypeError: Expected Content-Type text\/event-stream, got "text\/html"/,
      ],
      [
        [ctx.server.url("/silent"), "--idle-timeout", "100", "--no-reconnect"],
        /IdleTimeoutError: No data for 100 ms/,
      ],
      [[ctx.server.url("/gone"), "--no-reconnect"], /NetworkError: Could not connect/],
    ];
    for (const [args, message] of cases) {
      const cli = ssekit(args);
      expect(await cli.exited, args.join(" ")).toEqual({ code: 1, signal: null });
      expect(cli.output.stderr).toMatch(message);
    }
  });

  it("2 for a usage error, before any request: a bad flag, a bad body, an option fetch refuses", async () => {
    // Every usage error of the command line itself: ./args.test.ts.
    const url = ctx.server.url("/s");
    const cases: [string[], string][] = [
      [[url, "--bogus"], "ssekit: Unknown option '--bogus'"],
      [[url, "--json", "{nope"], "ssekit: --json: not valid JSON"],
      [[url, "-d", "@/no/such/file"], "ssekit: -d: cannot read /no/such/file"],
      [[url, "-X", "CONNECT"], "CONNECT"],
    ];
    for (const [args, message] of cases) {
      const cli = ssekit(args);
      expect(await cli.exited, args.join(" ")).toEqual({ code: 2, signal: null });
      expect(cli.output.stderr, args.join(" ")).toContain(message);
      expect(cli.output.stderr).toContain("Try 'ssekit --help' for more.");
      expect(cli.output.stdout).toBe("");
    }
    expect(ctx.server.requests.length).toBe(0);
  });

  it("0 when the reader of stdout goes away (`| head -n 1`), with the connection closed", async () => {
    const more = deferred();
    ctx.server.route("/s", async ({ res }) => {
      sse(res, ["data: first\n\n"]);
      await more.promise;
      res.write("data: second\n\n");
    });
    const cli = ssekit([ctx.server.url("/s")]);
    await cli.waitFor("stdout", /first/);
    cli.child.stdout?.destroy();
    more.resolve();
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(await (await ctx.server.requestsTo("/s").nth(1)).closed).toEqual({ finished: false });
    expect(cli.output.stderr).not.toContain("error");
  });

  it("130 on Ctrl-C (SIGINT), with the connection closed", async () => {
    ctx.server.route("/s", events(["data: first\n\n"], "keep"));
    const cli = ssekit([ctx.server.url("/s")]);
    await cli.waitFor("stdout", /first/);
    cli.child.kill("SIGINT");
    expect(await cli.exited).toEqual({ code: 130, signal: null });
    expect(await (await ctx.server.requestsTo("/s").nth(1)).closed).toEqual({ finished: false });
    expect(cli.output.stderr).toContain("interrupted; connection closed");
  });
});
