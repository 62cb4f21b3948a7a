/**
 * The chat panel: an LLM-style answer to a POST, with a bearer token that expires mid-answer. The
 * server cuts the stream when the token expires and refuses it with 401 on the next request; the
 * client calls `auth.refresh` once and resumes with `Last-Event-ID`. Each word is coloured by the
 * token that carried it, so the refreshes can be seen in the answer itself.
 */
import { type AuthOptions, SSEClient } from "../../../src/index.js";
import { trackState } from "./state.js";
import { $, type Log, logTo, stat } from "./ui.js";

interface ChatChunk {
  choices: { delta: { content?: string } }[];
}

/** A token from the server, and how long it lasts from its first use. */
interface Issued {
  token: string;
  lifetimeMs: number;
}

/** Asks the server for a new token. */
async function fetchToken(): Promise<Issued> {
  const response = await fetch("/api/token", { method: "POST" });
  if (!response.ok) throw new Error(`POST /api/token: ${response.status}`);
  return (await response.json()) as Issued;
}

/** The token every question uses, and its refresh: shared, as an app's auth store would be. */
function tokenStore(panel: HTMLElement, log: Log): AuthOptions & { current(): string } {
  let token: string | undefined;
  let refreshes = 0;
  const use = (issued: Issued) => {
    token = issued.token;
    stat(panel, "token", token);
    return `${token} (lasts ${issued.lifetimeMs} ms from its first use)`;
  };
  return {
    current: () => token ?? "",
    token: async () => {
      if (token === undefined) log(`got ${use(await fetchToken())}`);
      return token;
    },
    refresh: async () => {
      log(`401: ${token} expired → auth.refresh()`, "warn");
      const described = use(await fetchToken());
      stat(panel, "refreshes", ++refreshes);
      log(`refreshed: now ${described}`, "good");
    },
  };
}

/** Starts the chat panel: asks the question now, and again on each click of its button. */
export function startChat(): void {
  const panel = $("#chat");
  const answer = $("#chat-answer");
  const log = logTo($("#chat-log"));
  const auth = tokenStore(panel, log);
  let client: SSEClient<{ message: ChatChunk | null }> | undefined;

  async function ask(): Promise<void> {
    client?.close();
    answer.replaceChildren();
    panel.dataset.done = "false";
    stat(panel, "words", 0);
    const state = trackState($(".state", panel), log);
    let words = 0;
    const chat = new SSEClient<{ message: ChatChunk | null }>("/api/chat", {
      method: "POST",
      body: { model: "demo", stream: true, messages: [{ role: "user", content: "What is SSE?" }] },
      auth,
      // OpenAI-style streams end with a `[DONE]` sentinel that is not JSON.
      parse: (data) => (data === "[DONE]" ? null : JSON.parse(data)),
      ...state,
      onOpen: (response) => {
        state.onOpen(response);
        const after = chat.lastEventId;
        if (after === "")
          log(`POST /api/chat: ${response.status}, streaming with ${auth.current()}`);
        else log(`resumed after word ${after} (Last-Event-ID) with ${auth.current()}`, "good");
      },
    });
    client = chat;
    try {
      for await (const { data } of chat) {
        if (data === null) continue; // The sentinel; the stream ends right after it.
        const word = document.createElement("span");
        word.className = "word";
        word.dataset.token = auth.current();
        word.textContent = data.choices[0]?.delta.content ?? "";
        answer.append(word);
        stat(panel, "words", ++words);
      }
      if (client === chat) {
        panel.dataset.done = "true";
        log(`done: ${words} words, each once, in order`, "good");
      }
    } catch (error) {
      log(`the answer broke off: ${String(error)}`, "bad");
    }
  }

  $("#chat-again").addEventListener("click", () => void ask());
  void ask();
}
