/**
 * The command line of `ssekit`, read in-process (src/cli/args.ts): what each flag becomes, and
 * each mistake a usage error (exit code 2) with a message naming it. ./cli.test.ts runs the
 * packed bin for the exit codes themselves.
 */
import { describe, expect, it } from "vitest";
import { type CliOptions, parseCommandLine, UsageError } from "../../src/cli/args.js";

/** The options of a command line that runs. */
function options(args: string[]): CliOptions {
  const command = parseCommandLine(args);
  if (command.do !== "run") throw new Error(`expected a run, got ${command.do}`);
  return command.options;
}

describe("a command line that runs", () => {
  it("a URL alone: GET, no headers or body, reconnecting, no limits, the output chosen later", () => {
    expect(options(["https://example.com/events"])).toEqual({
      url: "https://example.com/events",
      method: "GET",
      headers: [],
      body: undefined,
      lastEventId: undefined,
      reconnect: true,
      idleTimeout: 0,
      maxEvents: undefined,
      output: undefined,
    });
  });

  it("a URL without a scheme is http, as curl takes it", () => {
    expect(options(["localhost:3000/events"]).url).toBe("http://localhost:3000/events");
    expect(options(["example.com"]).url).toBe("http://example.com/");
  });

  it("every flag, long and short", () => {
    expect(
      options([
        "-X",
        "PATCH",
        "-H",
        "Authorization: Bearer a:b",
        "--header",
        "X-Empty:",
        "-d",
        "text",
        "--last-event-id",
        "41",
        "--no-reconnect",
        "--idle-timeout",
        "45000",
        "--max-events",
        "3",
        "-o",
        "raw",
        "http://h/s",
      ]),
    ).toEqual({
      url: "http://h/s",
      method: "PATCH",
      headers: [
        ["Authorization", "Bearer a:b"],
        ["X-Empty", ""],
      ],
      body: { source: { text: "text" }, json: false },
      lastEventId: "41",
      reconnect: false,
      idleTimeout: 45000,
      maxEvents: 3,
      output: "raw",
    } satisfies CliOptions);
  });

  it("a body makes the method POST unless -X says otherwise; @file and @- name what to read", () => {
    expect(options(["h", "-d", "@body.txt"])).toMatchObject({
      method: "POST",
      body: { source: { file: "body.txt" }, json: false },
    });
    expect(options(["h", "--json", "@-"])).toMatchObject({
      method: "POST",
      body: { source: { file: "-" }, json: true },
    });
    // `@` alone is text.
    expect(options(["h", "-d", "@"]).body).toEqual({ source: { text: "@" }, json: false });
  });

  it("--output=ndjson and -Hname:value forms work too; -- ends the flags", () => {
    expect(options(["--output=ndjson", "-HX-A: 1", "h"])).toMatchObject({
      output: "ndjson",
      headers: [["X-A", "1"]],
    });
    expect(options(["--", "h"]).url).toBe("http://h/");
  });
});

describe("--help and --version win over anything else", () => {
  it.each([[["--help"]], [["-h", "url"]], [["url", "-h"]]])("%j", (args) => {
    expect(parseCommandLine(args)).toEqual({ do: "help" });
  });
  it("-V", () => {
    expect(parseCommandLine(["-V"])).toEqual({ do: "version" });
    expect(parseCommandLine(["--version"])).toEqual({ do: "version" });
  });
});

describe("a usage error", () => {
  it.each([
    [["url", "--bogus"], "Unknown option '--bogus'"],
    [["url", "-d"], "argument missing"],
    [[], "no URL given"],
    [["a", "b"], "one URL only; got a b"],
    [["url", "-d", "x", "--json", "{}"], "-d/--data and --json both give the body: use one"],
    [["url", "-X", "GET", "-d", "x"], "a GET request cannot have a body"],
    [["url", "-X", "head", "-d", "x"], "a HEAD request cannot have a body"],
    [["url", "-X", "GE T"], "-X: not an HTTP method: GE T"],
    [["url", "-o", "xml"], "--output: expected pretty, ndjson or raw; got xml"],
    [["url", "-H", "no colon"], "-H: expected 'Name: value'; got no colon"],
    [["url", "-H", ": v"], "-H: expected 'Name: value'; got : v"],
    [["url", "--max-events", "0"], "--max-events: expected a whole number of 1 or more; got 0"],
    [["url", "--max-events", "1.5"], "--max-events: expected a whole number of 1 or more"],
    [["url", "--idle-timeout", "soon"], "--idle-timeout: expected a whole number of 1 or more"],
    [["ftp://example.com/"], "only http and https URLs can be fetched; got ftp:"],
    [["http://"], "not a URL: http://"],
  ])("%j", (args, message) => {
    let thrown: unknown;
    try {
      parseCommandLine(args);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toContain(message);
  });
});
