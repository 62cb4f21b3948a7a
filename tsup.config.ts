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

export default defineConfig({
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
  },
  sourcemap: true,
  clean: true,
});
