/**
 * Global setup of the `browser` project. Runs in Node (not in the browser): starts the SSE fixture
 * server and hands its URL to the tests, which read it with `inject("sseUrl")`.
 */
import type { TestProject } from "vitest/node";
import { startFixtureServer } from "../fixtures/server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the fixture server in test/fixtures/server.ts, e.g. `http://127.0.0.1:40123`. */
    sseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startFixtureServer();
  project.provide("sseUrl", server.url);
  return () => server.close();
}
