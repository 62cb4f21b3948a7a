/**
 * The EventSource conformance suite: WHATWG HTML §9.2 (server-sent events) and the behaviours the
 * web-platform-tests `eventsource/` directory checks, written once and registered per
 * implementation: ssekit's EventSource in Node (../node.test.ts) and minified (test/dist.test.ts),
 * and in Chromium both ssekit's and the browser's own (test/browser/event-source.browser.test.ts),
 * the native one being the calibration: a test it fails is either wrong or a documented deviation
 * (../deviations.ts).
 *
 * One file per section, each registering its cases with the shared context (./context.ts). Every
 * test gets an id (the part of its title before " — "); a skip list names ids, with the reason,
 * and a skip list naming an id that does not exist is an error.
 */
import { describe } from "vitest";
import type { EventSourceConstructor } from "../helpers.js";
import { closeSection } from "./close.js";
import { constructorSection } from "./constructor.js";
import { createSuiteContext, type SuiteOptions } from "./context.js";
import { eventTargetSection } from "./event-target.js";
import { extensionsSection } from "./extensions.js";
import { faultsSection } from "./faults.js";
import { formatSection } from "./format.js";
import { mimeSection } from "./mime.js";
import { onmessageSection } from "./onmessage.js";
import { onopenSection } from "./onopen.js";
import { prototypeSection } from "./prototype.js";
import { reconnectSection } from "./reconnect.js";
import { redirectSection } from "./redirect.js";
import { requestSection } from "./request.js";
import { statusSection } from "./status.js";

export type { SuiteOptions };

/** Registers the suite for one implementation. */
export function defineSuite(
  name: string,
  Impl: EventSourceConstructor,
  serverUrl: string | (() => string),
  options: SuiteOptions,
): void {
  describe(name, () => {
    const ctx = createSuiteContext(Impl, serverUrl, options);
    constructorSection(ctx);
    prototypeSection(ctx);
    eventTargetSection(ctx);
    onopenSection(ctx);
    onmessageSection(ctx);
    closeSection(ctx);
    reconnectSection(ctx);
    statusSection(ctx);
    mimeSection(ctx);
    redirectSection(ctx);
    requestSection(ctx);
    formatSection(ctx);
    faultsSection(ctx);
    if (options.extensions) extensionsSection(ctx);
  });
}
