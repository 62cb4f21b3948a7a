/**
 * A module Web Worker (test/browser/worker.browser.test.ts starts it): runs the runtime scenarios
 * (test/runtimes/scenarios.mjs) with ssekit's sources against the fixture server whose URL the
 * page posts, and posts back the report or the error.
 */
import * as ssekit from "../../src/index.js";
import { runScenarios } from "../runtimes/scenarios.mjs";

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<{ base: string; key: string }>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async (event) => {
  try {
    scope.postMessage({ report: await runScenarios(ssekit, event.data.base, event.data.key) });
  } catch (error) {
    scope.postMessage({
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
};
