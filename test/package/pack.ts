/**
 * The package as a user installs it: a fresh build with declarations (test/fixtures/build.ts),
 * packed by `npm pack` with the project's package.json, and installed from that tarball by
 * `npm install` into a directory that consumer projects are created under.
 */
import { spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPackage, removeBuild } from "../fixtures/build.js";

/** The project's root. */
export const root = fileURLToPath(new URL("../..", import.meta.url));

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** The output and exit code of a command. */
export interface RunResult {
  code: number | null;
  output: string;
}

/**
 * Runs a command and collects its stdout and stderr. Without npm's own variables: a test run
 * started by `npm test` has `npm_config_local_prefix` and others set to the project, and an
 * `npm install` seeing them would install into the project instead of `cwd`.
 */
export function run(command: string, args: string[], cwd: string): Promise<RunResult> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

async function runOrThrow(command: string, args: string[], cwd: string): Promise<string> {
  const { code, output } = await run(command, args, cwd);
  if (code !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${code}) in ${cwd}:\n${output}`);
  return output;
}

/** A packed and installed package; {@link PackedPackage.remove} deletes all of it. */
export interface PackedPackage {
  /** The tarball `npm pack` wrote. */
  tarball: string;
  /** A directory with the package installed in its node_modules: create consumers under it. */
  consumers: string;
  /** Deletes the build, the tarball and the consumers. */
  remove(): void;
}

/**
 * Builds, packs and installs the package. Everything is under the build's temporary directory,
 * so a run killed before {@link PackedPackage.remove} is swept like any stale build. With
 * `declarations: false` the build has no .d.ts files (the slow part): for tests that only run it.
 */
export async function packAndInstall(
  options: { declarations?: boolean } = {},
): Promise<PackedPackage> {
  const outDir = await buildPackage({ declarations: options.declarations ?? true });
  try {
    const built = readdirSync(outDir).filter((name) => name !== "package.json");
    // The package directory npm packs: the project's package.json and files, the build as dist/.
    const stage = join(outDir, "stage");
    mkdirSync(join(stage, "dist"), { recursive: true });
    for (const name of built) cpSync(join(outDir, name), join(stage, "dist", name));
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      files: string[];
    };
    copyFileSync(join(root, "package.json"), join(stage, "package.json"));
    for (const file of manifest.files) {
      if (file !== "dist") cpSync(join(root, file), join(stage, file), { recursive: true });
    }
    const packed = JSON.parse(
      await runOrThrow(
        npm,
        ["pack", "--json", "--ignore-scripts", "--pack-destination", outDir],
        stage,
      ),
    ) as { filename: string }[];
    const filename = packed[0]?.filename;
    if (!filename) throw new Error("npm pack wrote no tarball");
    const tarball = join(outDir, filename);

    const consumers = join(outDir, "consumers");
    mkdirSync(consumers);
    writeFileSync(join(consumers, "package.json"), '{ "name": "consumers", "private": true }\n');
    await runOrThrow(
      npm,
      [
        "install",
        "--offline",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--no-package-lock",
        "--prefix",
        consumers,
        tarball,
      ],
      consumers,
    );
    return { tarball, consumers, remove: () => removeBuild(outDir) };
  } catch (error) {
    removeBuild(outDir);
    throw error;
  }
}
