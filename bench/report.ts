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
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

async function measure(): Promise<Report> {
  const parser =
    args.parser === undefined
      ? run<ParserResults>("parser", ["npx", "tsx", "bench/parser.ts"], (f) => ["--json", f])
      : readJson<ParserResults>(args.parser);
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
  return { parser, client, dispatch: { rows: dispatch.rows }, sizes };
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
