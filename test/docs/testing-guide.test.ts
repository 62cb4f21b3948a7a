/**
 * docs/guides/testing.md's `<!-- snippet: run node -->` blocks, run as they are written: the
 * import below brings each block in as a module (test/fixtures/doc-snippets-plugin.ts), and the
 * tests the blocks define are this file's. A block that stops working fails here.
 */
import { snippetModule } from "../fixtures/markdown.js";

await import(/* @vite-ignore */ snippetModule("docs/guides/testing.md", "node"));
