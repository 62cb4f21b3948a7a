/**
 * docs/guides/testing.md's `<!-- snippet: run browser -->` blocks, run as they are written in
 * Chromium: the import below brings each block in as a module (test/fixtures/doc-snippets-plugin.ts),
 * and the tests the blocks define are this file's. msw's service worker script is the one vitest's
 * browser mode serves at /mockServiceWorker.js (from the msw package).
 */
import { snippetModule } from "../fixtures/markdown.js";

await import(/* @vite-ignore */ snippetModule("docs/guides/testing.md", "browser"));
