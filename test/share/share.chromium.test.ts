/**
 * `share` in real Chromium: several pages of one browser context (one profile: one Web Locks
 * manager, one BroadcastChannel space, one HTTP/1.1 connection pool) against a live feed on a real
 * node:http server (test/fixtures/feed-server.ts), which also serves the test page
 * (test/share/page.ts, bundled from the sources). The vitest browser project runs tests inside one
 * page; these need many, so they drive Chromium from Node with playwright, launched as that
 * project launches it (test/fixtures/chromium.ts). Without Chromium they are skipped with a banner,
 * and under CI the file fails.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, CI, chromiumMissing } from "../fixtures/chromium.js";
import { Collector } from "../fixtures/collector.js";
import { type Feed, feedEventId, startFeed } from "../fixtures/feed-server.js";
import type { PageApi, Seen } from "./page.js";

const missing = chromiumMissing();
if (missing && CI) throw new Error(`SHARE CHROMIUM TESTS CANNOT RUN: ${missing}, and CI is set`);
if (missing) {
  console.warn(
    `\n${"#".repeat(72)}\n# SKIPPED test/share/share.chromium.test.ts: ${missing}\n${"#".repeat(72)}`,
  );
}

declare const clients: PageApi;

/** The data of the feed's events 1..n. */
const upTo = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
/** The `lastEventId` of the feed's events 1..n. */
const idsUpTo = (n: number) => Array.from({ length: n }, (_, i) => feedEventId(i + 1));

