import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import react from "@vitejs/plugin-react";
import vue from "@vitejs/plugin-vue";
import { playwright } from "@vitest/browser-playwright";
import { searchForWorkspaceRoot } from "vite";
import { configDefaults, defineConfig } from "vitest/config";
import { CHROMIUM_ARGS, CHROMIUM_PATH, CI, chromiumMissing } from "./test/fixtures/chromium.js";
import { docSnippets } from "./test/fixtures/doc-snippets-plugin.js";
import { CountsReporter } from "./test/reporter.js";

/**
 * Why the browser project cannot run, or undefined when it can. Without Chromium it is left out:
 * the reporter then says loudly that the browser tests were skipped; under CI (CI set, not "0" or
 * "false") the config refuses to load instead, so no vitest run there passes without them.
 */
const noBrowser = chromiumMissing();
if (noBrowser && CI) {
  throw new Error(`BROWSER TESTS CANNOT RUN: ${noBrowser}, and CI is set`);
}
if (noBrowser) console.warn(`vitest.config.ts: browser project left out: ${noBrowser}`);

const browserProject = {
  // The `run` blocks of the docs, as modules (test/fixtures/doc-snippets-plugin.ts), and the
  // framework recipes (examples/react, vue, svelte) and their tests: JSX, .vue and .svelte files.
  plugins: [docSnippets(), react(), vue(), svelte({ configFile: false })],
  // "ssekit" imported as an app imports it, resolved to the sources.
  resolve: {
    alias: [
      { find: /^ssekit$/, replacement: fileURLToPath(new URL("src/index.ts", import.meta.url)) },
    ],
  },
  // Browser mode serves msw's worker script (/mockServiceWorker.js) from node_modules, at its real
  // path: where node_modules links to another checkout's (a git worktree), vite must allow that too.
  server: {
    fs: {
      allow: [
        searchForWorkspaceRoot(process.cwd()),
        realpathSync(fileURLToPath(new URL("./node_modules", import.meta.url))),
      ],
    },
  },
  test: {
    name: "browser",
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/browser/global-setup.ts"],
    // After the node project, not alongside it (2 cores; timing tests).
    sequence: { groupOrder: 1 },
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
      }),
      instances: [{ browser: "chromium" as const }],
    },
  },
};

export default defineConfig({
  test: {
    reporters: [
      "default",
      new CountsReporter(noBrowser ? { browser: `${noBrowser}; under CI a failure` } : {}),
    ],
    projects: [
      {
        plugins: [docSnippets()],
        test: {
          name: "node",
          environment: "node",
          include: ["test/**/*.test.ts"],
          exclude: [
            ...configDefaults.exclude,
            "test/browser/**",
            // scripts/test.mjs runs these once, not again under each Node version: the runtime
            // matrix, the type matrix and the guides' type check (whose tsc runs do not depend on the
            // Node that starts them), the tests that drive Chromium themselves, the packed CLI's
            // tests (they run the bin under each Node themselves), and the bounded soak and
            // 100 MiB-line runs (memory, not behaviour that differs between Node versions: the
            // chaos, hostile-input and compression suites do run under each).
            ...(process.env.SSEKIT_RUNTIME_MATRIX === "off"
              ? [
                  "test/runtimes.test.ts",
                  "test/package/types.test.ts",
                  "test/docs/guides.test.ts",
                  "test/docs/demo-page.test.ts",
                  "test/cli/cli.test.ts",
                  "test/cli/tty.test.ts",
                  "test/share/*.chromium.test.ts",
                  "test/chaos/soak.test.ts",
                  "test/chaos/huge-line.test.ts",
                ]
              : []),
          ],
          sequence: { groupOrder: 0 },
        },
      },
      ...(noBrowser ? [] : [browserProject]),
    ],
  },
});
