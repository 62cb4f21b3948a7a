/**
 * The `ssekit` command on a terminal: the packed bin (built, packed and installed once for this
 * file) run in a pseudo-terminal by util-linux's `script`, as a user at a shell runs it. On a
 * terminal the output is pretty and coloured, and `NO_COLOR` turns the colours off. Without
 * `script` the tests fail under CI and are skipped, loudly, elsewhere.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanEnv, runCli } from "../fixtures/cli.js";
import { events } from "../fixtures/handlers.js";
import { useServer } from "../fixtures/recording-server.js";
import { type PackedPackage, packAndInstall } from "../package/pack.js";

const ci = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());
const hasScript = spawnSync("script", ["--version"]).status === 0;
if (!hasScript && !ci) {
  console.warn(
    `\n${"#".repeat(78)}\n# CLI TERMINAL TESTS SKIPPED: util-linux's \`script\` is not installed\n` +
      `# (apt-get install bsdutils); under CI this is a failure.\n${"#".repeat(78)}\n`,
  );
}

vi.setConfig({ testTimeout: 60_000 });

let packed: PackedPackage | undefined;
let bin = "";
beforeAll(async () => {
  if (!hasScript) return;
  packed = await packAndInstall({ declarations: false });
  bin = join(packed.consumers, "node_modules/ssekit/dist/cli.js");
}, 300_000);
afterAll(() => packed?.remove());

const ctx = useServer();

/** A word quoted for `sh`. */
const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/** Runs the bin in a pseudo-terminal (stdin, stdout and stderr all on it); `-e`: its exit code. */
function inTerminal(args: string[], env: NodeJS.ProcessEnv) {
  const command = [process.execPath, bin, ...args].map(quote).join(" ");
  return runCli("script", ["-qefc", command, "/dev/null"], { env });
}

/** The escape sequence of an ANSI colour or style. */
const sgr = (code: string) => `\x1b[${code}m`;

describe.skipIf(!hasScript && !ci)("on a terminal", () => {
  // Under CI, without `script`: each test fails, saying why.
  beforeEach(() => {
    if (!hasScript)
      throw new Error("util-linux's `script` is not installed (apt-get install bsdutils)");
  });

  it("prints pretty output: the type in colour, the event's id dimmed, JSON data indented", async () => {
    ctx.server.route(
      "/s",
      events(['id: 7\nevent: delta\ndata: {"text":"hi"}\n\n', "data: bye\n\n"], "end"),
    );
    const cli = inTerminal([ctx.server.url("/s"), "--no-reconnect"], cleanEnv());
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    // The terminal turns each newline into CR LF.
    const screen = cli.output.stdout.replaceAll("\r\n", "\n");
    expect(screen).toContain(
      `${sgr("1")}${sgr("36")}delta${sgr("0")}${sgr("0")}  ${sgr("2")}id 7${sgr("0")}\n` +
        '{\n  "text": "hi"\n}\n\n' +
        `${sgr("1")}${sgr("36")}message${sgr("0")}${sgr("0")}\nbye\n\n`,
    );
    // The state lines on stderr are coloured too.
    expect(screen).toContain(`${sgr("32")}ssekit: connected (200 OK)${sgr("0")}`);
  });

  it("NO_COLOR turns the colours off, the pretty layout stays", async () => {
    ctx.server.route("/s", events(['id: 7\nevent: delta\ndata: {"text":"hi"}\n\n'], "end"));
    const cli = inTerminal([ctx.server.url("/s"), "--no-reconnect"], cleanEnv({ NO_COLOR: "1" }));
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    const screen = cli.output.stdout.replaceAll("\r\n", "\n");
    expect(screen).toContain('delta  id 7\n{\n  "text": "hi"\n}\n\n');
    expect(screen).toContain("ssekit: connected (200 OK)");
    expect(screen).not.toContain("\x1b[");
  });

  it("--output ndjson on a terminal prints NDJSON, with no colour in it", async () => {
    ctx.server.route("/s", events(["id: 1\ndata: a\n\n"], "end"));
    const cli = inTerminal([ctx.server.url("/s"), "--no-reconnect", "-o", "ndjson"], cleanEnv());
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.output.stdout).toContain(
      '\n{"type":"message","data":"a","lastEventId":"1","id":"1"}\r\n',
    );
  });
});
