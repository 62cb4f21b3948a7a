/**
 * The fixed prose of docs/benchmarks.md: how each benchmark works. bench/page.ts puts the
 * measured tables between these sections.
 */

export const INTRO = `ssekit is measured against the packages people use for Server-Sent Events, side by side in one
run: its parser against [eventsource-parser](https://github.com/rexxars/eventsource-parser) 3.1.1 and
4.1.3, its \`SSEClient\` against raw \`fetch\`, the loop users write by hand (\`fetch\` + reader +
\`TextDecoder\` + eventsource-parser 4.1.3) and the other SSE clients. Every ratio below is a median of
per-round ratios: the contenders of one round ran seconds apart on the same machine state.`;

export const COMMANDS = `\`\`\`sh
npm run bench:report                  # every benchmark below, then writes this page and its chart
npm run bench                         # parser: every workload (add --quick, --filter REGEX, --check)
npm run bench:client                  # client: CPU per event, time to event, heap (--quick, --check)
npm run bench:latency                 # dispatch latency per line ending (exits 1 if ssekit lags)
\`\`\`

\`--check\` makes a script exit 1 when ssekit misses a target (bench/targets.ts);
\`npm run bench:report -- --from docs/benchmarks.json\` renders the page again from the saved results.`;

export const PARSER_METHOD = `All workloads come from a seeded PRNG (mulberry32, bench/random.ts), so every run and every
machine parses the same bytes cut at the same chunk boundaries. Chunks are \`Uint8Array\` views, as a
network body hands them out. The LLM workloads are OpenAI-style \`chat.completion.chunk\` events
(\`data: {"id":"chatcmpl-…","object":"chat.completion.chunk",…,"choices":[{"delta":{"content":"…"}}]}\`),
one token each, with the token's text as the APIs send it: raw UTF-8 inside the JSON, no \`\\uXXXX\`
escapes.

Contenders: **BASELINE** decodes each chunk with a streaming \`TextDecoder\` and counts \`"\\n"\` with
\`indexOf\` (the floor for any parser that takes bytes); **ssekit** \`parser.feed(chunk)\` (it decodes
the bytes itself); **eventsource-parser 3.1.1 and 4.1.3** take strings, so a streaming \`TextDecoder\`
decodes each chunk first, as their users must; **4.1.3 again** is the A/A control: the same
contender run a second time, whose ratio to the first shows the noise of the run; the **least
parser** is a reference for the least a parser costs, not a parser (below the tables). The \`*/stream\`
rows compare \`source.pipeThrough(new SSEParserStream())\` with \`source.pipeThrough(new
TextDecoderStream()).pipeThrough(new EventSourceParserStream())\` (4.1.3), and show the "stream floor"
(the source read and decoded, no parser).

Method: interleaved rounds (every contender once per round, the order rotated each round); a warm-up
of at least 3 rounds and 1 s; as many rounds as fit 6 s per workload, 15-101; a full GC before each
workload and a scavenge before every timed run (a forced full GC would also discard optimized code).
Before timing, an untimed pass compares every parser's full message list (type and data), comments
and \`retry\` values; every timed run's message count and data length must match too, or the run
aborts. The code: bench/workloads.ts (and the generators it names), bench/contenders.ts,
bench/parser.ts.`;

export const ELSEWHERE_METHOD = `The same workloads under another Node, run by \`npm run bench:report\` (\`--node PATH\`; by
default the Node 24 that \`node scripts/install-runtimes.mjs\` installs). The targets above read the
main run only. Node 24 decodes with \`stream\` about as fast as without it on ASCII (Node 20 and 22
are several times slower with it), so there the decoding that ssekit saves (the stateless decoder)
gains little, and eventsource-parser's users pay less for theirs: \`BASELINE ÷ 4.1.3\` shows how
much of eventsource-parser's time the decoding takes in each run, and ssekit's ratio is then mostly
the parsing itself.`;

export const DISPATCH_METHOD = `1000 chunks, each holding one complete event ended by LF, CRLF or a lone CR; "yes" means every
event was dispatched within the \`feed()\` of the chunk that completed it. A chunk ending in a lone CR
is ambiguous (a CR, or the first half of a CRLF?); the spec ends the line at the CR, so a parser can
dispatch at once and drop an LF that starts the next chunk.`;

export const CLIENT_METHOD = `Over real HTTP on 127.0.0.1; the server (bench/client-server.ts) runs in a child process, so the
client process's \`process.cpuUsage()\` is the client's alone. Each stream is pre-built and sent in one
write, so the client reads full 64 KiB chunks and never waits for the server. ssekit is bundled by
tsup (as it ships) before it is measured. Every phase runs every contender once per round, in a
seeded random order drawn afresh each round (not a rotation, which keeps the same neighbours).

- **CPU time per event:** user + system CPU of the client process (GC helpers included) from
  \`fetch\` to the last event, divided by the events; per stream of bench/client-streams.ts: 100 B
  ASCII events, and the LLM streams of the parser workloads. "hand-written" is \`fetch\` + reader +
  streaming \`TextDecoder\` + eventsource-parser 4.1.3; its second copy is the A/A control.
- **Time to event:** a ping-pong on one open stream: the client asks the server (IPC) for event k and
  times until the library hands it over. IPC and loopback TCP are in every contender's time alike, so
  the delta to raw fetch is the library's own delay. A client that holds a CR-terminated event until
  more input arrives is marked "held until next chunk" (the server releases it after 1.1 s, by
  when an event merely late on a busy machine has come).
- **Heap per idle connection:** connections to a server that sends headers and one comment and stays
  idle; \`heapUsed\` after two full GCs, minus before, divided by the connections; a warm-up burst first
  grows the pools that never shrink.

@microsoft/fetch-event-source reads \`window\` and \`document\` unconditionally, so minimal stand-ins
exist while one of its connections is open; fetch-event-stream runs its \`events()\` over our own
\`fetch\` (its \`stream()\` helper loses the abort signal after a GC on Node 20).`;

export const SIZE_METHOD = `Each import bundled and minified by esbuild and compressed with brotli, through size-limit's own
plugins (the numbers \`npm run size\` prints, after \`npm run build\`); "limit" is ssekit's budget in
.size-limit.json. Peers are measured from their browser ESM builds.`;
