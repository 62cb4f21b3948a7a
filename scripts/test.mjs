#!/usr/bin/env node
// The whole check, in order, stopping at the first failure:
//   typecheck, lint, node tests (under this Node, then Node 22, 24 and 26), browser tests,
//   package checks (build, publint, attw), size, docs.
//
// Browser tests need Chromium (CHROMIUM_PATH, else /usr/bin/chromium). Without it they are skipped
// with a loud banner, except under CI (CI set), where that is a failure. The same holds for the
// runtime tests (test/runtimes.test.ts) without the runtimes scripts/install-runtimes.mjs installs.
//
// The last line printed is `N passed, N failed[, N skipped]`, totalled over both vitest projects
// from vitest's JSON reporter, for CI harnesses that read a run's closing line.
// With TEST_SUMMARY_FILE set, a JSON summary of the run is also written there (.ci/run reads it).
import { spawnSync } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const ci = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = (text) => paint("1", text);
const red = (text) => paint("1;31", text);
const green = (text) => paint("32", text);
const yellow = (text) => paint("1;33", text);

const env = {
  ...process.env,
  PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
};
// Set only for the extra Node runs below; from outside it would drop the runtime matrix silently.
delete env.SSEKIT_RUNTIME_MATRIX;
const reportDir = mkdtempSync(join(tmpdir(), "ssekit-test-"));
/** Node versions besides this one that the node project also runs under (from runtimes.json). */
const OTHER_NODES = JSON.parse(
  readFileSync(join(root, "test/runtimes/runtimes.json"), "utf8"),
).filter((runtime) => ["node22", "node24", "node26"].includes(runtime.id));

/** @type {{ name: string, status: "passed" | "failed" | "skipped", seconds: number, note?: string }[]} */
const steps = [];
/** @type {Record<string, { passed: number, failed: number, skipped: number }>} per vitest project */
const projects = {};
let browserSkipped = false;
/** Runtimes whose tests were skipped (not installed; under CI that fails instead). */
const runtimesSkipped = [];

/** Runs one step with inherited output; records and returns whether it passed. */
function run(name, command, args, extraEnv = {}) {
  console.log(`\n${bold(`━━━ ${name} ━━━`)}  ${paint("2", [command, ...args].join(" "))}`);
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...env, ...extraEnv },
  });
  const seconds = (performance.now() - start) / 1000;
  const note = result.error?.message ?? (result.signal ? `killed by ${result.signal}` : undefined);
  const status = result.status === 0 ? "passed" : "failed";
  steps.push({ name, status, seconds, ...(note ? { note } : {}) });
  return status === "passed";
}

/**
 * Runs one vitest project and records its test counts from the JSON reporter. With `node` (a
 * binary and its name), under that Node instead of this one, recorded as its own line.
 */
function vitest(project, extraEnv, node) {
  const label = node ? `${project} (${node.name})` : project;
  const reportFile = join(reportDir, `${label.replace(/\W+/g, "-")}.json`);
  const args = ["run", "--project", project, "--reporter=default", "--reporter=json"];
  const ok = node
    ? run(
        `vitest: ${label}`,
        node.binary,
        [join(root, "node_modules/vitest/vitest.mjs"), ...args, `--outputFile.json=${reportFile}`],
        // The runtime matrix (test/runtimes.test.ts) runs once, under this Node.
        { SSEKIT_RUNTIME_MATRIX: "off" },
      )
    : run(
        `vitest: ${project} project`,
        "vitest",
        [...args, `--outputFile.json=${reportFile}`],
        extraEnv,
      );
  const counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const report = JSON.parse(readFileSync(reportFile, "utf8"));
    // A file that failed to load (syntax error, throwing import) has no failed test but failed.
    const brokenFiles = report.testResults.filter(
      (file) =>
        file.status === "failed" && !file.assertionResults.some((t) => t.status === "failed"),
    ).length;
    for (const file of report.testResults) {
      for (const test of file.assertionResults) {
        if (
          test.status !== "passed" &&
          test.status !== "failed" &&
          file.name.endsWith("runtimes.test.ts")
        ) {
          runtimesSkipped.push(test.title);
        }
      }
    }
    counts.passed = report.numPassedTests;
    counts.failed = report.numFailedTests + brokenFiles;
    counts.skipped = report.numPendingTests + report.numTodoTests;
  } catch {
    // No report: vitest stopped before running tests (config error, no test files).
  }
  // A failed run never reads as "0 failed".
  if (!ok && counts.failed === 0) counts.failed = 1;
  projects[label] = counts;
  return ok;
}

