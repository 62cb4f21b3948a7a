/**
 * The streams panel: three metric streams read at the same time, each by its own client on its own
 * connection, each with its state, its latest reading and a bar chart of the last ones. `requests`
 * is ended by the server every few events, so its state can be seen cycling; each card's button
 * closes its client and connects it again.
 */
import { SSEClient } from "../../../src/index.js";
import { showState, trackState } from "./state.js";
import { $, logTo, stat } from "./ui.js";

/** How many readings the chart shows. */
const BARS = 40;

function startMetric(card: HTMLElement): void {
  const name = card.dataset.metric;
  const max = Number(card.dataset.max);
  const bars = $(".bars", card);
  const button = $<HTMLButtonElement>("button", card);
  const log = logTo($(".log", card), 2);
  let connections = 0;
  let events = 0;
  const state = trackState($(".state", card), log);
  const client = new SSEClient(`/api/metrics/${name}`, {
    parse: (data) => Number(data),
    ...state,
    onOpen: (response) => {
      state.onOpen(response);
      stat(card, "connections", ++connections);
    },
  });
  client.on("message", ({ data }) => {
    stat(card, "value", data.toFixed(1));
    stat(card, "events", ++events);
    const bar = document.createElement("i");
    bar.style.height = `${Math.max(2, (data / max) * 100)}%`;
    bars.append(bar);
    while (bars.children.length > BARS) bars.firstElementChild?.remove();
  });
  button.addEventListener("click", () => {
    if (client.readyState === "closed") {
      showState($(".state", card), "connecting");
      client.connect();
    } else client.close();
    button.textContent = client.readyState === "closed" ? "Connect" : "Close";
  });
}

/** Starts the three streams at once. */
export function startStreams(): void {
  for (const card of document.querySelectorAll<HTMLElement>("[data-metric]")) startMetric(card);
}
