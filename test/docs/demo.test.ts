/**
 * `npm run demo` (examples/demo.ts) as a user runs it: a child process with the project's tsx,
 * against its own server on 127.0.0.1, which must end on its own (the demo bounds itself to 20 s;
 * past KILL_AFTER_MS the test kills it and fails). Its closing lines are checks, not just words:
 * the run passes them and exits 0, and with the server's resume broken on purpose
 * (SSEKIT_DEMO_FAULT) it reports what went wrong and exits 1. The comparison itself is tested on
 * small cases below, for the kinds of failure a server cannot easily be made to produce.
 * On a terminal (a pseudo-terminal here), or with `--serve`, it keeps serving its browser page
 * (tested in Chromium by demo-page.test.ts) after the verdict, until Ctrl-C.
 */
import { spawn, spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { feedProblems } from "../../examples/llm-server.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const KILL_AFTER_MS = 60_000;

const ci = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());
/** The pseudo-terminal comes from util-linux `script` (Debian's bsdutils); without it, say so. */
const noScript = spawnSync("script", ["--version"]).error;
if (noScript && !ci) {
  console.warn(
    `\n${"#".repeat(78)}\n# DEMO TERMINAL TESTS SKIPPED: util-linux \`script\` is missing.\n` +
      `# (Under CI that is a failure.)\n${"#".repeat(78)}\n`,
  );
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

interface RunOptions {
  /** SSEKIT_DEMO_FAULT (unset without it). */
  fault?: "replay" | "skip";
  /** The demo's flags. */
  args?: string[];
  /** Run it on a pseudo-terminal (util-linux `script`), as `npm run demo` in a terminal. */
  tty?: boolean;
  /** Runs once the demo printed its page's URL; then the demo gets Ctrl-C. */
  serving?: (url: string) => Promise<void>;
}

/** Runs the demo to its end. */
function runDemo(options: RunOptions = {}): Promise<Run> {
  const { fault, args = [], tty = false, serving } = options;
  const env = { ...process.env };
  delete env.SSEKIT_DEMO_FAULT;
  if (fault) env.SSEKIT_DEMO_FAULT = fault;
  const command = [process.execPath, "--import", "tsx", "examples/demo.ts", ...args];
  return new Promise((done, fail) => {
    // `script -e` exits with the demo's exit code; Ctrl-C typed into the terminal is a SIGINT.
    // `script` runs the command with $SHELL, or /bin/sh without it (CI has no SHELL): Debian's
    // dash does not exec a lone command, and Ctrl-C would kill dash (exit 130) rather than reach
    // only the demo; `exec` makes the demo the terminal's one foreground process, whatever shell.
    const quoted = `exec ${command.map((word) => JSON.stringify(word)).join(" ")}`;
    const [file, ...rest] = tty ? ["script", "-qfec", quoted, "/dev/null"] : command;
    const child = spawn(file as string, rest, { cwd: ROOT, env, stdio: "pipe" });
    const interrupt = () => (tty ? child.stdin.write("\x03") : child.kill("SIGINT"));
    let stdout = "";
    let stderr = "";
    let served = false;
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text.replaceAll("\r\n", "\n");
      const url = /the browser page: (\S+) /.exec(stdout)?.[1];
      if (url === undefined || served || !serving) return;
      served = true;
      serving(url).then(interrupt, fail);
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
    child.on("error", fail);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, lines: stdout.trimEnd().split("\n"), stderr });
    });
  });
}

describe.concurrent("npm run demo", { timeout: KILL_AFTER_MS + 10_000 }, () => {
  it("checks its claims, passes them, and ends on its own with exit code 0", async () => {
    const run = await runDemo();
    expect(run.signal, "killed: the demo did not end on its own").toBeNull();
    expect(run.code, run.stderr).toBe(0);
    // Its server is on loopback.
    expect(run.lines[0]).toMatch(/^\[ssekit demo\] POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat/);
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        /^\[ssekit demo\] ✓ \d+ tokens, the answer as sent; the POST stream closed without being replayed\.$/,
      ),
    );
    expect(run.lines.at(-1)).toBe(
      "[ssekit demo] ✓ feed events 1-8 each arrived exactly once, in order, as sent (resumed with Last-Event-ID 3, 6).",
    );
    expect(run.lines.filter((line) => /^ {2}event \d+: /.test(line))).toHaveLength(8);
  });

  it("fails with exit code 1 when the server replays the feed instead of resuming", async () => {
    const run = await runDemo({ fault: "replay" });
    expect(run.signal, "killed: the demo did not end on its own").toBeNull();
    expect(run.code, run.stderr).toBe(1);
    expect(run.lines.at(-1)).toBe(
      "[ssekit demo] ✗ the feed did not arrive exactly once: lost 4, 5, 6, 7, 8; duplicated 1, 2, 3.",
    );
  });

  it("fails with exit code 1 when the server resumes one event too late", async () => {
    const run = await runDemo({ fault: "skip" });
    expect(run.signal, "killed: the demo did not end on its own").toBeNull();
    expect(run.code, run.stderr).toBe(1);
    expect(run.lines.at(-1)).toBe(
      "[ssekit demo] ✗ the feed did not arrive exactly once: lost 4, 8; unexpected 9, 10.",
    );
  });
});

