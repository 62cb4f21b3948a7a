/**
 * ssekit in every runtime it supports: the built package (test/fixtures/build.ts) runs
 * test/runtimes/scenarios.mjs (parser, SSEParserStream, SSEClient with POST, resume, auth refresh
 * and idle timeout, EventSource over dropped connections) against the fixture server, in Node 18,
 * 20 (this process's), 22, 24 and 26, Bun, Deno, and workerd (Cloudflare Workers, via miniflare).
 * The assertions are here, the same for every runtime.
 *
 * The runtimes come from registry packages that `node scripts/install-runtimes.mjs` puts in
 * `.runtimes/` (`.ci/run` does). One that is missing fails under CI and is skipped elsewhere, with
 * a banner that says so.
 *
 * A CLI runtime must also exit on its own once the scenarios are done: a timer, socket or reader
 * left behind by `close()` would keep it alive.
 */
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build as bundle } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPackage, removeBuild } from "./fixtures/build.js";
import { type FixtureServer, startFixtureServer } from "./fixtures/server.js";
import { expectReport, type Report } from "./runtimes/report.js";
import runtimeList from "./runtimes/runtimes.json" with { type: "json" };

/** One runtime of runtimes.json (scripts/install-runtimes.mjs installs the same list). */
interface Runtime {
  id: string;
  name: string;
  /** `node`: this process's node; `cli`: a binary run on an entry file; `workerd`: miniflare. */
  kind: "node" | "cli" | "workerd";
  /** The registry package that brings it, installed into `.runtimes/<folder of path>`. */
  package?: string;
  /** Under `.runtimes/`: the binary, or for workerd the miniflare package. */
  path?: string;
  /** Arguments before the entry file. */
  args?: string[];
  /** What scenarios.mjs must report as the runtime (a regular expression). */
  reports: string;
}

/** The subset of miniflare's API used here (miniflare lives in .runtimes/, not in the package). */
interface MiniflareApi {
  Miniflare: new (options: {
    modules: boolean;
    script: string;
    compatibilityDate: string;
  }) => {
    dispatchFetch(url: string): Promise<Response>;
    dispose(): Promise<void>;
  };
}

const RUNTIMES = runtimeList as Runtime[];

const ci = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());
const root = resolve(import.meta.dirname, "..");
const scenarios = join(root, "test/runtimes/scenarios.mjs");

const outDir = await buildPackage();
afterAll(() => removeBuild(outDir));

let server: FixtureServer | undefined;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

/** Where a runtime's binary (or package) is; undefined for this process's node. */
const runtimePath = (runtime: Runtime) =>
  runtime.path ? join(root, ".runtimes", runtime.path) : undefined;
const isInstalled = (runtime: Runtime) => {
  const path = runtimePath(runtime);
  return path === undefined || existsSync(path);
};

const missing = RUNTIMES.filter((runtime) => !isInstalled(runtime));
if (missing.length > 0 && !ci) {
  const names = missing.map((runtime) => runtime.name).join(", ");
  console.warn(
    `\n${"#".repeat(78)}\n# RUNTIME TESTS SKIPPED: ${names} not installed.\n` +
      "# Install them with `node scripts/install-runtimes.mjs` (CI does; there a missing\n" +
      `# runtime is a failure).\n${"#".repeat(78)}\n`,
  );
}

/** How long one runtime's scenarios may take (they need about a second). */
const RUN_DEADLINE = 40_000;

/**
 * Writes an entry module for one run: it imports the build and the scenarios statically, defines
 * `run()` (the scenarios against the fixture server, under `key`), then does `body` with it.
 */
function writeEntry(key: string, body: string): string {
  if (!server) throw new Error("fixture server not started");
  const entry = join(outDir, `entry-${key}.mjs`);
  const args = [server.url, key].map((arg) => JSON.stringify(arg)).join(", ");
  writeFileSync(
    entry,
    `import * as ssekit from ${JSON.stringify(join(outDir, "index.js"))};\n` +
      `import { runScenarios } from ${JSON.stringify(scenarios)};\n` +
      `const run = () => runScenarios(ssekit, ${args});\n${body}\n`,
  );
  return entry;
}

/** Runs the scenarios in a CLI runtime, which prints the report. */
async function runCli(runtime: Runtime, key: string): Promise<Report> {
  const entry = writeEntry(key, "console.log(JSON.stringify(await run()));");
  const binary = runtimePath(runtime) ?? process.execPath;
  const args = [...(runtime.args ?? []), entry];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  // It must exit by itself; the deadline only turns a hang into a failure that says so.
  const deadline = setTimeout(() => child.kill("SIGKILL"), RUN_DEADLINE);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
    child.on("error", fail); // Not started at all (missing, not executable).
    child.on("close", (c, s) => done([c, s]));
  }).finally(() => clearTimeout(deadline));
  const output = `stdout: ${stdout.slice(0, 2000)}\nstderr: ${stderr.slice(0, 4000)}`;
  if (signal || code !== 0) {
    const how = signal
      ? `was killed (${signal}): it did not exit on its own`
      : `exited with ${code}`;
    throw new Error(`${runtime.name} ${how}\n${output}`);
  }
  return parseReport(runtime, stdout.trim().split("\n").at(-1) ?? "", output);
}

