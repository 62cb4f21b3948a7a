/**
 * The Markdown under docs/ (the guides and the rest; docs/api/ is typedoc's output): every code
 * block is type-checked, and some are also run, so that none can rot.
 *
 * Fences: every fence names its language; ```ts blocks are TypeScript, others (sh, text) are not.
 *
 * Type check (test/fixtures/snippet-check.ts): each ts block is a module of its own, checked with
 * the options of tsconfig.json, "ssekit", "ssekit/parser", "ssekit/polyfill" and Deno's
 * "npm:ssekit" mapped to src/. Any other import resolves in node_modules, so the "before" side of a
 * migration guide is checked against the real types of @microsoft/fetch-event-source, eventsource,
 * eventsource-client and eventsource-parser (devDependencies). The free names the snippets use
 * are declared in PRELUDE below:
 * - what an app around a snippet would hold (a render function, a session), with the types an app
 *   would give them;
 * - the few names of runtimes whose types are not installed here, declared with the shapes those
 *   runtimes publish, reduced to what the snippets use: Cloudflare Workers' `ExportedHandler` and
 *   `ExecutionContext` (@cloudflare/workers-types), and the `expo/fetch` module (expo's
 *   `FetchRequestInit`; its `FetchResponse` implements `Response`). Deno needs no declaration: its
 *   snippets use `npm:ssekit` and web APIs only.
 * A ts block that must not be checked says so on the line before its fence, with a reason
 * (`<!-- snippet: unchecked (why) -->`); none does today.
 *
 * Running: a block marked `<!-- snippet: run node -->` or `run browser` is also run as a vitest
 * test file, by the runner RUNNABLE_DOCS names (test/fixtures/markdown.ts); a `run` marker in any
 * other file, or naming another target, fails here.
 *
 * Links: a relative link names a file that exists; a GitHub link into this repository names a path
 * that exists (links elsewhere are not checked).
 *
 * To show the checks can fail, they also run on small samples that break them.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Block,
  codeBlocks,
  linkProblem,
  links,
  RUN_TARGETS,
  RUNNABLE_DOCS,
  repositoryUrl,
  TYPESCRIPT,
} from "../fixtures/markdown.js";
import { itTypeChecks, ROOT, readRepoFile, typeCheck } from "../fixtures/snippet-check.js";

const PRELUDE = `
/** Shows a text in the app's UI. */
declare function render(text: string): void;
/** Shows an error message in the app's UI. */
declare function showError(message: string): void;
/** Sends the user to the sign-in page. */
declare function redirectToLogin(): void;
/** The signed-in user's session: the current access token and how to get a new one. */
declare const session: { readonly accessToken: string | undefined; refresh(): Promise<void> };
/** Where an API key comes from, asynchronously. */
declare const keys: { current(): Promise<string> };
/** An API key. */
declare const apiKey: string;
/** The chat history sent with an LLM request. */
declare const messages: { role: "system" | "user" | "assistant"; content: string }[];
/** The user's question. */
declare const question: string;
/** The id of a background job. */
declare const jobId: string;
/** The button that stops an answer. */
declare const stopButton: HTMLButtonElement;

