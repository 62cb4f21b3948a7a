/** The machine a benchmark runs on, and the versions of everything it measures. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, totalmem } from "node:os";
import type { Machine } from "./results.js";

/** The peers measured, by the name they are installed under (node_modules). */
export const PEERS = [
  "eventsource-parser",
  "eventsource-parser-4",
  "eventsource",
  "eventsource-5",
  "eventsource-client",
  "@microsoft/fetch-event-source",
  "fetch-event-stream",
] as const;

const root = new URL("../", import.meta.url);

function versionOf(dir: string): string {
  const json: unknown = JSON.parse(readFileSync(new URL(`${dir}package.json`, root), "utf8"));
  const version = (json as { version?: unknown }).version;
  if (typeof version !== "string") throw new Error(`${dir}package.json has no version`);
  return version;
}

function commit(): string {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  const head = git("rev-parse", "--short", "HEAD");
  return git("status", "--porcelain", "--untracked-files=no") === "" ? head : `${head}-dirty`;
}

export function machine(): Machine {
  const cpu = cpus();
  const versions: Record<string, string> = { ssekit: versionOf("") };
  for (const peer of PEERS) versions[peer] = versionOf(`node_modules/${peer}/`);
  return {
    date: new Date().toISOString(),
    cpu: cpu[0]?.model.trim() ?? "unknown CPU",
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${platform()}-${arch()}`,
    load: loadavg().map((l) => Math.round(l * 100) / 100),
    commit: commit(),
    versions,
  };
}

/** One line: what a run measured on. */
export function machineLine(m: Machine): string {
  return `Node ${m.node} ${m.platform}, ${m.cores} x ${m.cpu}, ${m.memoryGiB} GiB, load average ${m.load.join(" / ")}; ssekit ${m.versions.ssekit} at ${m.commit}`;
}
