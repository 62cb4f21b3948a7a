/**
 * docs/cli.md and `ssekit --help` against the code, so that neither can rot: every flag is in
 * both, every `ssekit` command in the guide's sh blocks and in the help's examples is a valid
 * command line (read by src/cli/args.ts), and the guide's output examples are what
 * src/cli/format.ts prints. (The fences' labels and links are checked with every doc's.)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FLAG_NAMES, parseCommandLine, UsageError } from "../../src/cli/args.js";
import { type Event, formatEvent } from "../../src/cli/format.js";
import { HELP } from "../../src/cli/help.js";
import { paintFor } from "../../src/cli/paint.js";
import { codeBlocks } from "../fixtures/markdown.js";
import { root } from "../package/pack.js";

const GUIDE = readFileSync(join(root, "docs/cli.md"), "utf8");

/** The code of the guide's blocks in `lang`, in order, each ending in a newline. */
function blocks(lang: string): string[] {
  return codeBlocks(GUIDE)
    .filter((block) => block.lang === lang)
    .map((block) => `${block.code}\n`);
}

/**
 * The arguments of every `ssekit` command in shell text: lines are cut into words (quotes and
 * backslashes as `sh` reads them, `$VAR` left as written) and into commands at `|`, `;`, `&&` and
 * `||`; redirections are dropped, and `if`, `then`, `npx` and `NAME=value` before the command.
 */
function ssekitCommands(shell: string): string[][] {
  const commands: string[][] = [];
  for (const line of shell.split("\n")) {
    let words: string[] = [];
    let word: string | undefined;
    let quote: string | undefined;
    let redirect = false;
    const endWord = () => {
      if (word !== undefined && !redirect) words.push(word);
      else if (word !== undefined) redirect = false;
      word = undefined;
    };
    const endCommand = () => {
      endWord();
      while (/^(if|then|npx|\w+=.*)$/.test(words[0] ?? "")) words.shift();
      if (words[0] === "ssekit") commands.push(words.slice(1));
      words = [];
    };
    for (let i = 0; i < line.length; i++) {
      const char = line[i] as string;
      if (quote) {
        if (char === quote) quote = undefined;
        else if (quote === '"' && char === "\\" && /["\\$`]/.test(line[i + 1] ?? "")) {
          word = (word ?? "") + line[++i];
        } else word = (word ?? "") + char;
      } else if (char === "'" || char === '"') {
        quote = char;
        word ??= "";
      } else if (char === "\\") {
        word = (word ?? "") + (line[++i] ?? "");
      } else if (char === "#" && word === undefined) {
        break;
      } else if (/\s/.test(char)) {
        endWord();
      } else if ("|;&".includes(char)) {
        endCommand();
        if (line[i + 1] === char) i++;
      } else if (char === ">" || char === "<") {
        // `2>` names a file descriptor: not a word.
        if (word !== undefined && /^\d+$/.test(word)) word = undefined;
        endWord();
        redirect = true;
      } else {
        word = (word ?? "") + char;
      }
    }
    endCommand();
  }
  return commands;
}

describe("every flag", () => {
  it.each(FLAG_NAMES)("--%s is in --help and in a table of docs/cli.md", (name) => {
    expect(HELP).toContain(`--${name}`);
    expect(GUIDE).toMatch(new RegExp(`^\\| \`(-\\w, )?--${name}\\b`, "m"));
  });
});

describe("every ssekit command written down is a valid command line", () => {
  const commands = [
    ...blocks("sh").flatMap(ssekitCommands),
    ...ssekitCommands(HELP.slice(HELP.indexOf("Examples:"))),
  ];

  it("there are enough of them to mean something", () => {
    expect(commands.length).toBeGreaterThanOrEqual(12);
  });

  it.each(commands.map((args) => [args.join(" "), args]))("ssekit %s", (_, args) => {
    expect(parseCommandLine(args as string[]).do).toMatch(/^(run|help|version)$/);
  });

  it("the reader of commands finds each, and the check catches a bad one", () => {
    expect(
      ssekitCommands(
        `NO_COLOR=1 ssekit -H 'A: "b"' u 2>/dev/null | jq -r .data # note\n` +
          'if npx ssekit --json "{\\"a\\": 1}" u > out; then echo up; fi && ssekit --bogus u',
      ),
    ).toEqual([
      ["-H", 'A: "b"', "u"],
      ["--json", '{"a": 1}', "u"],
      ["--bogus", "u"],
    ]);
    expect(() => parseCommandLine(["--bogus", "u"])).toThrow(UsageError);
  });
});

describe("the output examples of docs/cli.md are what ssekit prints", () => {
  const events: Event[] = [
    { type: "delta", data: '{"content":"Hello"}', lastEventId: "7", id: "7" },
    { type: "message", data: "plain text data", lastEventId: "7" },
  ];
  const plain = paintFor({ isTTY: false }, {});
  const printed = (format: "pretty" | "ndjson" | "raw") =>
    events.map((event) => formatEvent(format, event, plain)).join("");
  const [pretty, ndjson, raw] = blocks("text").slice(1, 4);

  it.each([
    ["pretty", pretty],
    ["ndjson", ndjson],
    ["raw", raw],
  ] as const)("%s", (format, example) => {
    expect(printed(format)).toBe(example);
  });
});
