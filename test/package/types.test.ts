/**
 * The published types compile in the setups users have: the packed package (test/package/pack.ts)
 * is installed into consumer projects, and the project's TypeScript (`tsc --noEmit`) checks the
 * README's usages (test/package/consumer/) in each.
 *
 * The axes: `lib` with and without the DOM; @types/node 18, 20, 22 and 24 (devDependency aliases
 * `@types/node-18` ..., linked as each consumer's `node_modules/@types/node`); `moduleResolution`
 * node16, nodenext and bundler, each with its `module`; ESM and CJS consumers
 * (`"type": "module"` / `"commonjs"`); `exactOptionalPropertyTypes`; `skipLibCheck`. Not the cross
 * product, which 2 cores cannot check in a minute: every pairing of @types/node and `lib` once
 * (each loads different global fetch and event types), spread over the other axes so that each of
 * their values occurs, with the failing setup (no DOM lib, @types/node 20, skipLibCheck) as
 * one of them.
 *
 * Without skipLibCheck, tsc also checks all of @types/node (and lib.dom.d.ts), which costs seconds
 * per run: so it is off in three setups, the oldest and newest @types/node without the DOM lib (ESM
 * and CJS declarations) and one with it. With skipLibCheck, a name ssekit's declarations use but
 * the setup does not declare is silently `any`; the consumer's `@ts-expect-error` lines catch
 * that, as the options then accept anything.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PackedPackage, packAndInstall, root, run } from "./pack.js";

type NodeTypes = 18 | 20 | 22 | 24;

interface Case {
  types: NodeTypes;
  dom: boolean;
  resolution: "node16" | "nodenext" | "bundler";
  module: "node16" | "nodenext" | "esnext" | "preserve";
  format: "esm" | "cjs";
  exactOptionalPropertyTypes: boolean;
  skipLibCheck: boolean;
  why?: string;
}

function row(
  types: NodeTypes,
  dom: boolean,
  resolution: Case["resolution"],
  module: Case["module"],
  format: Case["format"],
  exactOptionalPropertyTypes: boolean,
  skipLibCheck: boolean,
  why?: string,
): Case {
  return {
    types,
    dom,
    resolution,
    module,
    format,
    exactOptionalPropertyTypes,
    skipLibCheck,
    ...(why ? { why } : {}),
  };
}

// biome-ignore format: a table
const CASES: Case[] = [
  //  @types/node, DOM, moduleResolution, module, format, exactOptional, skipLibCheck
  row(20, false, "nodenext", "nodenext", "esm", true,  true, "the issue's setup: \"Property 'cache' is missing\""),
  row(18, false, "node16",   "node16",   "cjs", true,  false),
  row(22, false, "bundler",  "esnext",   "esm", true,  true),
  row(24, false, "nodenext", "nodenext", "esm", true,  false),
  row(18, true,  "bundler",  "preserve", "esm", true,  true),
  row(20, true,  "node16",   "node16",   "esm", false, true),
  row(22, true,  "nodenext", "nodenext", "cjs", true,  false),
  row(24, true,  "node16",   "node16",   "cjs", true,  true),
];

function caseName(c: Case): string {
  return [
    `@types/node ${c.types}`,
    c.dom ? "lib es2022+dom" : "lib es2022",
    c.resolution === c.module ? c.resolution : `${c.resolution} (module ${c.module})`,
    c.format === "esm" ? "ESM" : "CJS",
    c.exactOptionalPropertyTypes ? "exactOptionalPropertyTypes" : "not exactOptionalPropertyTypes",
    c.skipLibCheck ? "skipLibCheck" : "no skipLibCheck",
    ...(c.why ? [c.why] : []),
  ].join(", ");
}

const require = createRequire(import.meta.url);
const tsc = join(root, "node_modules/typescript/bin/tsc");
const consumerSources = new URL("./consumer/", import.meta.url);

/**
 * The directory of the `@types/node-<major>` devDependency. A missing or wrong alias fails the
 * test that needs it (never a skip): `npm ci` installs them.
 */
function nodeTypes(major: NodeTypes): string {
  const alias = `@types/node-${major}`;
  let manifest: string;
  try {
    manifest = require.resolve(`${alias}/package.json`);
  } catch {
    throw new Error(`${alias} is not installed: it is a devDependency alias (run npm ci)`);
  }
  const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as Record<string, string>;
  if (name !== "@types/node" || !version?.startsWith(`${major}.`)) {
    throw new Error(`${alias} is ${name}@${version}, not @types/node ${major}`);
  }
  return realpathSync(dirname(manifest));
}