describe("the demo's browser page", { timeout: KILL_AFTER_MS + 10_000 }, () => {
  /** Fetches the page's files from `url`, each of which must be there. */
  const fetchPage = async (url: string, pages: Record<string, string>) => {
    for (const path of ["", "style.css", "panels.css", "app.js"]) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(200);
      pages[path] = await response.text();
    }
  };
  const PAGE_LINE =
    /^\[ssekit demo\] the browser page: http:\/\/127\.0\.0\.1:\d+\/ \(serving until Ctrl-C\)$/;

  it("with --serve: after the verdict, served at the URL printed until Ctrl-C", async () => {
    const pages: Record<string, string> = {};
    const run = await runDemo({ args: ["--serve"], serving: (url) => fetchPage(url, pages) });
    expect(run.signal, "killed: the demo did not end on Ctrl-C").toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines.at(-1)).toMatch(PAGE_LINE);
    expect(run.lines.at(-3)).toMatch(
      /^\[ssekit demo\] ✓ feed events 1-8 each arrived exactly once/,
    );
    expect(pages[""]).toContain('<script type="module" src="/app.js">');
    // ssekit's client, bundled for the browser from the source.
    expect(/\bSSEClient = class\b/.test(pages["app.js"] ?? ""), "SSEClient in app.js").toBe(true);
  });

  it.skipIf(noScript && !ci)("on a terminal: served without a flag, until Ctrl-C", async () => {
    const pages: Record<string, string> = {};
    const run = await runDemo({ tty: true, serving: (url) => fetchPage(url, pages) });
    expect(run.code, `${run.lines.join("\n")}\n${run.stderr}`).toBe(0);
    expect(run.lines.filter((line) => PAGE_LINE.test(line))).toHaveLength(1);
    expect(Object.keys(pages)).toHaveLength(4);
  });

  it.skipIf(noScript && !ci)(
    "on a terminal with --no-serve: not served, the demo ends after its verdict",
    async () => {
      const run = await runDemo({ tty: true, args: ["--no-serve"] });
      expect(run.code, `${run.lines.join("\n")}\n${run.stderr}`).toBe(0);
      expect(run.lines.at(-1)).toMatch(
        /^\[ssekit demo\] ✓ feed events 1-8 each arrived exactly once/,
      );
    },
  );

  it("refuses an unknown flag with exit code 2", async () => {
    const run = await runDemo({ args: ["--bogus"] });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("usage: npm run demo [-- --serve | --no-serve]");
  });
});

describe("the demo's comparison of received and sent events", () => {
  const sent = new Map([
    ["1", "a"],
    ["2", "b"],
    ["3", "c"],
  ]);
  const event = (id: string, data = sent.get(id) ?? "?") => ({ id, data });

  it("accepts the feed exactly once, in order, as sent", () => {
    expect(feedProblems(3, sent, [event("1"), event("2"), event("3")])).toEqual([]);
  });

  it("reports lost, duplicated, reordered, changed and unexpected events", () => {
    expect(feedProblems(3, sent, [event("1"), event("2")])).toEqual(["lost 3"]);
    expect(feedProblems(3, sent, [event("1"), event("2"), event("2"), event("3")])).toEqual([
      "duplicated 2",
    ]);
    expect(feedProblems(3, sent, [event("1"), event("3"), event("2")])).toEqual(["out of order 2"]);
    expect(feedProblems(3, sent, [event("1"), event("2", "cut off"), event("3")])).toEqual([
      "not as sent 2",
    ]);
    expect(feedProblems(3, sent, [event("1"), event("2"), event("3"), event("4")])).toEqual([
      "unexpected 4",
    ]);
  });
});
