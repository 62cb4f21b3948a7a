/**
 * README.md as users read it, on the repository and on the registry's package page; and the code
 * of the guides in docs/ (GUIDES), checked the same way.
 *
 * Code: every ```ts (or ```typescript) block is type-checked by the TypeScript compiler against the
 * sources, each block as a module of its own, with the options of tsconfig.json and `paths` mapping
 * the package's entry points to their source files ("ssekit" to src/index.ts, "ssekit/parser" to
 * src/parser/index.ts, "ssekit/polyfill" to src/event-source/polyfill.ts). The free names the
 * snippets use (what an app around them would hold: a token store, a render function) are declared
 * in PRELUDE below, with the types an app would give them; nothing else is added to a snippet.
 *
 * Other fences (```sh, ```text) are not TypeScript and are skipped; a fence with no language fails,
 * so that no code escapes the check unlabelled. A ts block that must not be checked says so on the
 * line right before its fence, with a reason: `<!-- snippet: unchecked (why) -->`, an HTML comment
 * that neither GitHub nor npm shows. No block of README.md uses it today.
 *
 * Links: npm renders README.md on the package page, where a relative link (`docs/x.md`) points into
 * npmjs.com and breaks. So every link is absolute `https://`, links into GitHub go to the repository
 * package.json names, and `blob/main/...` or `tree/main/...` links name a path that exists here.
 *
 * To show the checks can fail, they also run on small samples that break each rule.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/**
 * The names README snippets use without defining them, as an app would have them. Kept small: a
 * name is added here only when a snippet needs it, with the type an app would give it.
 */
const PRELUDE = `
/** An app's token store (the SSEClient auth example). */
declare const store: { readonly token: string | undefined; refresh(): Promise<void> };
/** The chat history sent with an LLM request. */
declare const messages: { role: "system" | "user" | "assistant"; content: string }[];
/** Looks up the current tenant, asynchronously (per-connection headers). */
declare function tenant(): Promise<string>;
/** Shows a value in the app's UI. */
declare function render(value: string): void;
`;

/** Where the virtual files live: next to this test, so that relative lookups behave as for a file here. */
const VIRTUAL_DIR = join(ROOT, "test/docs/.readme-snippets");
const PRELUDE_FILE = join(VIRTUAL_DIR, "prelude.d.ts");

/** The languages of fences that hold TypeScript; every other labelled fence is prose or shell. */
const TYPESCRIPT = new Set(["ts", "typescript"]);
const UNCHECKED = /^<!--\s*snippet:\s*unchecked\b(.*)-->\s*$/;

interface Block {
  /** The line of the opening fence, from 1. */
  line: number;
  /** The fence's language (its info string's first word), `""` if it has none. */
  lang: string;
  /** The nearest heading above the block, for test names. */
  heading: string;
  /** The reason given by an `unchecked` marker on the line before the fence, if there is one. */
  unchecked: string | undefined;
  code: string;
}

/** The fenced code blocks of a Markdown text (``` or ~~~ fences, indented up to three spaces). */
function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  let heading = "(top)";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^#{1,6}\s/.test(line)) heading = line.trim();
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
    if (!open) continue;
    const fence = open[1] as string;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length; i++) {
      const current = lines[i] as string;
      // A closing fence: the same character, at least as many, nothing after it.
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(current)?.[1];
      if (close && close[0] === fence[0] && close.length >= fence.length) break;
      body.push(current);
    }
    const marker = UNCHECKED.exec((lines[start - 1] ?? "").trim());
    blocks.push({
      line: start + 1,
      lang: (open[2] as string).toLowerCase(),
      heading,
      unchecked: marker ? (marker[1] as string).trim() : undefined,
      code: body.join("\n"),
    });
  }
  return blocks;
}

/** The compiler options of tsconfig.json, plus `paths` from the package's entry points to src/. */
function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile);
  if (config.error)
    throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
  const raw = config.config as { compilerOptions: Record<string, unknown> };
  const parsed = ts.parseJsonConfigFileContent(
    {
      compilerOptions: {
        ...raw.compilerOptions,
        paths: {
          ssekit: ["./src/index.ts"],
          "ssekit/parser": ["./src/parser/index.ts"],
          "ssekit/polyfill": ["./src/event-source/polyfill.ts"],
          "ssekit/share": ["./src/share/index.ts"],
        },
      },
      files: [],
    },
    ts.sys,
    ROOT,
  );
  return { ...parsed.options, noEmit: true };
}