function chromiumFound() {
  try {
    accessSync(chromiumPath, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function banner(lines, paintLine) {
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  const edge = "#".repeat(width);
  console.log(`\n${paintLine(edge)}`);
  for (const line of lines) console.log(paintLine(`# ${line.padEnd(width - 4)} #`));
  console.log(`${paintLine(edge)}\n`);
}

function skippedBanner() {
  banner(
    [
      "BROWSER TESTS SKIPPED: chromium not found (install with apt-get install chromium)",
      `looked for ${chromiumPath} (set CHROMIUM_PATH to use another binary)`,
      "under CI (CI set) this is a failure",
    ],
    yellow,
  );
}

function main() {
  if (!run("typecheck", "tsc", ["--noEmit"])) return;
  if (!run("lint", "biome", ["check", "."])) return;
  if (!vitest("node")) return;
  // The node project again under the other Node versions vitest runs on (Node 18 runs the
  // runtime scenarios only: vitest 4 needs Node 20+).
  for (const runtime of OTHER_NODES) {
    const binary = join(root, ".runtimes", runtime.path);
    if (existsSync(binary)) {
      if (!vitest("node", {}, { binary, name: runtime.name })) return;
    } else if (ci) {
      console.error(
        red(
          `\n${runtime.name} is not installed (node scripts/install-runtimes.mjs), and CI is set.`,
        ),
      );
      steps.push({
        name: `vitest: node (${runtime.name})`,
        status: "failed",
        seconds: 0,
        note: "not installed",
      });
      return;
    } else {
      runtimesSkipped.push(`${runtime.name} (the node project)`);
      steps.push({
        name: `vitest: node (${runtime.name})`,
        status: "skipped",
        seconds: 0,
        note: "not installed",
      });
    }
  }

  if (chromiumFound()) {
    if (!vitest("browser", { CHROMIUM_PATH: chromiumPath })) return;
  } else if (ci) {
    console.error(
      red(
        `\nBROWSER TESTS CANNOT RUN: chromium not found at ${chromiumPath}, and CI is set.\n` +
          "Install it with `apt-get install -y chromium`, or set CHROMIUM_PATH.",
      ),
    );
    steps.push({
      name: "vitest: browser project",
      status: "failed",
      seconds: 0,
      note: "no chromium",
    });
    projects.browser = { passed: 0, failed: 1, skipped: 0 };
    return;
  } else {
    browserSkipped = true;
    skippedBanner();
    steps.push({
      name: "vitest: browser project",
      status: "skipped",
      seconds: 0,
      note: "no chromium",
    });
  }

  if (!run("package checks", npm, ["run", "check:package"])) return;
  if (!run("size-limit", "size-limit", [])) return;
  run("typedoc", "typedoc", []);
}

function finish() {
  const failed = steps.find((step) => step.status === "failed");
  const seconds = steps.reduce((sum, step) => sum + step.seconds, 0);
  const marks = { passed: green("ok  "), failed: red("FAIL"), skipped: yellow("SKIP") };

  console.log(`\n${bold("━━━ summary ━━━")}`);
  for (const step of steps) {
    const note = step.note ? `  (${step.note})` : "";
    const time = `${step.seconds.toFixed(1).padStart(5)} s`;
    console.log(`  ${marks[step.status]}  ${step.name.padEnd(26)} ${time}${note}`);
  }
  for (const [project, c] of Object.entries(projects)) {
    console.log(
      `  ${project} project: passed ${c.passed}, failed ${c.failed}, skipped ${c.skipped}`,
    );
  }
  if (browserSkipped) {
    console.log(yellow("  browser project: SKIPPED, chromium not found"));
    skippedBanner();
  }
  if (runtimesSkipped.length > 0) {
    banner(
      [
        "RUNTIME TESTS SKIPPED, these runtimes are not installed:",
        ...runtimesSkipped.map((name) => `  ${name}`),
        "install them with `node scripts/install-runtimes.mjs` (CI does, and fails without them)",
      ],
      yellow,
    );
  }
  const verdict = failed
    ? red(`FAILED at step "${failed.name}"`)
    : browserSkipped || runtimesSkipped.length > 0
      ? yellow(
          `PASSED, BUT ${[
            browserSkipped && "BROWSER TESTS",
            runtimesSkipped.length > 0 && "RUNTIME TESTS",
          ]
            .filter(Boolean)
            .join(" AND ")} SKIPPED (see above)`,
        )
      : green("ALL CHECKS PASSED");
  console.log(`\n${verdict} in ${seconds.toFixed(1)} s`);

  const skippedSteps = steps.filter((step) => step.status === "skipped").map((step) => step.name);
  if (process.env.TEST_SUMMARY_FILE) {
    const summary = {
      ok: !failed,
      failedStep: failed?.name ?? null,
      browserSkipped,
      runtimesSkipped,
      skippedSteps,
      projects,
      steps,
    };
    writeFileSync(process.env.TEST_SUMMARY_FILE, `${JSON.stringify(summary, null, 2)}\n`);
  }
  rmSync(reportDir, { recursive: true, force: true });

  // The one closing line for CI harnesses: the tests of the projects that ran, plus one failure
  // for each other step that failed (typecheck, lint, package checks, size, docs, a missing
  // runtime under CI), so that a failed run never reads "0 failed"; steps not run are named.
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const c of Object.values(projects)) {
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  }
  // (A project's step is "vitest: node project" or, under another Node, "vitest: node (Node 22…)".)
  const projectSteps = new Set(
    Object.keys(projects).flatMap((name) => [`vitest: ${name}`, `vitest: ${name} project`]),
  );
  for (const step of steps) {
    if (step.status === "failed" && !projectSteps.has(step.name)) total.failed++;
  }
  if (failed && total.failed === 0) total.failed = 1;
  const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : "";
  const notRun = skippedSteps.length > 0 ? ` (not run: ${skippedSteps.join("; ")})` : "";
  console.log(`${total.passed} passed, ${total.failed} failed${skipped}${notRun}`);
  process.exitCode = failed ? 1 : 0;
}

main();
finish();
