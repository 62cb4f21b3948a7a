/** Small DOM helpers shared by the page's panels. */

/** The element `selector` finds in `root`; throws when the page has none (a typo in the HTML). */
export function $<T extends HTMLElement = HTMLElement>(
  selector: string,
  root: ParentNode = document,
): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`the demo page has no ${selector}`);
  return element;
}

/** A line in a panel's log: what happened, styled by `kind`. */
export type Log = (text: string, kind?: "info" | "good" | "warn" | "bad") => void;

/** A log that keeps the last `max` lines of `list`, newest at the bottom. */
export function logTo(list: HTMLElement, max = 7): Log {
  return (text, kind = "info") => {
    const item = document.createElement("li");
    item.className = kind;
    const time = document.createElement("time");
    time.textContent = new Date().toISOString().slice(17, 23);
    item.append(time, ` ${text}`);
    list.append(item);
    while (list.children.length > max) list.firstElementChild?.remove();
  };
}

/** Shows `value` in the `[data-stat="name"]` element of `root`, and as `data-name` on `root`. */
export function stat(root: HTMLElement, name: string, value: string | number): void {
  $(`[data-stat="${name}"]`, root).textContent = String(value);
  root.dataset[name] = String(value);
}