/**
 * Type-checks each snippet as a module of its own (an `export {}` is appended, so that a snippet
 * without imports is a module too and snippets never share a scope), all in one program with the
 * prelude. Returns each snippet's diagnostics as `line:column message`, `line` counted from the
 * snippet's first line plus `firstLines[i]` (its line in the README), so that messages point there.
 */
function typeCheck(snippets: string[], firstLines: number[] = []): string[][] {
  const options = compilerOptions();
  const virtual = new Map<string, string>([[PRELUDE_FILE, PRELUDE]]);
  const names = snippets.map((code, index) => {
    const name = join(VIRTUAL_DIR, `snippet-${index}.ts`);
    virtual.set(name, `${code}\nexport {};\n`);
    return name;
  });
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, onError, shouldCreate) => {
    const text = virtual.get(file);
    return text === undefined
      ? getSourceFile.call(host, file, language, onError, shouldCreate)
      : ts.createSourceFile(file, text, language, true);
  };
  const program = ts.createProgram([PRELUDE_FILE, ...names], options, host);
  const format = (diagnostic: ts.Diagnostic, offset = 0) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${line + 1 + offset}:${character + 1} ${message}`;
  };
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  const preludeFile = program.getSourceFile(PRELUDE_FILE);
  const preludeErrors = preludeFile ? ts.getPreEmitDiagnostics(program, preludeFile) : [];
  if (global.length + preludeErrors.length > 0) {
    throw new Error(
      `the setup does not compile:\n${[...global, ...preludeErrors].map((d) => format(d)).join("\n")}`,
    );
  }
  return names.map((name, index) => {
    const file = program.getSourceFile(name);
    if (!file) throw new Error(`${name} was not compiled`);
    const offset = firstLines[index] ?? 0;
    return ts.getPreEmitDiagnostics(program, file).map((d) => format(d, offset));
  });
}

/** The link targets of a Markdown text, outside code blocks and code spans. */
function links(markdown: string): string[] {
  const prose = markdown
    .replace(/^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\1\s*$/gm, "")
    .replace(/`[^`\n]*`/g, "");
  return [
    ...[...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] as string),
    ...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map(
      (m) => m[1] as string,
    ),
    ...[...prose.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1] as string),
    ...[...prose.matchAll(/<(https?:\/\/[^>\s]+)>/g)].map((m) => m[1] as string),
  ];
}

/** The repository's web address, from package.json's `repository.url`. */
function repositoryUrl(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    repository?: { url?: string };
  };
  const url = pkg.repository?.url ?? "";
  return url.replace(/^git\+/, "").replace(/\.git$/, "");
}

