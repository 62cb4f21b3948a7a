// @ts-nocheck
// Without the DOM lib (see usage.ts): @types/node's fetch types go in, whatever their version.
import { EventSource, type RequestInitFields, SSEClient } from "ssekit";

// The fields @types/node's RequestInit has in every version (v24 adds `cache`).
const requestInit: RequestInit = {
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
  "credentials" | "integrity" | "keepalive" | "mode" | "redirect" | "referrer" | "referrerPolicy"
> = requestInit;
export const accepted: RequestInitFields = fields;
export const client = new SSEClient("/x", {
  ...fields,
  headers: new Headers([["accept", "text/event-stream"]]),
  body: new Uint8Array([1, 2, 3]),
  method: "POST",
  fetch,
  signal: AbortSignal.timeout(1000),
});
export const source = new EventSource("/x", { fetch: (input, init) => fetch(input, init) });
source.addEventListener("message", (event) => console.log((event as MessageEvent).data));
