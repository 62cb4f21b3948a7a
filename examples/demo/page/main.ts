/**
 * The demo page's script, bundled with ssekit's source by examples/demo/assets.ts: five streams
 * at once on one page, every one read by `SSEClient`.
 */
import { startChat } from "./chat.js";
import { startFeed } from "./feed.js";
import { startStreams } from "./streams.js";

startChat();
startFeed();
startStreams();
