/**
 * Global setup of the `browser` project. Runs in Node (not in the browser): starts the SSE fixture
 * server and the chaos server (test/fixtures/chaos-server.ts, its own port: its restarts must not
 * touch the other tests) and hands their URLs to the tests, which read them with
 * `inject("sseUrl")` and `inject("chaosUrl")`.
 */
import type { TestProject } from "vitest/node";
import { startChaosServer } from "../fixtures/chaos-server.js";
import { startFixtureServer } from "../fixtures/server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the fixture server in test/fixtures/server.ts, e.g. `http://127.0.0.1:40123`. */
    sseUrl: string;
    /** Base URL of the chaos server in test/fixtures/chaos-server.ts. */
    chaosUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [server, chaos] = await Promise.all([startFixtureServer(), startChaosServer()]);
  project.provide("sseUrl", server.url);
  project.provide("chaosUrl", chaos.url);
  return async () => {
    await Promise.all([server.close(), chaos.close()]);
  };
}