/** Why a link would not work on the registry's page, or `undefined` when it would. */
function linkProblem(target: string, repository: string, exists: (path: string) => boolean) {
  if (!target.startsWith("https://")) return "not an absolute https:// URL";
  const url = new URL(target);
  if (url.hostname !== "github.com") return undefined;
  if (
    target !== repository &&
    !target.startsWith(`${repository}/`) &&
    !target.startsWith(`${repository}#`)
  )
    return `a GitHub link outside ${repository}`;
  const inRepo = /^\/[^/]+\/[^/]+\/(?:blob|tree)\/main\/([^#?]+)/.exec(url.pathname);
  if (inRepo && !exists(decodeURIComponent(inRepo[1] as string)))
    return "no such path in the repository";
  return undefined;
}

const blocks = codeBlocks(README);
const typescriptBlocks = blocks.filter((block) => TYPESCRIPT.has(block.lang));

describe("README.md code blocks", () => {
  it("every fence names its language", () => {
    const unlabelled = blocks.filter((block) => block.lang === "").map((block) => block.line);
    expect(unlabelled, "fences without a language, by line").toEqual([]);
  });

  it("has TypeScript blocks, each checked or marked unchecked with a reason", () => {
    expect(typescriptBlocks.length).toBeGreaterThan(0);
    const noReason = typescriptBlocks.filter((block) => block.unchecked === "");
    expect(
      noReason.map((block) => block.line),
      "unchecked markers without a reason",
    ).toEqual([]);
  });

  const checked = typescriptBlocks.filter((block) => block.unchecked === undefined);
  // One program for all blocks (the compiler loads the sources and libs once), then one test each.
  let results: string[][] | undefined;
  const resultsOf = () => {
    // A block's code starts on the line after its fence.
    results ??= typeCheck(
      checked.map((block) => block.code),
      checked.map((block) => block.line),
    );
    return results;
  };
  checked.forEach((block, index) => {
    it(`type-checks the block at README.md:${block.line} (${block.heading})`, {
      timeout: 120_000,
    }, () => {
      expect(resultsOf()[index], "errors as README.md line:column").toEqual([]);
    });
  });
});

/** The guides in docs/ whose code blocks are checked as README's are (their links are not). */
const GUIDES = ["docs/sharing.md"];

describe.each(GUIDES)("%s code blocks", (guide) => {
  const guideBlocks = codeBlocks(readFileSync(join(ROOT, guide), "utf8"));
  const checked = guideBlocks.filter((block) => TYPESCRIPT.has(block.lang) && !block.unchecked);

  it("every fence names its language; it has TypeScript blocks", () => {
    expect(guideBlocks.filter((block) => block.lang === "").map((block) => block.line)).toEqual([]);
    expect(checked.length).toBeGreaterThan(0);
  });

  it("type-checks every TypeScript block", { timeout: 120_000 }, () => {
    const results = typeCheck(
      checked.map((block) => block.code),
      checked.map((block) => block.line),
    );
    const errors = results.flatMap((diagnostics) => diagnostics.map((d) => `${guide}:${d}`));
    expect(errors).toEqual([]);
  });
});

describe("README.md links", () => {
  const repository = repositoryUrl();
  const exists = (path: string) => existsSync(join(ROOT, path));

  it("package.json names the repository the links point to", () => {
    expect(repository).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
  });

  it("every link works off GitHub: absolute, into this repository, at a path that exists", () => {
    const found = links(README);
    expect(found.length).toBeGreaterThan(0);
    const problems = found
      .map((target) => [target, linkProblem(target, repository, exists)] as const)
      .filter(([, problem]) => problem !== undefined)
      .map(([target, problem]) => `${target}: ${problem}`);
    expect(problems).toEqual([]);
  });
});

describe("the checks can fail", () => {
  it("a snippet with a type error, or an unknown free name, is reported", {
    timeout: 120_000,
  }, () => {
    const [wrongOption, unknownName, fine] = typeCheck([
      'import { SSEClient } from "ssekit";\nnew SSEClient("/feed", { idleTimeout: "45 s" });',
      'import { createParser } from "ssekit/parser";\ncreateParser({ onMessage: (m) => show(m.data) });',
      'import "ssekit/polyfill";\nnew EventSource("/events").onmessage = (event) => render(event.data);',
    ]);
    expect(wrongOption?.join("\n")).toMatch(/^2:\d+ .*not assignable/);
    expect(unknownName?.join("\n")).toMatch(/Cannot find name 'show'/);
    expect(fine).toEqual([]);
  });

  it("fences: languages, markers and unlabelled blocks are told apart", () => {
    const sample = [
      "# Title",
      "```sh",
      "npm install ssekit",
      "```",
      "<!-- snippet: unchecked (pseudo-code) -->",
      "```ts",
      "anything goes",
      "```",
      "````",
      "```ts",
      "nested",
      "```",
      "````",
    ].join("\n");
    expect(
      codeBlocks(sample).map(({ line, lang, unchecked, code }) => ({
        line,
        lang,
        unchecked,
        code,
      })),
    ).toEqual([
      { line: 2, lang: "sh", unchecked: undefined, code: "npm install ssekit" },
      { line: 6, lang: "ts", unchecked: "(pseudo-code)", code: "anything goes" },
      { line: 9, lang: "", unchecked: undefined, code: "```ts\nnested\n```" },
    ]);
  });

  it("relative links, other repositories and missing paths are reported", () => {
    const repository = "https://github.com/owner/repo";
    const exists = (path: string) => path === "docs/benchmarks.md";
    const sample =
      "[a](docs/benchmarks.md) [b](https://github.com/owner/repo/blob/main/docs/benchmarks.md) " +
      "[c](https://github.com/someone/else) [d](https://github.com/owner/repo/blob/main/docs/gone.md) " +
      "[e](http://example.com) [f](https://example.com/spec) `[g](ignored.md)`";
    expect(links(sample).map((target) => linkProblem(target, repository, exists))).toEqual([
      "not an absolute https:// URL",
      undefined,
      "a GitHub link outside https://github.com/owner/repo",
      "no such path in the repository",
      "not an absolute https:// URL",
      undefined,
    ]);
  });
});
