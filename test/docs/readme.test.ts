/**
 * README.md as users read it, on the repository and on the registry's package page.
 *
 * Code: every ```ts (or ```typescript) block is type-checked by the TypeScript compiler against the
 * sources, each block as a module of its own, with the options of tsconfig.json and `paths` mapping
 * the package's entry points to their source files (test/fixtures/snippet-check.ts). The free names the
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
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeBlocks, linkProblem, links, repositoryUrl, TYPESCRIPT } from "../fixtures/markdown.js";
import { itTypeChecks, ROOT, readRepoFile, typeCheck } from "../fixtures/snippet-check.js";

const README = readRepoFile("README.md");

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

/** Checks README snippets, virtually next to this test. */
const check = (snippets: string[], firstLines?: number[]) =>
  typeCheck(snippets, {
    prelude: PRELUDE,
    dir: "test/docs/.readme-snippets",
    ...(firstLines ? { firstLines } : {}),
  });

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

  itTypeChecks(
    typescriptBlocks.filter((block) => block.unchecked === undefined),
    check,
    (block) => `type-checks the block at README.md:${block.line} (${block.heading})`,
    () => "README.md",
  );
});

describe("README.md links", () => {
  const repository = repositoryUrl(readRepoFile("package.json"));
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
    const [wrongOption, unknownName, fine] = check([
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
