/**
 * docs/guides/testing.md's `<!-- snippet: run browser -->` blocks, run as they are written in
 * Chromium: the import below brings each block in as a module (test/fixtures/doc-snippets-plugin.ts),
 * and the tests the blocks define are this file's. msw's Service Worker script is the one vitest's
 * browser mode serves at /mockServiceWorker.js (from the msw package).
 *
 * The worker stays registered for the origin after `worker.stop()`, and would sit between the
 * other browser test files and the network: it is unregistered when this file is done.
 */
import { afterAll } from "vitest";
import { snippetModule } from "../fixtures/markdown.js";

await import(/* @vite-ignore */ snippetModule("docs/guides/testing.md", "browser"));

afterAll(async () => {
  const registrations = await navigator.serviceWorker.getRegistrations();
  await Promise.all(registrations.map((registration) => registration.unregister()));
});
