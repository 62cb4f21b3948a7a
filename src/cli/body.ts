/**
 * The request body of `-d` and `--json`: the text given, or the bytes of `@file` or of stdin
 * (`@-`), read once before connecting so that a reconnection sends the same body. `--json` bodies
 * must parse as JSON.
 */
import { readFile } from "node:fs/promises";
import type { BodySource } from "./args.js";
import { UsageError } from "./args.js";

/**
 * The body's bytes, sent as they are (no newline is stripped, nothing is encoded), as a `Blob`
 * with no type: `fetch` then adds no `Content-Type` of its own.
 */
export async function readBody(source: BodySource, json: boolean): Promise<Blob> {
  const flag = json ? "--json" : "-d";
  let bytes: Uint8Array<ArrayBuffer>;
  if ("text" in source) bytes = new TextEncoder().encode(source.text);
  else if (source.file === "-") bytes = await readStdin();
  else {
    try {
      bytes = new Uint8Array(await readFile(source.file));
    } catch (error) {
      throw new UsageError(`${flag}: cannot read ${source.file}: ${(error as Error).message}`);
    }
  }
  if (json) {
    try {
      JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (error) {
      throw new UsageError(`--json: not valid JSON: ${(error as Error).message}`);
    }
  }
  return new Blob([bytes]);
}

async function readStdin(): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
