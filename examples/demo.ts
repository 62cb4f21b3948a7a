/**
 * `npm run demo`: a real local SSE server, and ssekit's SSEClient consuming it.
 *
 * 1. An LLM-style answer to a POST, printed token by token as it arrives.
 * 2. A live feed over GET whose connection the server drops mid-event: the client reconnects
 *    with `Last-Event-ID` and the feed goes on with nothing lost and nothing repeated.
 *
 * Then the demo checks what it claims against the server's record of what it sent: the whole
 * answer, a POST sent once (never replayed), and feed events 1 to 8 each received once, in order,
 * with the data sent under their ID. It prints the verdict and exits with 1 when a check fails.
 * Everything ends within DEADLINE_MS even if the server misbehaves.
 *
 * Then, on a terminal (or with `--serve`), the same server goes on serving a browser page at the URL
 * it prints, until Ctrl-C: a chat answer whose token expires mid-stream, a feed that drops at
 * random, three concurrent streams, each with its connection state (examples/demo/). Piped, or with
 * `--no-serve`, the demo ends after its verdict.
 *
 * SSEKIT_DEMO_FAULT=replay (or skip) breaks the server's resume on purpose, to show the check fail
 * (on the page too); test/docs/demo.test.ts runs both.
 */
import { SSEClient } from "../src/index.js";
import { createDemoPage } from "./demo/page-routes.js";
import { type FeedEvent, feedProblems, startLlmServer } from "./llm-server.js";

interface ChatChunk {
  choices: { delta: { content?: string } }[];
}

/** How many feed events the demo reads: enough for the server to drop the connection twice. */
const FEED_EVENTS = 8;
const DEADLINE_MS = 20_000;

const fault = process.env.SSEKIT_DEMO_FAULT;
if (fault !== undefined && fault !== "replay" && fault !== "skip") {
  throw new Error(`SSEKIT_DEMO_FAULT must be "replay" or "skip", not ${JSON.stringify(fault)}`);
}
const [flag, ...more] = process.argv.slice(2);
if (more.length > 0 || (flag !== undefined && flag !== "--serve" && flag !== "--no-serve")) {
  console.error("usage: npm run demo [-- --serve | --no-serve]");
  process.exit(2);
}
/** Keep serving the browser page after the verdict: on a terminal, unless told otherwise. */
const serve = flag === "--serve" || (flag === undefined && process.stdout.isTTY === true);
const deadline = AbortSignal.timeout(DEADLINE_MS);
const page = createDemoPage({ fault });
const server = await startLlmServer({ feedFault: fault, routes: page.routes });
const failures: string[] = [];
try {
  console.log(`[ssekit demo] POST ${server.url}/v1/chat/completions\n`);
  const chat = new SSEClient<{ message: ChatChunk | null }>(`${server.url}/v1/chat/completions`, {
    method: "POST",
    body: { model: "demo", stream: true, messages: [{ role: "user", content: "What is SSE?" }] },
    // OpenAI-style streams end with a `[DONE]` sentinel that is not JSON.
    parse: (data) => (data === "[DONE]" ? null : JSON.parse(data)),
    signal: deadline,
  });
  let answer = "";
  let tokens = 0;
  for await (const message of chat) {
    const chunk = message.data;
    if (chunk === null) continue; // The sentinel; the stream ends right after it.
    const token = chunk.choices[0]?.delta.content ?? "";
    process.stdout.write(token);
    answer += token;
    tokens++;
  }
  const { chatRequests, answerSent } = server.record;
  if (answer === answerSent && answer !== "" && chatRequests === 1) {
    console.log(
      `\n\n[ssekit demo] ✓ ${tokens} tokens, the answer as sent; the POST stream closed without being replayed.\n`,
    );
  } else {
    const problems = [
      ...(answer === answerSent && answer !== "" ? [] : ["the answer differs from what was sent"]),
      ...(chatRequests === 1 ? [] : [`the POST was sent ${chatRequests} times`]),
    ];
    failures.push(...problems);
    console.log(`\n\n[ssekit demo] ✗ chat: ${problems.join("; ")}\n`);
  }

  console.log(`[ssekit demo] GET ${server.url}/feed (the server drops the connection mid-event)\n`);
  const feed = new SSEClient(`${server.url}/feed`, {
    signal: deadline,
    onRetry: ({ attempt, delay, cause }) =>
      console.log(
        `  ~ reconnecting (attempt ${attempt}, in ${delay} ms): ${cause === "end" ? "end of stream" : cause.message}`,
      ),
    onOpen: (response) =>
      console.log(
        `  + connected (${response.status}), Last-Event-ID: ${feed.lastEventId || "none"}`,
      ),
  });
  const received: FeedEvent[] = [];
  for await (const { data, lastEventId } of feed) {
    console.log(`  event ${lastEventId}: ${data}`);
    received.push({ id: lastEventId, data });
    if (received.length === FEED_EVENTS) break;
  }

  const problems = feedProblems(FEED_EVENTS, server.record.feedSent, received);
  if (deadline.aborted) problems.push(`stopped after ${DEADLINE_MS} ms`);
  const resumes = server.record.feedRequests.slice(1).map((id) => id ?? "none");
  if (problems.length === 0) {
    console.log(
      `\n[ssekit demo] ✓ feed events 1-${FEED_EVENTS} each arrived exactly once, in order, as sent` +
        ` (resumed with Last-Event-ID ${resumes.join(", ")}).`,
    );
  } else {
    failures.push(...problems);
    console.log(`\n[ssekit demo] ✗ the feed did not arrive exactly once: ${problems.join("; ")}.`);
  }
  if (serve) {
    console.log(`\n[ssekit demo] the browser page: ${server.url}/ (serving until Ctrl-C)`);
    await new Promise((resolve) => process.once("SIGINT", resolve));
  }
} finally {
  await server.close();
}
if (failures.length > 0) process.exitCode = 1;
