/**
 * The EventSource conformance suite (test/event-source/suite/) against ssekit's EventSource in
 * Node, on the fixture server (test/fixtures/server.ts) started here.
 */
import { afterAll, beforeAll } from "vitest";
import { EventSource } from "../../src/index.js";
import { type FixtureServer, startFixtureServer } from "../fixtures/server.js";
import { SSEKIT_NODE_LIMITATIONS } from "./deviations.js";
import { defineSuite } from "./suite/index.js";

let server: FixtureServer | undefined;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

defineSuite(
  "ssekit EventSource (Node)",
  EventSource,
  () => {
    if (!server) throw new Error("fixture server not started");
    return server.url;
  },
  { runtime: "node", extensions: true, skip: SSEKIT_NODE_LIMITATIONS },
);