/** Cloudflare Workers (@cloudflare/workers-types), reduced to what the guides use. */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}
interface ExportedHandler<Env = unknown> {
  fetch?(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
}

/** expo/fetch (the expo package's published types), reduced to what the guides use. */
declare module "expo/fetch" {
  interface FetchRequestInit {
    body?: BodyInit | null;
    credentials?: RequestCredentials;
    headers?: HeadersInit;
    method?: string;
    signal?: AbortSignal | null;
    redirect?: RequestRedirect;
    integrity?: string;
    keepalive?: boolean;
    mode?: RequestMode;
    referrer?: string;
  }
  export function fetch(url: string, init?: FetchRequestInit): Promise<Response>;
}
`;

/** The Markdown files under docs/, but typedoc's output. */
function markdownFiles(): string[] {
  return readdirSync(join(ROOT, "docs"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md") && !file.startsWith("api/"))
    .map((file) => `docs/${file.split("\\").join("/")}`)
    .sort();
}

const files = markdownFiles().map((path) => ({ path, text: readRepoFile(path) }));
const blocks = files.flatMap(({ path, text }) =>
  codeBlocks(text).map((block) => ({ ...block, path })),
);
const checked = blocks.filter(
  (block) => TYPESCRIPT.has(block.lang) && block.unchecked === undefined,
);

/** Checks doc snippets, virtually in test/docs/.doc-snippets/. */
const check = (snippets: string[], firstLines?: number[]) =>
  typeCheck(snippets, {
    prelude: PRELUDE,
    dir: "test/docs/.doc-snippets",
    ...(firstLines ? { firstLines } : {}),
  });

/** What is wrong with the `run` markers of a file's blocks, as `path:line why`. */
function runProblems(path: string, fileBlocks: Block[]): string[] {
  return fileBlocks
    .filter((block) => block.run !== undefined)
    .flatMap((block) => {
      const where = `${path}:${block.line}`;
      if (!TYPESCRIPT.has(block.lang)) return [`${where} a run block that is not TypeScript`];
      if (!RUN_TARGETS.has(block.run as string)) return [`${where} unknown target "${block.run}"`];
      const runner = RUNNABLE_DOCS[path]?.[block.run as string];
      if (!runner) return [`${where} no test runs the "${block.run}" blocks of ${path}`];
      return existsSync(join(ROOT, runner)) ? [] : [`${where} the runner ${runner} is missing`];
    });
}

/** Why a link of the Markdown file `path` would not work, or `undefined`. */
function docLinkProblem(path: string, target: string, repository: string): string | undefined {
  const exists = (file: string) => existsSync(join(ROOT, file));
  // Absolute: only links into this repository are checked (docs may cite other projects).
  if (/^[a-z][a-z+.-]*:/i.test(target)) {
    return target === repository || target.startsWith(`${repository}/`)
      ? linkProblem(target, repository, exists)
      : undefined;
  }
  if (target.startsWith("#")) return undefined;
  const file = normalize(join(dirname(path), decodeURIComponent(target.split("#")[0] as string)));
  return exists(file) ? undefined : `no such file: ${file}`;
}

describe("docs/ code blocks", () => {
  it("finds the guides and their TypeScript blocks", () => {
    expect(files.map((file) => file.path)).toContain("docs/README.md");
    expect(checked.length).toBeGreaterThan(20);
  });

  it("every fence names its language", () => {
    const unlabelled = blocks.filter((b) => b.lang === "").map((b) => `${b.path}:${b.line}`);
    expect(unlabelled, "fences without a language").toEqual([]);
  });

  it("unchecked markers give a reason; run markers name a target that a test runs", () => {
    const noReason = blocks.filter((b) => b.unchecked === "").map((b) => `${b.path}:${b.line}`);
    expect(noReason, "unchecked markers without a reason").toEqual([]);
    expect(files.flatMap(({ path, text }) => runProblems(path, codeBlocks(text)))).toEqual([]);
    for (const [path, runners] of Object.entries(RUNNABLE_DOCS)) {
      const targets = blocks.filter((b) => b.path === path && b.run).map((b) => b.run);
      expect(new Set(targets), `the run targets of ${path}`).toEqual(new Set(Object.keys(runners)));
    }
  });

  itTypeChecks(
    checked,
    check,
    (block) => `type-checks ${block.path}:${block.line} (${block.heading})`,
    (block) => block.path,
  );
});

describe("docs/ links", () => {
  const repository = repositoryUrl(readRepoFile("package.json"));
  it("every relative link names a file that exists, every link into this repository a path", () => {
    const problems = files.flatMap(({ path, text }) =>
      links(text)
        .map((target) => [target, docLinkProblem(path, target, repository)] as const)
        .filter(([, problem]) => problem !== undefined)
        .map(([target, problem]) => `${path}: ${target}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });
});

describe("the checks can fail", () => {
  it("a wrong option of ssekit or of another package, or a name no prelude declares, is reported", {
    timeout: 120_000,
  }, () => {
    const [ours, theirs, unknownName, runtime] = check([
      'import { SSEClient } from "npm:ssekit";\nnew SSEClient("https://x.test/", { reconnect: 1 });',
      'import { fetchEventSource } from "@microsoft/fetch-event-source";\nfetchEventSource("/x", { openWhenHidden: "yes" });',
      "render(token);",
      'import { fetch } from "expo/fetch";\nexport default { fetch: () => fetch("/x") } satisfies ExportedHandler;',
    ]);
    expect(ours?.join("\n")).toMatch(/^2:\d+ .*reconnect/);
    expect(theirs?.join("\n")).toMatch(/^2:\d+ .*not assignable to type 'boolean/);
    expect(unknownName?.join("\n")).toMatch(/Cannot find name 'token'/);
    expect(runtime).toEqual([]);
  });

  it("run markers: a target nobody runs, or a file nobody runs, is reported", () => {
    const sample = (marker: string) =>
      codeBlocks(`<!-- snippet: ${marker} -->\n\`\`\`ts\nexport {};\n\`\`\`\n`);
    expect(runProblems("docs/guides/testing.md", sample("run node"))).toEqual([]);
    expect(runProblems("docs/guides/testing.md", sample("run deno"))).toEqual([
      'docs/guides/testing.md:2 unknown target "deno"',
    ]);
    expect(runProblems("docs/guides/auth.md", sample("run node"))).toEqual([
      'docs/guides/auth.md:2 no test runs the "node" blocks of docs/guides/auth.md',
    ]);
  });

  it("links: a missing file, or a missing path in this repository, is reported", () => {
    const repository = "https://github.com/ssekit/ssekit";
    expect(docLinkProblem("docs/guides/auth.md", "errors.md", repository)).toBeUndefined();
    expect(docLinkProblem("docs/guides/auth.md", "../../src/index.ts", repository)).toBeUndefined();
    expect(docLinkProblem("docs/guides/auth.md", "gone.md#x", repository)).toBe(
      "no such file: docs/guides/gone.md",
    );
    expect(
      docLinkProblem("docs/README.md", `${repository}/blob/main/docs/gone.md`, repository),
    ).toBe("no such path in the repository");
    expect(
      docLinkProblem("docs/README.md", "https://github.com/other/repo", repository),
    ).toBeUndefined();
    expect(docLinkProblem("docs/README.md", "later.md", repository)).toBe(
      "no such file: docs/later.md",
    );
  });
});
