/**
 * ssekit in a Web Worker in Chromium (no `document`, no `window`: the core must not need them):
 * the runtime scenarios (parser, SSEParserStream, SSEClient POST/resume/auth refresh/idle timeout,
 * EventSource over dropped connections) run in a module worker against the fixture server, and
 * must report what every other runtime reports (test/runtimes/report.ts).
 */
import { expect, inject, it } from "vitest";
import { expectReport, type Report } from "../runtimes/report.js";

const sseUrl = inject("sseUrl");

it("runs in a module Web Worker", async () => {
  const worker = new Worker(new URL("./worker-entry.ts", import.meta.url), { type: "module" });
  try {
    const result = await new Promise<{ report?: Report; error?: string }>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(`the worker failed: ${event.message}`));
      worker.postMessage({ base: sseUrl, key: `worker-${Date.now().toString(36)}` });
    });
    expect(result.error).toBeUndefined();
    const report = result.report as Report;
    expect(report.runtime).toMatch(/^Web Worker \(.*Chrome/);
    expectReport(report);
  } finally {
    worker.terminate();
  }
}, 30_000);
