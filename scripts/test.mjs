#!/usr/bin/env node
// `npm test`: typecheck, lint, vitest (every project) under this Node, the node project again
// under Node 22, 24 and 26, package checks, size, docs, stopping at the first failure.
// vitest.config.ts leaves the browser project out without Chromium (under CI it refuses to load),
// and its reporter (test/reporter.ts) writes each run's counts to SSEKIT_TEST_REPORT. The last line
// totals them, `N passed, N failed[, N skipped]`, for CI harnesses. Anything not installed
// (node scripts/install-runtimes.mjs) is skipped with a banner; under CI it fails.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const ci = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());
const paint = (code) => (text) =>
  process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[${code}m${text}\x1b[0m` : text;
const [bold, red, green, yellow] = ["1", "1;31", "32", "1;33"].map(paint);
const banner = (lines) => {
  const edge = "#".repeat(Math.max(...lines.map((line) => line.length)) + 2);
  console.log(yellow([edge, ...lines.map((line) => `# ${line}`), edge].join("\n")));
};

const runtimes = JSON.parse(readFileSync(join(root, "test/runtimes/runtimes.json"), "utf8"));
const pathOf = (runtime) => join(root, ".runtimes", runtime.path);
/** What did not run for want of a runtime or a browser. */
const notRun = runtimes
  .filter((runtime) => runtime.path && !existsSync(pathOf(runtime)))
  .map((runtime) => `${runtime.name}: not installed (node scripts/install-runtimes.mjs)`);

const reportFile = join(mkdtempSync(join(tmpdir(), "ssekit-test-")), "report.json");
const env = { ...process.env, SSEKIT_TEST_REPORT: reportFile };
delete env.SSEKIT_RUNTIME_MATRIX; // set from outside, it would drop the runtime matrix silently
const total = { passed: 0, failed: 0, skipped: 0 };
const steps = [];

/** Runs a command as a step, with its output; true when it exited 0. */
function step(name, command, args, extraEnv = {}) {
  console.log(`\n${bold(`━━━ ${name} ━━━`)}`);
  const start = performance.now();
  const options = { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } };
  const { status, error } = spawnSync(command, args, options);
  if (error) console.error(red(`${name}: ${error.message}`)); // e.g. a Node binary missing under CI
  steps.push({ name, ok: status === 0, seconds: (performance.now() - start) / 1000 });
  return status === 0;
}

/** vitest under one Node: this one runs every project, the others the node project only. */
function vitest(node, name) {
  const label = `vitest under ${name}`;
  if (!existsSync(node) && !ci) {
    banner([`SKIPPED ${label}: ${node} is missing`]);
    return true;
  }
  const main = node === process.execPath;
  const args = [join(root, "node_modules/vitest/vitest.mjs"), "run"];
  // The runtime matrix (test/runtimes.test.ts) runs once, under this Node.
  const ok = main
    ? step(label, node, args)
    : step(label, node, [...args, "--project", "node"], { SSEKIT_RUNTIME_MATRIX: "off" });
  if (!existsSync(reportFile)) return ok && fail("test/reporter.ts wrote no report");
  const report = JSON.parse(readFileSync(reportFile, "utf8"));
  rmSync(reportFile);
  for (const key in total) total[key] += report[key];
  notRun.push(...Object.entries(report.notRun).map(([project, why]) => `${project} tests: ${why}`));
  // Proof that each project ran (a browser left out locally is in notRun, under CI impossible).
  const expected = main ? ["node", "browser"] : ["node"];
  const empty = expected.filter((p) => !report.ran.includes(p) && !(p in report.notRun));
  return ok && (empty.length === 0 || fail(`no test ran in the ${empty.join(", ")} project`));
}

/** Fails the step just run, saying why. */
function fail(why) {
  console.error(red(`\n${steps.at(-1).name}: ${why}`));
  steps.at(-1).ok = false;
  return false;
}

const npm = (script) => step(script, "npm", ["run", script]);
const passed =
  npm("typecheck") &&
  npm("lint") &&
  vitest(process.execPath, `Node ${process.versions.node}`) &&
  runtimes
    .filter((runtime) => /^node2[246]$/.test(runtime.id))
    .every((runtime) => vitest(pathOf(runtime), runtime.name)) &&
  npm("check:package") &&
  step("size-limit", join(root, "node_modules/.bin/size-limit"), []) &&
  npm("docs");
rmSync(resolve(reportFile, ".."), { recursive: true, force: true });

console.log(`\n${bold("━━━ summary ━━━")}`);
for (const { name, ok, seconds } of steps) {
  console.log(`  ${ok ? green("ok  ") : red("FAIL")}  ${name.padEnd(30)} ${seconds.toFixed(1)} s`);
}
if (notRun.length > 0) {
  banner(["SKIPPED, for want of what they need (under CI each is a failure):", ...notRun]);
}
const failed = steps.find((s) => !s.ok)?.name;
const skippedSome = notRun.length > 0 && yellow("PASSED, BUT TESTS WERE SKIPPED (see above)");
console.log(failed ? red(`FAILED at ${failed}`) : skippedSome || green("ALL CHECKS PASSED"));
// Steps stop at the first failure, so a failed step that ran no failing test adds one failure:
// a failed run never reads "0 failed".
if (!passed) total.failed = Math.max(total.failed, 1);
const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : "";
console.log(`${total.passed} passed, ${total.failed} failed${skipped}`);
process.exitCode = passed ? 0 : 1;
