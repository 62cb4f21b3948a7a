/**
 * The page's files: `/` (index.html), two style sheets, and `/app.js`: the page's TypeScript bundled
 * with ssekit's source for the browser by esbuild (a devDependency) when it is first asked for.
 * Bundling the source, not `dist/`, needs no build step before `npm run demo` and always serves
 * the code of the checkout. No CDN, no network.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const PAGE = fileURLToPath(new URL("./page/", import.meta.url));

const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
  "/panels.css": { file: "panels.css", type: "text/css; charset=utf-8" },
};

/** The page's script with ssekit in it: one ES module, with an inline source map. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [`${PAGE}main.ts`],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: "inline",
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error("esbuild produced no output for the demo page");
  return output.text;
}

/** Serves the page's files; `handle` says whether the request was for one of them. */
export function createAssets(): {
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
} {
  let script: Promise<string> | undefined;
  const send = (res: ServerResponse, type: string, body: string) =>
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
  const fail = (res: ServerResponse, error: unknown) => {
    console.error("[ssekit demo] cannot serve the page:", error);
    res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
  };
  return {
    handle(req, res, path) {
      if (req.method !== "GET") return false;
      if (path === "/app.js") {
        script ??= bundle();
        script
          .then((text) => send(res, "text/javascript; charset=utf-8", text))
          .catch((error) => {
            script = undefined; // Built again on the next request, once the source is fixed.
            fail(res, error);
          });
        return true;
      }
      const asset = FILES[path];
      if (!asset) return false;
      readFile(`${PAGE}${asset.file}`, "utf8").then(
        (text) => send(res, asset.type, text),
        (error) => fail(res, error),
      );
      return true;
    },
  };
}
