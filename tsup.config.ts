import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    parser: "src/parser/index.ts",
    polyfill: "src/event-source/polyfill.ts",
  },
  format: ["esm", "cjs"],
  // tsup 8.5 injects `baseUrl`, which TypeScript 6 flags as deprecated (TS5101).
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  platform: "neutral",
  target: "es2022",
  // Properties named `_x` are internal (the connection engine's protected members): the build
  // shortens them, as it does `#private` ones once minified. Dunder names (`__esModule`) are not
  // matched. test/dist checks the built bundles.
  esbuildOptions(options) {
    options.mangleProps = /^_[a-zA-Z]/;
  },
  sourcemap: true,
  clean: true,
});
