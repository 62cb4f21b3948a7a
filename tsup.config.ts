import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig, type Options } from "tsup";

const entry = {
  index: "src/index.ts",
  parser: "src/parser/index.ts",
  polyfill: "src/event-source/polyfill.ts",
  share: "src/share/index.ts",
};

/**
 * One copy of each class in CJS too. The ESM build splits shared code into chunks, so every entry
 * imports the same classes. tsup's CJS code splitting would convert those chunks with sucrase, which
 * rewrites class fields into `__init` prototype methods and lowers `?.` and `??`; so CJS is not
 * split, and instead the `parser` and `polyfill` CJS entries take everything they import from
 * `./index.cjs`. Both only import what the main entry exports under the same name (`src/parser/index.ts`
 * re-exports, the polyfill installs `EventSource`); test/package/identity.test.ts checks that each
 * export is the main entry's. `share` is not among them: it imports nothing of the other entries
 * at run time (the client hands it what it needs, src/client/share-hook.ts), so its CJS bundle
 * holds only its own code.
 */
const cjsSubpathsFromIndex: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "cjs-subpaths-from-index",
  setup(build) {
    if (build.initialOptions.format !== "cjs") return;
    const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
    const subpaths = new Set([resolve(cwd, entry.parser), resolve(cwd, entry.polyfill)]);
    build.onResolve({ filter: /^\./ }, (args) =>
      subpaths.has(args.importer) ? { path: "./index.cjs", external: true } : undefined,
    );
  },
};

/**
 * The CLI (src/cli/, the package's `bin`) takes the library from the package's own entry: its
 * imports of src/index.ts become imports of `./index.js`, the ESM build next to it, so the build
 * holds one copy of the library. (src/cli/ imports the library only through src/index.ts; the
 * layer test checks it.)
 */
const cliImportsIndex: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "cli-imports-index",
  setup(build) {
    const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
    const index = resolve(cwd, "src/index.js");
    build.onResolve({ filter: /^\./ }, (args) =>
      resolve(args.resolveDir, args.path) === index
        ? { path: "./index.js", external: true }
        : undefined,
    );
  },
};

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

/** The library: every entry, ESM and CJS, with declarations. */
const library: Options = {
  entry,
  format: ["esm", "cjs"],
  // tsup 8.5 injects `baseUrl`, which TypeScript 6 flags as deprecated (TS5101).
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  platform: "neutral",
  target: "es2022",
  esbuildPlugins: [cjsSubpathsFromIndex],
  // Properties named `_x` are internal (the connection engine's protected members): the build
  // shortens them, as it does `#private` ones once minified. Dunder names (`__esModule`) are not
  // matched. test/dist checks the built bundles.
  esbuildOptions(options) {
    options.mangleProps = /^_[a-zA-Z]/;
    // One fixed name for `_state`, the one `_x` member read across entries (the client reads a
    // `ssekit/share` engine's). The CJS entries are bundled apart, and each build named its
    // `_x` members by how often they occur: once the engine gained `_settings`, index.cjs and
    // share.cjs disagreed and a shared client's `readyState` read `undefined`
    // (test/package/identity.test.ts). esbuild never gives a cached name to another member;
    // of the names tried, `e` made every bundle smallest (brotli).
    options.mangleCache = { _state: "e" };
  },
  sourcemap: true,
  // The CLI's build (below) writes next to this one, at the same time: its files are its own.
  clean: ["!cli.js", "!cli.js.map"],
};

/**
 * The CLI: ESM for Node 18 and later. The entry's `#!/usr/bin/env node` line is kept, and tsup
 * makes a file that starts with one executable.
 */
const cli: Options = {
  entry: { cli: "src/cli/main.ts" },
  format: ["esm"],
  platform: "node",
  target: "node18",
  define: { SSEKIT_VERSION: JSON.stringify(version) },
  esbuildPlugins: [cliImportsIndex],
  dts: false,
  sourcemap: true,
  clean: false,
};

export default defineConfig([library, cli]);
