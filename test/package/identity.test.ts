/**
 * One copy of each class per format: the subpath entries `ssekit/parser` and `ssekit/polyfill`
 * give the very classes `ssekit` exports, in CJS as in ESM, so `instanceof` holds across them and
 * the polyfill installs the `EventSource` that `ssekit` exports (tsup.config.ts says how).
 *
 * Each format loads the build (test/fixtures/build.ts) in a child process of its own, where no
 * module is cached and `globalThis.EventSource` is removed first (Node 20 has none; a later Node
 * may have one, which the polyfill would keep).
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildPackage, removeBuild } from "../fixtures/build.js";

const outDir = await buildPackage();
afterAll(() => removeBuild(outDir));

/** What a child process reports. */
interface Identity {
  /** `typeof globalThis.EventSource` before the polyfill ran. */
  before: string;
  /** Whether the polyfill installed the main entry's EventSource. */
  polyfill: boolean;
  /** For each export of the parser entry: whether it is the main entry's. */
  parser: Record<string, boolean>;
}

const scripts = {
  cjs: {
    file: "identity.cjs",
    source: `"use strict";
delete globalThis.EventSource;
const before = typeof globalThis.EventSource;
require("./polyfill.cjs");
const index = require("./index.cjs");
const parser = require("./parser.cjs");
const same = (name) => parser[name] !== undefined && parser[name] === index[name];
console.log(JSON.stringify({
  before,
  polyfill: globalThis.EventSource === index.EventSource,
  parser: Object.fromEntries(Object.keys(parser).map((name) => [name, same(name)])),
}));
`,
  },
  esm: {
    file: "identity.mjs",
    source: `delete globalThis.EventSource;
const before = typeof globalThis.EventSource;
await import("./polyfill.js");
const index = await import("./index.js");
const parser = await import("./parser.js");
const same = (name) => parser[name] !== undefined && parser[name] === index[name];
console.log(JSON.stringify({
  before,
  polyfill: globalThis.EventSource === index.EventSource,
  parser: Object.fromEntries(Object.keys(parser).map((name) => [name, same(name)])),
}));
`,
  },
};

function identity(format: keyof typeof scripts): Identity {
  const { file, source } = scripts[format];
  writeFileSync(join(outDir, file), source);
  const child = spawnSync(process.execPath, [file], { cwd: outDir, encoding: "utf8" });
  if (child.status !== 0) throw new Error(`${file} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as Identity;
}

describe.each(["cjs", "esm"] as const)("%s", (format) => {
  const result = identity(format);

  it("ssekit/parser exports the classes and functions of ssekit, not copies", () => {
    expect(Object.keys(result.parser)).toEqual(
      expect.arrayContaining(["ParseError", "SSEError", "SSEParserStream", "createParser"]),
    );
    const copies = Object.keys(result.parser).filter((name) => !result.parser[name]);
    expect(copies).toEqual([]);
  });

  it("ssekit/polyfill installs the EventSource class that ssekit exports", () => {
    expect(result.before).toBe("undefined");
    expect(result.polyfill).toBe(true);
  });
});
