import { accessSync, constants } from "node:fs";
import { playwright } from "@vitest/browser-playwright";
import { configDefaults, defineConfig } from "vitest/config";
import { CountsReporter } from "./test/reporter.js";

const ci = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());

/** Debian's chromium; playwright never downloads a browser here. */
const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/**
 * Why the browser project cannot run, or undefined when it can. Without Chromium it is left out:
 * the reporter then says loudly that the browser tests were skipped; under CI (CI set, not "0" or
 * "false") the config refuses to load instead, so no vitest run there passes without them.
 */
const noBrowser = (() => {
  try {
    accessSync(chromium, constants.X_OK);
    return undefined;
  } catch {
    return `chromium not found at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`;
  }
})();
if (noBrowser && ci) {
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
          executablePath: chromium,
          args: [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
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
            // scripts/test.mjs runs the runtime matrix and the type matrix (whose tsc runs do not
            // depend on the Node that starts them) once, not again under each Node version; so
            // the packed CLI's tests (they run the bin under each Node themselves).
            ...(process.env.SSEKIT_RUNTIME_MATRIX === "off"
              ? [
                  "test/runtimes.test.ts",
                  "test/package/types.test.ts",
                  "test/cli/cli.test.ts",
                  "test/cli/tty.test.ts",
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
