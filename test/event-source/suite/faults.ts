/**
 * Faults, beyond WPT: a long stream over ~100 connections dropped at random byte offsets (the
 * server's /es/faults route, planned by ../fault-plan.ts), where every event must arrive once and
 * in order. Ids fault-*.
 */
import { describe, expect } from "vitest";
import { faultEventData } from "../fault-plan.js";
import { newKey } from "../helpers.js";
import { CONNECTING, type SuiteContext } from "./context.js";

export function faultsSection(ctx: SuiteContext): void {
  const { record, test } = ctx;
  describe("faults", () => {
    test(
      "fault-drops",
      "2,000 events over ~100 dropped connections arrive once each, in order",
      async () => {
        const key = newKey();
        const n = 2000;
        const { source, rec } = record(
          `${ctx.fx.base}/es/faults?seed=4242&n=${n}&drops=100&key=${key}`,
        );
        await rec.until(
          (events) => events.some((e) => e.message && e.lastEventId === String(n)),
          `event ${n}`,
          25_000,
        );
        source.close();
        const log = await ctx.fx.log(key, { wait: "closed", n: 101 });
        const messages = rec.messages();
        expect(messages.length).toBe(n);
        const wrong = messages.filter(
          (m, i) => m.lastEventId !== String(i + 1) || m.data !== faultEventData(i + 1),
        );
        expect(wrong.slice(0, 5)).toEqual([]);
        const errors = rec.events.filter((e) => e.type === "error");
        expect(errors.every((e) => e.readyState === CONNECTING)).toBe(true);
        expect(log.requests).toHaveLength(101);
        expect(errors).toHaveLength(100);
        expect(new Set(log.requests.map((r) => r.endedBy))).toEqual(
          new Set(["end", "destroy", "client"]),
        );
      },
      30_000,
    );
  });
}
