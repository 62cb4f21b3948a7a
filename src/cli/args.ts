/**
 * The command line, read into what the run needs: `node:util`'s `parseArgs` for the flags, then
 * every value checked, so that a mistake is a {@link UsageError} (exit code 2) before any request.
 * Bodies given as `@file` or `@-` are named here and read later (./body.ts).
 */
import { parseArgs } from "node:util";

/** A mistake on the command line: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** How events are printed. */
export type OutputFormat = "pretty" | "ndjson" | "raw";

/** A request body as given: text, or `@path` to read (`@-` is stdin). */
export type BodySource = { text: string } | { file: string };

/** What a command line asks for. */
export interface CliOptions {
  url: string;
  /** Given with `-X`; otherwise GET, or POST when there is a body. */
  method: string;
  /** `-H` headers, in order, as name and value. */
  headers: [string, string][];
  /** `-d` or `--json`. */
  body: { source: BodySource; json: boolean } | undefined;
  lastEventId: string | undefined;
  reconnect: boolean;
  /** In ms; 0 is off. */
  idleTimeout: number;
  /** Stop after this many events; undefined: no limit. */
  maxEvents: number | undefined;
  /** Undefined: pretty on a terminal, NDJSON otherwise. */
  output: OutputFormat | undefined;
}

/** What the command line is for: a run, or printing the help or the version. */
export type Command = { do: "run"; options: CliOptions } | { do: "help" } | { do: "version" };

/** The flags, as `parseArgs` takes them (the help in ./help.ts lists the same). */
const FLAGS = {
  method: { type: "string", short: "X" },
  header: { type: "string", short: "H", multiple: true },
  data: { type: "string", short: "d" },
  json: { type: "string" },
  "last-event-id": { type: "string" },
  "no-reconnect": { type: "boolean" },
  "idle-timeout": { type: "string" },
  "max-events": { type: "string" },
  output: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

/** The long names of every flag, for the docs test. */
export const FLAG_NAMES: readonly string[] = Object.keys(FLAGS);

const OUTPUTS: readonly string[] = ["pretty", "ndjson", "raw"] satisfies OutputFormat[];

/** A method token (RFC 9110): letters, digits and `!#$%&'*+-.^_`|~`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Reads the arguments after `ssekit`. @throws UsageError */
export function parseCommandLine(args: readonly string[]): Command {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { do: "help" };
  if (values.version) return { do: "version" };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? "no URL given" : `one URL only; got ${positionals.join(" ")}`,
    );
  }
  if (values.data !== undefined && values.json !== undefined) {
    throw new UsageError("-d/--data and --json both give the body: use one");
  }
  const bodyText = values.json ?? values.data;
  const body =
    bodyText === undefined
      ? undefined
      : { source: bodySource(bodyText), json: values.json !== undefined };
  const method = values.method ?? (body ? "POST" : "GET");
  if (!TOKEN.test(method)) throw new UsageError(`-X: not an HTTP method: ${method}`);
  if (body && /^(GET|HEAD)$/i.test(method)) {
    throw new UsageError(`a ${method.toUpperCase()} request cannot have a body`);
  }
  const output = values.output;
  if (output !== undefined && !OUTPUTS.includes(output)) {
    throw new UsageError(`--output: expected pretty, ndjson or raw; got ${output}`);
  }
  return {
    do: "run",
    options: {
      url: absoluteURL(positionals[0] as string),
      method,
      headers: (values.header ?? []).map(header),
      body,
      lastEventId: values["last-event-id"],
      reconnect: !values["no-reconnect"],
      idleTimeout: count("--idle-timeout", values["idle-timeout"]) ?? 0,
      maxEvents: count("--max-events", values["max-events"]),
      output: output as OutputFormat | undefined,
    },
  };
}

function parseFlags(args: readonly string[]) {
  return parseArgs({ args: [...args], options: FLAGS, allowPositionals: true, strict: true });
}

/**
 * The URL, made absolute as curl does: without a scheme, `http://` is assumed. Only http and
 * https are fetched.
 */
function absoluteURL(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`not a URL: ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`only http and https URLs can be fetched; got ${url.protocol}`);
  }
  return url.href;
}

/** `Name: value` (spaces around the value trimmed, as HTTP does). */
function header(text: string): [string, string] {
  const colon = text.indexOf(":");
  const name = colon === -1 ? "" : text.slice(0, colon).trim();
  if (!TOKEN.test(name)) throw new UsageError(`-H: expected 'Name: value'; got ${text}`);
  return [name, text.slice(colon + 1).trim()];
}

/** `@path` and `@-` name what to read; anything else is the body itself. */
function bodySource(text: string): BodySource {
  return text.startsWith("@") && text.length > 1 ? { file: text.slice(1) } : { text };
}

/** A whole number of 1 or more, or undefined when not given. */
function count(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${flag}: expected a whole number of 1 or more; got ${text}`);
  }
  return value;
}
