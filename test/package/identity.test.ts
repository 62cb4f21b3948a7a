/**
 * One copy of each class per format: the subpath entries `ssekit/parser` and `ssekit/polyfill`
 * give the very classes `ssekit` exports, in CJS as in ESM, so `instanceof` holds across them and
 * the polyfill installs the `EventSource` that `ssekit` exports (tsup.config.ts says how). And
 * `ssekit/share` registers itself where `ssekit`'s client finds it: a client made with `share`
 * drives the shared engine (here with a lock that is never granted, so it stays connecting).
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
  /** `readyState` of a shared client: started, then closed. */
  share: string[];
}

/**
 * Makes a client with `share` and reports its state, then closes it: Web Locks are faked with a
 * lock that is never granted (Node 20 has none), `BroadcastChannel` is Node's.
 */
const SHARE = `
globalThis.navigator ??= {};
Object.defineProperty(globalThis.navigator, "locks", {
  value: { request: (name, options) => new Promise((_, reject) => options.signal.addEventListener("abort", () => reject(options.signal.reason))) },
  configurable: true,
});
const client = new index.SSEClient("http://127.0.0.1:9/feed", { share: true });
const share = [client.readyState];
client.close();
share.push(client.readyState);
`;

const scripts = {
  cjs: {
    file: "identity.cjs",
    source: `"use strict";
delete globalThis.EventSource;
const before = typeof globalThis.EventSource;
require("./polyfill.cjs");
require("./share.cjs");
const index = require("./index.cjs");
const parser = require("./parser.cjs");
const same = (name) => parser[name] !== undefined && parser[name] === index[name];
${SHARE}
console.log(JSON.stringify({
  share,
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
await import("./share.js");
const index = await import("./index.js");
const parser = await import("./parser.js");
const same = (name) => parser[name] !== undefined && parser[name] === index[name];
${SHARE}
console.log(JSON.stringify({
  share,
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

  it("ssekit/share registers the sharing module that ssekit's client drives", () => {
    expect(result.share).toEqual(["connecting", "closed"]);
  });
});
