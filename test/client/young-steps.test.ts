/**
 * `for await` steps never go to the old generation. V8 allocates what an object literal makes in
 * the old generation once it has seen many of them survive a GC (allocation-site pretenuring);
 * for the steps of a `for await` loop it decided so in about 1 process in 10 of
 * `npm run bench:client`, and each step then kept its young message alive through every scavenge:
 * 1.3 µs per event instead of 0.7. The fixture provokes that decision on purpose; on the old code
 * (steps as `{ value, done: false }`) it reports 0 young steps of 100.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const fixture = fileURLToPath(new URL("../fixtures/young-steps.ts", import.meta.url));

it("allocates every step young, even after a million steps survived GCs", async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--allow-natives-syntax", "--import", "tsx", fixture],
    { timeout: 60_000 },
  );
  expect(JSON.parse(stdout)).toEqual({ young: 100 });
}, 90_000);
