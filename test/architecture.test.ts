/**
 * The layer rules of docs/architecture.md, checked on the import graph of src/: which folder may
 * import which, no import cycle (type-only imports count: they are what "go to definition"
 * follows), and files of a readable size. The checks run on the real tree and, to show they can
 * fail, on small graphs that break each rule.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/**
 * The layers, bottom up, and what each may import besides itself. `index.ts` (the public API) is
 * `root`; `cli` is the Node-only command line tool, which nothing in the library imports. The CLI
 * takes the library through `index.ts` only: its build points that one import at the package's
 * dist/index.js (tsup.config.ts), so any other import would bundle a second copy of a class, and
 * its `instanceof` checks (`HttpError`, ...) would fail.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  errors: [],
  parser: ["errors"],
  engine: ["parser", "errors"],
  client: ["engine", "parser", "errors"],
  "event-source": ["engine", "parser", "errors"],
  share: ["client", "engine", "parser", "errors"],
  root: ["client", "engine", "event-source", "parser", "errors", "share"],
  cli: ["root"],
};

/** The longest a file of src/ may grow before it should be split (the base engine is the longest). */
const MAX_LINES = 350;

type Graph = Map<string, string[]>;

/** The layer of a path relative to src/: its first folder, or `root` for files at the top. */
function layerOf(file: string): string {
  return file.includes("/") ? (file.split("/")[0] as string) : "root";
}

/** Every relative import and re-export of every .ts file below src/, as paths relative to it. */
function importGraph(): Graph {
  const graph: Graph = new Map();
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((f) =>
    f.endsWith(".ts"),
  );
  for (const file of files) {
    const text = readFileSync(join(SRC, file), "utf8");
    const targets = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"/gm)].map(
      (match) =>
        relative(SRC, resolve(SRC, dirname(file), match[1] as string)).replace(/\.js$/, ".ts"),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** Imports that cross a layer boundary they may not. */
function layerViolations(graph: Graph): string[] {
  const violations: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    const allowed = MAY_IMPORT[from];
    for (const target of targets) {
      const to = layerOf(target);
      if (to === from) continue;
      if (!allowed?.includes(to))
        violations.push(`${file} -> ${target} (${from} may not import ${to})`);
    }
  }
  return violations;
}

/** Every import cycle, each as the files around it (depth-first search, each cycle once). */
function cycles(graph: Graph): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "visiting");
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === "visiting")
        found.push([...stack.slice(stack.indexOf(target)), target]);
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe("the tree of src/", () => {
  const graph = importGraph();

  it("has the layers the rules name, and every file in one of them", () => {
    expect(graph.size).toBeGreaterThan(20);
    const unknown = [...graph.keys()].filter((file) => !(layerOf(file) in MAY_IMPORT));
    expect(unknown).toEqual([]);
    for (const layer of ["errors", "parser", "engine", "client", "event-source", "cli"]) {
      expect(
        [...graph.keys()].some((file) => layerOf(file) === layer),
        layer,
      ).toBe(true);
    }
  });

  it("imports only downwards: engine and event-source never reach the client", () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("every import names a file that exists", () => {
    const missing = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => !graph.has(target)).map((target) => `${file} -> ${target}`),
    );
    expect(missing).toEqual([]);
  });

  it("only the base engine writes its `_x` state: the layers above call its methods", () => {
    const writes = [...graph.keys()]
      .filter((file) => layerOf(file) !== "engine")
      .flatMap((file) =>
        [
          ...readFileSync(join(SRC, file), "utf8").matchAll(
            /\bthis\._\w+\s*(?:[-+*/]?=(?!=)|\+\+|--)/g,
          ),
        ].map((match) => `${file}: ${match[0]}`),
      );
    expect(writes).toEqual([]);
  });

  it(`keeps every file under ${MAX_LINES} lines`, () => {
    const long = [...graph.keys()]
      .map((file) => ({ file, lines: readFileSync(join(SRC, file), "utf8").split("\n").length }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});

describe("the checks fail when a rule is broken", () => {
  it("an engine file importing the client", () => {
    const graph: Graph = new Map([
      ["engine/connection.ts", ["client/classify.ts", "parser/parser.ts"]],
      ["client/classify.ts", []],
      ["parser/parser.ts", []],
    ]);
    expect(layerViolations(graph)).toEqual([
      "engine/connection.ts -> client/classify.ts (engine may not import client)",
    ]);
  });

  it("EventSource importing the client, the parser importing the engine", () => {
    const graph: Graph = new Map([
      ["event-source/event-source.ts", ["client/client.ts"]],
      ["parser/parser.ts", ["engine/connection.ts"]],
    ]);
    expect(layerViolations(graph)).toHaveLength(2);
  });

  it("the CLI importing the client other than through index.ts, the client importing the CLI", () => {
    const graph: Graph = new Map([
      ["cli/run.ts", ["index.ts", "client/client.ts"]],
      ["client/client.ts", ["cli/args.ts"]],
    ]);
    expect(layerViolations(graph)).toEqual([
      "cli/run.ts -> client/client.ts (cli may not import client)",
      "client/client.ts -> cli/args.ts (client may not import cli)",
    ]);
  });

  it("a cycle, also through type-only imports", () => {
    const graph: Graph = new Map([
      ["client/client.ts", ["client/delivery.ts"]],
      ["client/delivery.ts", ["client/types.ts"]],
      ["client/types.ts", ["client/client.ts"]],
    ]);
    expect(cycles(graph)).toEqual([
      ["client/client.ts", "client/delivery.ts", "client/types.ts", "client/client.ts"],
    ]);
  });

  it("reads imports, re-exports and type-only imports of the real files", () => {
    const graph = importGraph();
    expect(graph.get("index.ts")).toContain("client/client.ts");
    expect(graph.get("client/delivery.ts")).toContain("client/types.ts");
    expect(graph.get("engine/connection.ts")).toContain("engine/types.ts");
  });
});
