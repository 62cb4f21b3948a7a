/**
 * Dispatch latency per line ending (bench/dispatch.ts): `npm run bench:latency`. Exits 1 if
 * ssekit ever holds an event back.
 */
import { CHUNK_SHAPES, measureDispatch } from "./dispatch.js";
import { table } from "./stats.js";

let failed = false;
console.log(
  'Dispatch latency: 1000 chunks, each holding whole events; "yes" = every event dispatched within the feed() of its own chunk\n',
);
for (const perChunk of CHUNK_SHAPES) {
  const { rows, held } = measureDispatch(perChunk);
  for (const h of held) console.error(`ssekit held back events: ${h}`);
  if (held.length > 0) failed = true;
  const endings = Object.keys(rows[0]?.endings ?? {});
  console.log(`${perChunk} event${perChunk > 1 ? "s" : ""} per chunk; dispatched in same feed:\n`);
  console.log(
    table(
      ["parser", ...endings],
      rows.map((r) => [r.parser, ...endings.map((e) => r.endings[e] ?? "-")]),
    ),
  );
  console.log("");
}

if (failed) {
  console.error(
    "FAIL: ssekit must dispatch every complete event within the feed() that completes it",
  );
  process.exitCode = 1;
} else {
  console.log("ssekit dispatches every complete event within the same feed() call.");
}
