/**
 * Bundle sizes, ssekit and its peers side by side: each import bundled and minified by esbuild
 * and compressed with brotli, through size-limit's own plugins (the numbers `npm run size`
 * prints). ssekit is built first (`npm run build`) and measured in dist/ with its package.json,
 * whose `sideEffects` lets the bundler drop what an import does not use.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import esbuildPlugin from "@size-limit/esbuild";
import filePlugin from "@size-limit/file";
import sizeLimit from "size-limit";
import type { SizeRow } from "./results.js";

interface Entry {
  name: string;
  /**
   * File -> what is imported from it: a path below the project root (a peer's browser ESM
   * build), or `ssekit:<file>` for a file of ssekit's build.
   */
  imports: Record<string, string>;
  /** The .size-limit.json entry whose budget applies, by its import. */
  budget?: { path: string; import?: string };
}

const ENTRIES: readonly Entry[] = [
  {
    name: "ssekit/parser: createParser",
    imports: { "ssekit:parser.js": "{ createParser }" },
    budget: { path: "dist/parser.js", import: "{ createParser }" },
  },
  {
    name: "eventsource-parser 4.1.3: createParser",
    imports: { "node_modules/eventsource-parser-4/dist/index.js": "{ createParser }" },
  },
  {
    name: "eventsource-parser 3.1.1: createParser",
    imports: { "node_modules/eventsource-parser/dist/index.js": "{ createParser }" },
  },
  {
    name: "ssekit/parser: createParser + SSEParserStream",
    imports: { "ssekit:parser.js": "{ createParser, SSEParserStream }" },
    budget: { path: "dist/parser.js", import: "{ createParser, SSEParserStream }" },
  },
  {
    name: "eventsource-parser 4.1.3: createParser + EventSourceParserStream",
    imports: {
      "node_modules/eventsource-parser-4/dist/index.js": "{ createParser }",
      "node_modules/eventsource-parser-4/dist/stream.js": "{ EventSourceParserStream }",
    },
  },
  {
    name: "ssekit: SSEClient",
    imports: { "ssekit:index.js": "{ SSEClient }" },
    budget: { path: "dist/index.js", import: "{ SSEClient }" },
  },
  {
    name: "eventsource-client 1.2.0: createEventSource",
    imports: { "node_modules/eventsource-client/dist/default.esm.js": "{ createEventSource }" },
  },
  {
    name: "@microsoft/fetch-event-source 2.0.1: fetchEventSource",
    imports: {
      "node_modules/@microsoft/fetch-event-source/lib/esm/index.js": "{ fetchEventSource }",
    },
  },
  {
    name: "fetch-event-stream 0.1.6: stream",
    imports: { "node_modules/fetch-event-stream/esm/mod.js": "{ stream }" },
  },
  {
    name: "ssekit: EventSource",
    imports: { "ssekit:index.js": "{ EventSource }" },
    budget: { path: "dist/index.js", import: "{ EventSource }" },
  },
  {
    name: "eventsource 5.1.5: EventSource",
    imports: { "node_modules/eventsource-5/dist/index.js": "{ EventSource }" },
  },
  {
    name: "eventsource 4.1.1: EventSource",
    imports: { "node_modules/eventsource/dist/index.js": "{ EventSource }" },
  },
  {
    name: "ssekit: everything",
    imports: { "ssekit:index.js": "*" },
    budget: { path: "dist/index.js" },
  },
];

interface Budget {
  path: string;
  import?: string;
  limit?: string;
}

const root = new URL("../", import.meta.url);

/** `ssekit:parser.js` -> `ssekit/parser`; `node_modules/<name>/...` -> the package name. */
function moduleName(file: string): string {
  if (file === "ssekit:index.js") return "ssekit";
  if (file.startsWith("ssekit:")) return `ssekit/${file.slice("ssekit:".length, -".js".length)}`;
  const parts = file.split("/");
  const name = parts[1]?.startsWith("@") ? `${parts[1]}/${parts[2]}` : (parts[1] ?? file);
  return file.endsWith("/stream.js") ? `${name}/stream` : name;
}

function budgets(): Budget[] {
  return JSON.parse(readFileSync(new URL(".size-limit.json", root), "utf8")) as Budget[];
}

/** Brotli bytes of every entry, after `npm run build`. */
export async function measureSizes(): Promise<SizeRow[]> {
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  const limits = budgets();
  const resolve = (file: string) =>
    file.startsWith("ssekit:")
      ? fileURLToPath(new URL(`dist/${file.slice("ssekit:".length)}`, root))
      : fileURLToPath(new URL(file, root));
  const rows: SizeRow[] = [];
  for (const entry of ENTRIES) {
    const imports: Record<string, string> = {};
    for (const [specifier, list] of Object.entries(entry.imports)) {
      imports[resolve(specifier)] = list;
    }
    const [result] = (await sizeLimit([filePlugin, esbuildPlugin], {
      // `*`: the whole file, as size-limit measures an entry without `import`.
      checks: [
        Object.values(imports).includes("*")
          ? { files: Object.keys(imports) }
          : { files: Object.keys(imports), import: imports },
      ],
    })) as { size?: number }[];
    if (result?.size === undefined) throw new Error(`size-limit measured nothing: ${entry.name}`);
    const budget = entry.budget;
    const limit =
      budget === undefined
        ? undefined
        : limits.find((b) => b.path === budget.path && b.import === budget.import && b.limit)
            ?.limit;
    rows.push({
      name: entry.name,
      import: Object.entries(entry.imports)
        .map(([file, list]) =>
          list === "*"
            ? `all of "${moduleName(file)}"`
            : `import ${list} from "${moduleName(file)}"`,
        )
        .join("; "),
      bytes: result.size,
      ...(limit === undefined ? {} : { limit }),
    });
  }
  return rows;
}
