import { playwright } from "@vitest/browser-playwright";
import { configDefaults, defineConfig } from "vitest/config";
import { CHROMIUM, CHROMIUM_ARGS, CI, chromiumMissing } from "./test/fixtures/chromium.js";
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
        launchOptions: {
          executablePath: CHROMIUM,
          args: [...CHROMIUM_ARGS],
        },
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
        test: {
          name: "node",
          environment: "node",
          include: ["test/**/*.test.ts"],
          exclude: [
            ...configDefaults.exclude,
            "test/browser/**",
            // scripts/test.mjs runs the runtime matrix, the type matrix and the tests that drive
            // Chromium (none of which depends on the Node that starts them) once, not again under
            // each Node version.
            ...(process.env.SSEKIT_RUNTIME_MATRIX === "off"
              ? [
                  "test/runtimes.test.ts",
                  "test/package/types.test.ts",
                  "test/share/*.chromium.test.ts",
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
