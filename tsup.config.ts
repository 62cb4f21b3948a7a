import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", parser: "src/parser.ts", polyfill: "src/polyfill.ts" },
  format: ["esm", "cjs"],
  // tsup 8.5 injects `baseUrl`, which TypeScript 6 flags as deprecated (TS5101).
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  platform: "neutral",
  target: "es2022",
  sourcemap: true,
  clean: true,
});
