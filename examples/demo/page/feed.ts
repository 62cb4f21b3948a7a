/**
 * The feed panel: a live feed whose connection the server drops at random (and on the button,
 * now). The client resumes with `Last-Event-ID`; the panel checks every event against the one
 * before it, shows each resume in the list, and says whether any event was missed or repeated.
 */
import { SSEClient } from "../../../src/index.js";
import { trackState } from "./state.js";
import { $, logTo, stat } from "./ui.js";

interface Tick {
  seq: number;
  price: number;
}

/** How many events the list shows. */
const SHOWN = 12;

/** The panel's check: every event must be the one after the last, with its own number as data. */
class FeedCheck {
  last = 0;
  events = 0;
  gaps = 0;
  repeats = 0;
  mismatched = 0;

  /** Records event `id` and says what is wrong with it, if anything. */
  add(id: string, tick: Tick): string | undefined {
    const seq = Number(id);
    const expected = this.last + 1;
    this.events++;
    if (tick.seq !== seq) this.mismatched++;
    if (seq < expected) this.repeats++;
    if (seq > expected) this.gaps += seq - expected;
    this.last = Math.max(this.last, seq);
    if (seq < expected) return `repeated (expected ${expected})`;
    if (seq > expected) return `gap: ${expected}${seq - 1 > expected ? `-${seq - 1}` : ""} missing`;
    return tick.seq === seq ? undefined : `data of event ${tick.seq}`;
  }

  get ok(): boolean {
    return this.gaps === 0 && this.repeats === 0 && this.mismatched === 0;
  }
}

function element(tag: string, text: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}

/** Starts the feed panel. */
export function startFeed(): void {
  const panel = $("#feed");
  const list = $("#feed-events");
  const verdict = $("#feed-verdict");
  const log = logTo($("#feed-log"), 5);
  const check = new FeedCheck();
  let resumes = 0;
  /** The next event is the first after a resume: the panel says whether it follows on. */
  let resumedAfter: string | undefined;

  const show = (item: HTMLLIElement) => {
    list.append(item);
    while (list.children.length > SHOWN) list.firstElementChild?.remove();
  };
  const state = trackState($(".state", panel), log);
  const feed = new SSEClient("/api/feed", {
    parse: (data) => JSON.parse(data) as Tick,
    ...state,
    onOpen: (response) => {
      state.onOpen(response);
      if (feed.lastEventId === "") return;
      resumedAfter = feed.lastEventId;
      stat(panel, "resumes", ++resumes);
      const marker = document.createElement("li");
      marker.className = "resume";
      marker.textContent = `↻ reconnected with Last-Event-ID: ${feed.lastEventId}`;
      show(marker);
    },
  });

  feed.on("message", ({ data, lastEventId }) => {
    const problem = check.add(lastEventId, data);
    const item = document.createElement("li");
    item.dataset.id = lastEventId;
    item.className = problem ? "bad" : "";
    const note =
      problem ??
      (resumedAfter === undefined ? "" : `✓ follows ${resumedAfter}: nothing lost, nothing twice`);
    item.append(
      element("b", `#${lastEventId}`),
      element("span", `${data.price.toFixed(2)} €`),
      element("em", note),
    );
    resumedAfter = undefined;
    show(item);
    stat(panel, "events", check.events);
    stat(panel, "gaps", check.gaps);
    stat(panel, "repeats", check.repeats);
    panel.dataset.ok = String(check.ok);
    verdict.className = check.ok ? "verdict good" : "verdict bad";
    verdict.textContent = check.ok
      ? `✓ events 1-${check.last} each arrived once, in order, across ${resumes} ${resumes === 1 ? "resume" : "resumes"}`
      : `✗ ${check.gaps} missed, ${check.repeats} repeated, ${check.mismatched} with the wrong data`;
  });

  $("#feed-drop").addEventListener("click", async () => {
    const response = await fetch("/api/feed/drop", { method: "POST" });
    const { dropped } = (await response.json()) as { dropped: number };
    log(`asked the server to drop the connection (${dropped} dropped)`, "warn");
  });
}
