#!/usr/bin/env node
// Installs the runtimes test/runtimes.test.ts runs ssekit in (Node 18/22/24/26, Bun, Deno, and
// workerd through miniflare), each from registry packages into its own folder under `.runtimes/`
// (git-ignored, outside the package's dependency tree: a `node` binary among the devDependencies
// would shadow the system node in every npm script). The list is test/runtimes/runtimes.json.
//
// Reproducible: each folder is installed from the package.json and package-lock.json committed in
// test/runtimes/lock/<folder>/, whose `allowScripts` names the install scripts that may run (npm
// blocks the others): bun's, deno's and workerd's put their binaries in place; sharp's (an optional
// part of miniflare) is denied.
//
// Idempotent: a folder whose binary runs (`--version`) is kept. A folder that is there but broken is
// removed and installed once more. Any failure exits 1. Linux x64 only, as the Node packages are.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const runtimes = JSON.parse(readFileSync(join(root, "test/runtimes/runtimes.json"), "utf8"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

if (process.platform !== "linux" || process.arch !== "x64") {
  console.error(
    `install-runtimes: only linux-x64 is supported (this is ${process.platform}-${process.arch})`,
  );
  process.exit(1);
}

/** The binary `--version` is run on: workerd's own for miniflare, else the runtime's. */
function versionBinary(runtime) {
  const path = join(root, ".runtimes", runtime.path);
  if (runtime.kind !== "workerd") return path;
  return join(dirname(path), "../@cloudflare/workerd-linux-64/bin/workerd");
}

/** The first line `--version` prints, or undefined when the binary does not run. */
function version(runtime) {
  const result = spawnSync(versionBinary(runtime), ["--version"], { encoding: "utf8" });
  const line = (result.stdout ?? "").trim().split("\n")[0];
  return result.status === 0 && line ? line : undefined;
}

/** Installs a runtime's folder from its committed lock; true when npm succeeded. */
function install(runtime, folder) {
  const lock = join(root, "test/runtimes/lock", runtime.path.split("/")[0]);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) {
    copyFileSync(join(lock, file), join(folder, file));
  }
  console.log(`--- ${runtime.name}: npm install in ${folder}`);
  const result = spawnSync(npm, ["install", "--prefix", folder, "--no-audit", "--no-fund"], {
    stdio: "inherit",
  });
  return result.status === 0;
}

let failed = false;
for (const runtime of runtimes) {
  if (!runtime.package) continue;
  const folder = join(root, ".runtimes", runtime.path.split("/")[0]);
  let found = version(runtime);
  if (!found) {
    if (existsSync(folder)) console.log(`--- ${runtime.name}: broken install, reinstalling`);
    if (install(runtime, folder)) found = version(runtime);
  }
  if (found) {
    console.log(`ok  ${runtime.name}: ${found}`);
  } else {
    console.error(
      `install-runtimes: ${runtime.name} does not run after installing (${versionBinary(runtime)})`,
    );
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
