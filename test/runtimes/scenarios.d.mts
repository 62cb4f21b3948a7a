// Types of scenarios.mjs (plain JavaScript, so that every runtime loads it as it is).
import type * as Ssekit from "../../src/index.js";
import type { Report } from "./report.js";

export const PARSER_INPUT: string;
export function runScenarios(ssekit: typeof Ssekit, base: string, key: string): Promise<Report>;
