/**
 * `npm run demo`: a real local SSE server, and ssekit's SSEClient consuming it.
 *
 * 1. An LLM-style answer to a POST, printed token by token as it arrives.
 * 2. A live feed over GET whose connection the server drops mid-event: the client reconnects
 *    with `Last-Event-ID` and the feed goes on with nothing lost and nothing repeated.
 */
import { SSEClient } from "../src/index.js";
import { startLlmServer } from "./llm-server.js";

interface ChatChunk {
  choices: { delta: { content?: string } }[];
}

const server = await startLlmServer();
try {
  console.log(`[ssekit demo] POST ${server.url}/v1/chat/completions\n`);
  const chat = new SSEClient<{ message: ChatChunk | null }>(`${server.url}/v1/chat/completions`, {
    method: "POST",
    body: { model: "demo", stream: true, messages: [{ role: "user", content: "What is SSE?" }] },
    // OpenAI-style streams end with a `[DONE]` sentinel that is not JSON.
    parse: (data) => (data === "[DONE]" ? null : JSON.parse(data)),
  });
  let tokens = 0;
  for await (const message of chat) {
    const chunk = message.data;
    if (chunk === null) continue; // The sentinel; the stream ends right after it.
    process.stdout.write(chunk.choices[0]?.delta.content ?? "");
    tokens++;
  }
  console.log(
    `\n\n[ssekit demo] ${tokens} tokens; the POST stream closed without being replayed.\n`,
  );

  console.log(`[ssekit demo] GET ${server.url}/feed (the server drops the connection mid-event)\n`);
  const feed = new SSEClient(`${server.url}/feed`, {
    onRetry: ({ attempt, delay, cause }) =>
      console.log(
        `  ~ reconnecting (attempt ${attempt}, in ${delay} ms): ${cause === "end" ? "end of stream" : cause.message}`,
      ),
    onOpen: (response) =>
      console.log(
        `  + connected (${response.status}), Last-Event-ID: ${feed.lastEventId || "none"}`,
      ),
  });
  for await (const { data, lastEventId } of feed) {
    console.log(`  event ${lastEventId}: ${data}`);
    if (lastEventId === "8") break;
  }
  console.log("\n[ssekit demo] every feed event arrived exactly once, in order.");
} finally {
  await server.close();
}
