/**
 * EventFeed.svelte as Svelte's compiler sees it: it must compile without a warning (Svelte's
 * warnings flag reactivity and accessibility mistakes, which vite-plugin-svelte only prints).
 * The other example components are checked elsewhere: EventFeed.tsx by `tsc --noEmit` with the
 * rest of the project; EventFeed.vue's template is not type-checked (that takes vue-tsc, not in
 * the toolchain), its script being two lines over the typed composable. All three are mounted in
 * Chromium by test/browser/recipes.browser.test.ts.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "svelte/compiler";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SVELTE_FEED = join(ROOT, "examples/svelte/EventFeed.svelte");

/** Svelte's compiler warnings for a component's source, as `code: message`. */
function svelteWarnings(source: string): string[] {
  const { warnings } = compile(source, { filename: SVELTE_FEED, generate: "client" });
  return warnings.map((warning) => `${warning.code}: ${warning.message}`);
}

describe("EventFeed.svelte", () => {
  it("compiles without a warning", () => {
    expect(svelteWarnings(readFileSync(SVELTE_FEED, "utf8"))).toEqual([]);
  });

  it("the check can fail: a store made once from a prop is a warning", () => {
    const broken = readFileSync(SVELTE_FEED, "utf8").replace(
      "const feed = $derived(sseStore(url));",
      "const feed = sseStore(url);",
    );
    expect(broken).not.toContain("$derived");
    expect(svelteWarnings(broken).join("\n")).toMatch(/state_referenced_locally/);
  });
});
