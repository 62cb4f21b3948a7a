import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type GcFunction = (options?: { type?: "major" | "minor" }) => void;

/**
 * V8's gc(), whether or not node ran with --expose-gc: `npm run bench` starts plain `tsx`, so
 * expose it at runtime (V8 installs `gc` on contexts created after the flag is set).
 */
const v8gc: GcFunction = (() => {
  const existing = (globalThis as { gc?: GcFunction }).gc;
  if (typeof existing === "function") return existing;
  setFlagsFromString("--expose-gc");
  const fn: unknown = runInNewContext("gc");
  if (typeof fn !== "function") throw new Error("could not expose gc()");
  return fn as GcFunction;
})();

/**
 * A full (mark-compact) collection. Only between workloads: a forced full GC also throws away
 * optimized code, so calling it before every timed run would time unoptimized parsers.
 */
export function fullGc(): void {
  v8gc();
}

/** A scavenge: empties the young generation (the previous run's garbage), keeps optimized code. */
export function minorGc(): void {
  v8gc({ type: "minor" });
}
