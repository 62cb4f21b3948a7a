/**
 * The benchmark page: runs the parser, client, dispatch-latency and size benchmarks, then writes
 * docs/benchmarks.md (bench/page.ts), its chart docs/benchmarks.svg (bench/chart.ts) and the
 * results it rendered them from, docs/benchmarks.json.
 *
 *   npm run bench:report                        full run (about 15 min on 2 quiet cores)
 *   npm run bench:report -- --quick             short runs (a smoke test of the page)
 *   npm run bench:report -- --from FILE         render again from saved results, measure nothing
 *   npm run bench:report -- --parser FILE --client FILE   reuse results of `--json` runs
 *   npm run bench:report -- --out DIR           write into DIR instead of docs/
 *   npm run bench:report -- --check             exit 1 when ssekit misses a target
 *   npm run bench:report -- --node PATH         also run the parser benchmark under that node
 *                                               (repeatable; default: the Node 24 that
 *                                               `node scripts/install-runtimes.mjs` installs)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { headlinePanels, renderChart } from "./chart.js";
import { measureDispatch } from "./dispatch.js";
import { CHART_FILE, renderPage, verdictsOf } from "./page.js";
import type { ClientResults, ParserResults, Report } from "./results.js";
import { verdictLines } from "./targets.js";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    from: { type: "string" },
    parser: { type: "string" },
    client: { type: "string" },
    out: { type: "string" },
    check: { type: "boolean", default: false },
    node: { type: "string", multiple: true },
  },
  strict: true,
});

const root = fileURLToPath(new URL("../", import.meta.url));
const out = args.out ?? join(root, "docs");

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** Runs one benchmark script with `--json` (its output shown) and reads what it wrote. */
function run<T>(name: string, command: string[], jsonFlag: (file: string) => string[]): T {
  const file = join(tmpdir(), `ssekit-${name}-${process.pid}.json`);
  const extra = args.quick ? ["--quick"] : [];
  const [cmd = "node", ...rest] = command;
  const { status, error } = spawnSync(cmd, [...rest, ...extra, ...jsonFlag(file)], {
    cwd: root,
    stdio: "inherit",
  });
  if (error !== undefined) throw error;
  if (status !== 0) throw new Error(`${name} benchmark exited with ${status}`);
  return readJson<T>(file);
}

/**
 * The other Node versions to run the parser benchmark under: `--node`, else the current LTS line
 * from `.runtimes/` when installed (users run it, and its faster streaming `TextDecoder` changes
 * the picture); none when the parser results are reused (`--parser`).
 */
function otherNodes(): string[] {
  if (args.node !== undefined) return args.node;
  if (args.parser !== undefined) return [];
  const runtimes = readJson<{ id: string; path?: string }[]>(
    join(root, "test/runtimes/runtimes.json"),
  );
  const lts = runtimes.find((r) => r.id === "node24")?.path;
  const path = lts === undefined ? undefined : join(root, ".runtimes", lts);
  if (path === undefined || !existsSync(path)) {
    process.stderr.write("Node 24 is not installed (node scripts/install-runtimes.mjs): skipped\n");
    return [];
  }
  return [path];
}

async function measure(): Promise<Report> {
  const parser =
    args.parser === undefined
      ? run<ParserResults>("parser", ["npx", "tsx", "bench/parser.ts"], (f) => ["--json", f])
      : readJson<ParserResults>(args.parser);
  const parserElsewhere = otherNodes().map((node, i) => {
    const results = run<ParserResults>(
      `parser-${i + 2}`,
      [node, "--import", "tsx", "bench/parser.ts"],
      (f) => ["--json", f],
    );
    return { ...results, command: `${relative(root, node)} --import tsx bench/parser.ts` };
  });
  const client =
    args.client === undefined
      ? run<ClientResults>(
          "client",
          ["node", "--expose-gc", "--import", "tsx", "bench/client.ts"],
          (f) => [`--json=${f}`],
        )
      : readJson<ClientResults>(args.client);
  const dispatch = measureDispatch(1);
  process.stderr.write("Bundle sizes...\n");
  // Loaded here: size-limit and esbuild are not needed to render saved results.
  const { measureSizes } = await import("./size.js");
  const sizes = await measureSizes();
  return { parser, parserElsewhere, client, dispatch: { rows: dispatch.rows }, sizes };
}

const report = args.from === undefined ? await measure() : readJson<Report>(args.from);
const caption = `${report.parser.machine.date.slice(0, 10)}, Node ${report.parser.machine.node}, ${report.parser.machine.cores} x ${report.parser.machine.cpu}; ssekit ${report.parser.machine.commit}`;
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "benchmarks.md"), renderPage(report));
writeFileSync(join(out, CHART_FILE), renderChart(headlinePanels(report), caption));
if (args.from === undefined) {
  // In the project's JSON style (biome, reading stdin), so that `npm run lint` passes on it.
  const json = execFileSync(
    join(root, "node_modules/.bin/biome"),
    ["format", "--stdin-file-path=docs/benchmarks.json"],
    { cwd: root, input: `${JSON.stringify(report)}\n`, encoding: "utf8" },
  );
  writeFileSync(join(out, "benchmarks.json"), json);
}
const verdicts = verdictsOf(report);
console.log(`\n${verdictLines(verdicts)}\n\nwritten: ${join(out, "benchmarks.md")}, ${CHART_FILE}`);
if (args.check && verdicts.some((v) => !v.ok)) process.exitCode = 1;
