// @ts-nocheck
// With the DOM lib (see usage.ts): ssekit's EventSource is a drop-in for lib.dom's, and what users
// take from lib.dom's RequestInit is accepted.
import { EventSource, type RequestInitFields, SSEClient } from "ssekit";

export const Constructor: typeof globalThis.EventSource = EventSource;
export const instance: globalThis.EventSource = new EventSource("/events");

const requestInit: RequestInit = {
  cache: "no-store",
  credentials: "include",
  integrity: "sha384-abc",
  keepalive: true,
  mode: "cors",
  redirect: "manual",
  referrer: "about:client",
  referrerPolicy: "strict-origin-when-cross-origin",
};
export const fields: Pick<
  RequestInit,
  | "cache"
  | "credentials"
  | "integrity"
  | "keepalive"
  | "mode"
  | "redirect"
  | "referrer"
  | "referrerPolicy"
> = requestInit;
export const accepted: RequestInitFields = fields;
export const client = new SSEClient("/x", {
  ...fields,
  headers: new Headers({ accept: "text/event-stream" }),
  body: new Blob(["x"]),
  method: "POST",
});

const controller = new AbortController();
const options: AddEventListenerOptions = { once: true, signal: controller.signal };
const listener: EventListenerObject = { handleEvent: (event) => console.log(event.type) };
instance.addEventListener("message", listener, options);
new EventSource("/x").addEventListener("message", (event: MessageEvent<string>) => event.data);