describe.skipIf(missing !== undefined)(
  "share in Chromium, pages of one browser context",
  {
    timeout: 30_000,
  },
  () => {
    let browser: Browser | undefined;
    let script = "";
    let feed: Feed;
    let context: BrowserContext;
    /** The pages whose client connected to the feed, in order: the last one leads. */
    let leaders: Collector<Page>;

    beforeAll(async () => {
      const bundled = await build({
        entryPoints: [fileURLToPath(new URL("./page.ts", import.meta.url))],
        bundle: true,
        format: "iife",
        platform: "browser",
        target: "es2022",
        // The package's `sideEffects` lists the built entries, not the sources: without this, the
        // bundle would drop `import "../../src/share/index.js"`.
        ignoreAnnotations: true,
        write: false,
        logLevel: "silent",
      });
      script = bundled.outputFiles[0]?.text ?? "";
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    }, 60_000);
    afterAll(() => browser?.close());

    beforeEach(async () => {
      feed = await startFeed({
        "/": {
          type: "text/html",
          body: '<!doctype html><link rel="icon" href="data:,"><script src="/page.js"></script>',
        },
        "/page.js": { type: "text/javascript", body: script },
      });
      context = await (browser as Browser).newContext();
      leaders = new Collector();
    });
    afterEach(async () => {
      await context.close();
      await feed.close();
    });

    /** `n` pages of the context with the test page loaded (before any stream holds a connection). */
    async function openPages(n: number): Promise<Page[]> {
      const pages: Page[] = [];
      for (let i = 0; i < n; i++) {
        const page = await context.newPage();
        page.on("request", (request) => {
          if (request.url() === feed.url) leaders.push(page);
        });
        await page.goto(`${feed.origin}/`);
        await page.waitForFunction(() => typeof clients === "object");
        pages.push(page);
      }
      return pages;
    }

    const start = (page: Page, name: string, share = true) =>
      page.evaluate(([n, url, s]) => clients.start(n, url, s), [name, feed.url, share] as const);
    const seen = (page: Page, name: string): Promise<Seen & { readyState: string }> =>
      page.evaluate((n) => clients.seen(n), name);
    const closeClient = (page: Page, name: string) => page.evaluate((n) => clients.close(n), name);
    /** Waits until client `name` of `page` is in `state`. */
    const inState = (page: Page, name: string, state: string, timeout = 4000) =>
      page.waitForFunction(([n, s]) => clients.seen(n).readyState === s, [name, state] as const, {
        polling: 20,
        timeout,
      });
    /** Waits until client `name` of `page` delivered `count` messages. */
    const delivered = (page: Page, name: string, count: number, timeout = 4000) =>
      page.waitForFunction(([n, c]) => clients.seen(n).data.length >= c, [name, count] as const, {
        polling: 20,
        timeout,
      });

    it("6 pages: the server holds 1 connection and every page gets the same contiguous sequence", async () => {
      const pages = await openPages(6);
      for (const page of pages) await start(page, "feed");
      for (const page of pages) await inState(page, "feed", "open");
      expect(feed.open).toBe(1);
      expect(feed.requests.length).toBe(1);
      feed.publish(25);
      for (const page of pages) {
        await delivered(page, "feed", 25);
        const { data, ids, opens, errors } = await seen(page, "feed");
        expect(data).toEqual(upTo(25));
        expect(ids).toEqual(idsUpTo(25));
        expect(opens).toBe(1);
        expect(errors).toEqual([]);
      }
      expect(feed.open).toBe(1);
      expect(feed.requests.length).toBe(1);
    });

    it("closing the leader's page: another page connects within 1 s with Last-Event-ID, nobody loses or repeats a message", {
      timeout: 60_000,
    }, async () => {
      const pages = await openPages(6);
      for (const page of pages) await start(page, "feed");
      for (const page of pages) await inState(page, "feed", "open");
      feed.publish(5);
      // Every page has an ID to resume from before the first leader goes (on a loaded machine a
      // page may not have had the relayed events yet; a new leader that has none sends none).
      for (const page of pages) await delivered(page, "feed", 5);
      // Events keep coming during every handover: what the leader relays as it goes races the
      // next leader's resume.
      const publisher = setInterval(() => feed.publish(1), 3);
      try {
        for (let handover = 1; handover <= 4; handover++) {
          const leader = leaders.items.at(-1) as Page;
          const closed = performance.now();
          await leader.close();
          const request = (
            await feed.requests.waitFor(handover + 1, {
              what: `handover ${handover}: the next leader's request`,
              ms: 1000,
            })
          ).at(-1);
          expect(request?.at ?? Infinity).toBeLessThan(closed + 1000);
          expect(request?.lastEventId).toMatch(/^[1-9]\d*$/);
          const next = await leaders.nth(handover + 1);
          expect(next).not.toBe(leader);
          await feed.openStreams(1);
          pages.splice(pages.indexOf(leader), 1);
        }
      } finally {
        clearInterval(publisher);
      }
      feed.publish(1);
      const all = upTo(feed.published);
      for (const page of pages) {
        await delivered(page, "feed", all.length);
        const { data, ids } = await seen(page, "feed");
        expect(data).toEqual(all);
        expect(ids).toEqual(idsUpTo(all.length));
      }
      expect(feed.open).toBe(1);
    });

    it("the leader's page crashes: another page resumes with Last-Event-ID within 1 s", async () => {
      const pages = await openPages(3);
      for (const page of pages) await start(page, "feed");
      for (const page of pages) await inState(page, "feed", "open");
      feed.publish(5);
      for (const page of pages) await delivered(page, "feed", 5);
      const leader = leaders.items.at(-1) as Page;
      const crashed = new Promise((resolve) => leader.once("crash", resolve));
      const cdp = await context.newCDPSession(leader);
      // The page dies before it can answer.
      cdp.send("Page.crash").catch(() => {});
      await crashed;
      const [, request] = await feed.requests.waitFor(2, {
        what: "the next leader's request",
        ms: 1000,
      });
      expect(request?.lastEventId).toBe("5");
      await feed.openStreams(1);
      feed.publish(2);
      for (const page of pages.filter((page) => page !== leader)) {
        await delivered(page, "feed", 7);
        expect((await seen(page, "feed")).data).toEqual(upTo(7));
      }
    });

    // Playwright keeps every page visible, and Chromium freezes only hidden pages (CDP's
    // Page.setWebLifecycleState does nothing to a visible one): the page lifecycle's events are
    // dispatched as the browser dispatches them before freezing a page and after thawing it.
    it("the leader's page frozen: it steps down, another page resumes with Last-Event-ID; thawed, it follows again", async () => {
      const pages = await openPages(3);
      for (const page of pages) await start(page, "feed");
      for (const page of pages) await inState(page, "feed", "open");
      feed.publish(4);
      for (const page of pages) await delivered(page, "feed", 4);
      const leader = leaders.items.at(-1) as Page;
      await leader.evaluate(() => document.dispatchEvent(new Event("freeze")));
      const [, request] = await feed.requests.waitFor(2, { what: "the next leader's request" });
      expect(request?.lastEventId).toBe("4");
      expect(await leaders.nth(2)).not.toBe(leader);
      await feed.openStreams(1);
      feed.publish(3);
      await leader.evaluate(() => document.dispatchEvent(new Event("resume")));
      feed.publish(3);
      for (const page of pages) {
        await delivered(page, "feed", 10);
        const { data, errors } = await seen(page, "feed");
        expect({ data, errors }).toEqual({ data: upTo(10), errors: [] });
      }
      // Only the first leader's request and the next one's: the thawed page follows.
      expect(feed.requests.items.map((request) => request.lastEventId)).toEqual([undefined, "4"]);
    });

    it("3 clients in one page: 1 connection; closing them all: none", async () => {
      const [page] = (await openPages(1)) as [Page];
      for (const name of ["a", "b", "c"]) await start(page, name);
      for (const name of ["a", "b", "c"]) await inState(page, name, "open");
      expect(feed.open).toBe(1);
      feed.publish(5);
      for (const name of ["a", "b", "c"]) {
        await delivered(page, name, 5);
        expect((await seen(page, name)).data).toEqual(upTo(5));
      }
      // The leader first: the connection moves to another client of the page, then goes.
      await closeClient(page, "a");
      await feed.requests.waitFor(2, { what: "the next leader's request" });
      await feed.openStreams(1);
      feed.publish(2);
      for (const name of ["b", "c"]) {
        await delivered(page, name, 7);
        expect((await seen(page, name)).data).toEqual(upTo(7));
      }
      await closeClient(page, "b");
      await closeClient(page, "c");
      await feed.openStreams(0);
      for (const name of ["a", "b", "c"])
        expect((await seen(page, name)).readyState).toBe("closed");
    });

    it("without share, 8 pages: the 7th and 8th never open (the browser's 6 connections per host)", async () => {
      const pages = await openPages(8);
      for (const [i, page] of pages.entries()) await start(page, `feed${i}`, false);
      await feed.openStreams(6);
      feed.publish(1);
      for (const [i, page] of pages.slice(0, 6).entries()) await delivered(page, `feed${i}`, 1);
      for (const [i, page] of pages.slice(6).entries()) {
        const { readyState, data } = await seen(page, `feed${i + 6}`);
        expect(readyState).toBe("connecting");
        expect(data).toEqual([]);
      }
      expect(feed.requests.length).toBe(6);
      // The limit it is: one stream closes, and a waiting one opens.
      await closeClient(pages[0] as Page, "feed0");
      await feed.requests.waitFor(7, { what: "the 7th stream, once a connection is free" });
    });
  },
);
