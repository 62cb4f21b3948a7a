/**
 * What `npm publish` would upload, as `npm pack --dry-run --json` lists it, and the package.json
 * fields the registry's page is built from: the license file ships, nothing but the build and the
 * three documents does, and the page links to the repository, its issues and its README.
 *
 * The build (dist/) is listed only when it exists: `npm test` builds into a temporary folder, so in
 * a clean checkout there is none and only `files` naming it is checked.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const REPOSITORY = "https://github.com/ssekit/ssekit";

interface PackageJson {
  license?: string;
  bin?: Record<string, string>;
  files?: string[];
  homepage?: string;
  repository?: { type?: string; url?: string };
  bugs?: { url?: string };
}
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;

/** The paths `npm pack` would put in the tarball, relative to the package root. */
function packedFiles(): string[] {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`npm pack failed: ${result.error ?? result.stderr}`);
  const [report] = JSON.parse(result.stdout) as { files: { path: string }[] }[];
  return (report?.files ?? []).map((file) => file.path);
}

describe("the tarball", () => {
  const files = packedFiles();

  it("holds the license, the README, the changelog and package.json", () => {
    expect(files).toEqual(
      expect.arrayContaining(["LICENSE", "README.md", "CHANGELOG.md", "package.json"]),
    );
  });

  it("holds nothing but those and the build", () => {
    const documents = new Set(["LICENSE", "README.md", "CHANGELOG.md", "package.json"]);
    const other = files.filter((file) => !documents.has(file) && !file.startsWith("dist/"));
    expect(other).toEqual([]);
  });

  it("holds the whole build, when there is one", () => {
    expect(pkg.files).toEqual(
      expect.arrayContaining(["dist", "README.md", "CHANGELOG.md", "LICENSE"]),
    );
    const dist = join(ROOT, "dist");
    if (!existsSync(dist)) return;
    const built = readdirSync(dist, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(ROOT.length + 1));
    expect(files).toEqual(expect.arrayContaining(built));
  });

  it("ships the `ssekit` command from the build (test/cli/cli.test.ts runs it, packed)", () => {
    expect(pkg.bin).toEqual({ ssekit: "dist/cli.js" });
    if (existsSync(join(ROOT, "dist"))) expect(files).toContain("dist/cli.js");
  });
});

describe("package.json and LICENSE", () => {
  it("the license is MIT, in both", () => {
    expect(pkg.license).toBe("MIT");
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(license.split("\n")[0]).toBe("MIT License");
    expect(license).toContain("Copyright (c) 2026 the ssekit authors");
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
  });

  it("names the repository, its issues and its README, for the registry's page", () => {
    expect(pkg.repository).toEqual({ type: "git", url: `git+${REPOSITORY}.git` });
    expect(pkg.homepage).toBe(`${REPOSITORY}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPOSITORY}/issues` });
  });
});