/** The report a runtime printed, or an error that shows what it printed instead. */
function parseReport(runtime: Runtime, json: string, output: string): Report {
  try {
    return JSON.parse(json) as Report;
  } catch {
    throw new Error(`${runtime.name} did not print a report\n${output}`);
  }
}

/** The compatibility date of the workerd runs (the scenarios need none older). */
const COMPATIBILITY_DATE = "2026-04-26";

/**
 * Bundles `entry` as a module worker, runs it in workerd at `compatibilityDate` and fetches it
 * once: the body of its answer (a non-2xx answer or no answer before the deadline fails).
 */
async function fetchWorker(
  runtime: Runtime,
  entry: string,
  compatibilityDate = COMPATIBILITY_DATE,
): Promise<string> {
  const { Miniflare } = createRequire(runtimePath(runtime) ?? "")("miniflare") as MiniflareApi;
  const built = await bundle({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  const script = built.outputFiles[0]?.text ?? "";
  const mf = new Miniflare({ modules: true, script, compatibilityDate });
  let deadline: ReturnType<typeof setTimeout> | undefined;
  try {
    const hung = new Promise<never>((_, fail) => {
      deadline = setTimeout(
        () => fail(new Error("workerd: no answer (a scenario hung)")),
        RUN_DEADLINE,
      );
    });
    const response = await Promise.race([mf.dispatchFetch("http://worker.test/"), hung]);
    const text = await response.text();
    if (!response.ok)
      throw new Error(`workerd answered ${response.status}: ${text.slice(0, 4000)}`);
    return text;
  } finally {
    clearTimeout(deadline);
    await mf.dispose();
  }
}

/** Runs the scenarios in workerd: a module worker bundled with the build, fetched once. */
async function runWorker(runtime: Runtime, key: string): Promise<Report> {
  const entry = writeEntry(
    key,
    "export default { fetch: async () => Response.json(await run()) };",
  );
  const text = await fetchWorker(runtime, entry);
  return parseReport(runtime, text, `body: ${text.slice(0, 4000)}`);
}

describe("ssekit in every runtime (the built package)", () => {
  for (const runtime of RUNTIMES) {
    const installed = isInstalled(runtime);
    // Under CI a missing runtime fails; elsewhere it is skipped (and the banner above says so).
    it.skipIf(!installed && !ci)(
      runtime.name,
      async () => {
        if (!installed) {
          throw new Error(
            `${runtime.name} is not installed: run node scripts/install-runtimes.mjs`,
          );
        }
        const key = `${runtime.id}-${Date.now().toString(36)}`;
        const report =
          runtime.kind === "workerd" ? await runWorker(runtime, key) : await runCli(runtime, key);
        // The runtime that ran is the one meant (this process's own node: its exact version).
        const reports =
          runtime.kind === "node" ? `^Node ${process.versions.node}$` : runtime.reports;
        expect(report.runtime).toMatch(new RegExp(reports));
        expectReport(report);
      },
      60_000,
    );
  }
});

// SSEClient's default `cache: "no-store"` (src/client/options.ts) where the platform refuses the
// field: the first connection fails, fatally and naming it; `cache: undefined` streams.
describe("Cloudflare Workers before compatibility date 2024-11-11 (no `cache` field)", () => {
  const workerd = RUNTIMES.find((runtime) => runtime.kind === "workerd") as Runtime;
  const installed = isInstalled(workerd);
  it.skipIf(!installed && !ci)(
    "the default cache mode fails with an SSEError that names it; cache: undefined streams",
    async () => {
      if (!installed)
        throw new Error(`${workerd.name} is not installed: run node scripts/install-runtimes.mjs`);
      const url = `${server?.url}/es/message?after=end&body=${encodeURIComponent("data: hi\n\n")}`;
      const entry = join(outDir, `entry-cache-${Date.now().toString(36)}.mjs`);
      writeFileSync(
        entry,
        `import { SSEClient } from ${JSON.stringify(join(outDir, "index.js"))};
        const read = async (options) => {
          const client = new SSEClient(${JSON.stringify(url)}, { reconnectOnEnd: false, ...options });
          const data = [];
          try {
            for await (const message of client) data.push(message.data);
            return { data };
          } catch (error) {
            return { data, error: \`\${error.name}: \${error.message}\` };
          }
        };
        export default { fetch: async () => Response.json([await read({}), await read({ cache: undefined })]) };`,
      );
      const text = await fetchWorker(workerd, entry, "2024-09-01");
      expect(JSON.parse(text)).toEqual([
        {
          data: [],
          error: expect.stringMatching(/^SSEError: Could not build the request: .*'cache' field/),
        },
        { data: ["hi"] },
      ]);
    },
    60_000,
  );
});
