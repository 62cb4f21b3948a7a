/**
 * The EventSource conformance suite (test/event-source/suite/) in Chromium, twice: against
 * ssekit's EventSource, and against the browser's own as the calibration. A test the native one
 * fails is either wrong or a native deviation documented in test/event-source/deviations.ts; ssekit
 * must pass every test the native one passes, but for the limitations documented there.
 */
import { inject } from "vitest";
import { EventSource } from "../../src/index.js";
import {
  CHROMIUM_PLATFORM_DEVIATIONS,
  NATIVE_CHROMIUM_DEVIATIONS,
  SSEKIT_CHROMIUM_LIMITATIONS,
} from "../event-source/deviations.js";
import { defineSuite } from "../event-source/suite/index.js";

const sseUrl = inject("sseUrl");

defineSuite("ssekit EventSource (Chromium)", EventSource, sseUrl, {
  runtime: "browser",
  extensions: true,
  skip: { ...CHROMIUM_PLATFORM_DEVIATIONS, ...SSEKIT_CHROMIUM_LIMITATIONS },
});

defineSuite("native EventSource (Chromium)", globalThis.EventSource, sseUrl, {
  runtime: "browser",
  skip: { ...CHROMIUM_PLATFORM_DEVIATIONS, ...NATIVE_CHROMIUM_DEVIATIONS },
});