/** Runs `n` tasks at a time: a tsc run is CPU-bound, and the machine may have 2 cores. */
function limiter(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const limit = limiter(Math.max(1, Math.min(4, availableParallelism())));

/** Writes one consumer project under `parent` and returns its directory. */
function writeConsumer(parent: string, index: number, c: Case): string {
  const dir = join(parent, `consumer-${index}`);
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  symlinkSync(nodeTypes(c.types), join(dir, "node_modules", "@types", "node"), "dir");
  const type = c.format === "esm" ? "module" : "commonjs";
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ private: true, type })}\n`);
  const files = ["usage.ts", c.dom ? "dom.ts" : "node.ts"];
  for (const file of files) {
    const source = readFileSync(new URL(file, consumerSources), "utf8");
    // The fixture's first line keeps the project's own tsc out (it cannot resolve "ssekit").
    const [first, ...rest] = source.split("\n");
    if (first !== "// @ts-nocheck")
      throw new Error(`${file}: the first line is not // @ts-nocheck`);
    writeFileSync(join(dir, file), rest.join("\n"));
  }
  const tsconfig = {
    compilerOptions: {
      target: "es2022",
      lib: c.dom ? ["es2022", "dom", "dom.iterable"] : ["es2022"],
      module: c.module,
      moduleResolution: c.resolution,
      types: ["node"],
      strict: true,
      exactOptionalPropertyTypes: c.exactOptionalPropertyTypes,
      skipLibCheck: c.skipLibCheck,
      noEmit: true,
    },
    files,
  };
  writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return dir;
}

it("the consumer fixtures are the ones the matrix checks", () => {
  expect(readdirSync(consumerSources).sort()).toEqual(["dom.ts", "node.ts", "usage.ts"]);
});

it("each @types/node major is installed under its alias", () => {
  for (const major of [18, 20, 22, 24] as const)
    expect(nodeTypes(major)).toContain(`node-${major}`);
});

it("the matrix covers every value of every axis", () => {
  const values = (key: keyof Case) => new Set(CASES.map((c) => c[key]));
  expect(values("types")).toEqual(new Set([18, 20, 22, 24]));
  expect(values("dom")).toEqual(new Set([true, false]));
  expect(values("resolution")).toEqual(new Set(["node16", "nodenext", "bundler"]));
  expect(values("format")).toEqual(new Set(["esm", "cjs"]));
  expect(values("exactOptionalPropertyTypes")).toEqual(new Set([true, false]));
  expect(values("skipLibCheck")).toEqual(new Set([true, false]));
  const pairs = new Set(CASES.map((c) => `${c.types}/${c.dom}`));
  expect(pairs.size).toBe(8);
});

describe("tsc --noEmit in consumer projects of the packed package", () => {
  let packed: PackedPackage | undefined;
  beforeAll(async () => {
    packed = await packAndInstall();
  }, 180_000);
  afterAll(() => packed?.remove());

  for (const [index, c] of CASES.entries()) {
    it.concurrent(caseName(c), { timeout: 180_000 }, async ({ expect }) => {
      if (!packed) throw new Error("the package was not packed");
      const dir = writeConsumer(packed.consumers, index, c);
      const { code, output } = await limit(() =>
        run(process.execPath, [tsc, "-p", dir, "--listFiles", "--pretty", "false"], dir),
      );
      const errors = output.split("\n").filter((line) => /error TS\d+/.test(line));
      expect(errors, output).toEqual([]);
      expect(code, output).toBe(0);

      // It checked what it claims: the package's declarations for this format, and this
      // @types/node (realpaths: TypeScript resolves the symlink; it prints paths with "/").
      const files = output.split("\n").filter((line) => /\.[cm]?ts$/.test(line));
      const ext = c.format === "cjs" && c.resolution !== "bundler" ? ".d.cts" : ".d.ts";
      const ssekit = files
        .filter((file) => file.includes("/node_modules/ssekit/"))
        .map((file) => file.slice(file.lastIndexOf("/") + 1))
        .sort();
      expect(ssekit).toEqual([`index${ext}`, `parser${ext}`, `polyfill${ext}`, `share${ext}`]);
      const typesDir = `${nodeTypes(c.types).split(sep).join("/")}/`;
      const nodeFiles = files.filter((file) => /\/@types\/node(-\d+)?\//.test(file));
      expect(nodeFiles.length).toBeGreaterThan(0);
      expect(nodeFiles.filter((file) => !file.startsWith(typesDir))).toEqual([]);
    });
  }
});
