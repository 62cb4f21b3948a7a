/**
 * What ships, as an app ships it: the package is built with the project's own tsup config
 * (test/fixtures/build.ts), then bundled and minified by esbuild the way a production build of an app
 * would (classes renamed, private names shortened), in ESM and in CJS. Every other test runs the
 * sources; this one runs the published code, where the build shortens the engine's `_x` members
 * (tsup.config.ts) and a minifier renames every class.
 *
 * Against each minified build: the whole EventSource conformance suite, the names of the classes
 * users see (errors and EventSource), and SSEClient end to end (POST, auth refresh, resume after
 * drops, idle timeout, close).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build as bundle } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SSEKIT_NODE_LIMITATIONS } from "./event-source/deviations.js";
import { defineSuite } from "./event-source/suite/index.js";
import { buildPackage, removeBuild } from "./fixtures/build.js";
import { type FixtureServer, startFixtureServer } from "./fixtures/server.js";

type Ssekit = typeof import("../src/index.js");

const outDir = await buildPackage();
afterAll(() => removeBuild(outDir));

/** An app whose one module is `source` (importing from the build), built for production. */
async function minifiedApp(source: string, format: "esm" | "cjs" = "esm"): Promise<string> {
  const built = await bundle({
    stdin: { contents: source, resolveDir: outDir },
    bundle: true,
    minify: true,
    format,
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  return built.outputFiles[0]?.text ?? "";
}

/** An app exporting everything from the package's ESM or CJS build, written next to the build. */
async function wholeApp(format: "esm" | "cjs"): Promise<string> {
  const file = join(outDir, `app.min.${format === "esm" ? "mjs" : "cjs"}`);
  const index = format === "esm" ? "./index.js" : "./index.cjs";
  writeFileSync(file, await minifiedApp(`export * from "${index}";`, format));
  return file;
}

const builds: [string, Ssekit][] = [
  ["minified ESM build", (await import(pathToFileURL(await wholeApp("esm")).href)) as Ssekit],
  ["minified CJS build", createRequire(import.meta.url)(await wholeApp("cjs")) as Ssekit],
];

let server: FixtureServer | undefined;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());
const serverUrl = () => {
  if (!server) throw new Error("fixture server not started");
  return server.url;
};

it("the build shortens the engine's internal `_x` members (tsup.config.ts, mangleProps)", () => {
  const files = readdirSync(outDir).filter(
    (file) => /\.c?js$/.test(file) && !file.startsWith("app."),
  );
  expect(files).toContain("index.js");
  expect(files).toContain("index.cjs");
  for (const file of files) {
    const code = readFileSync(join(outDir, file), "utf8");
    expect(code.match(/\._[a-zA-Z]\w*/g) ?? [], file).toEqual([]);
  }
});

describe("tree shaking: an app gets only what it imports", () => {
  /** An app importing `names` from the package, bundled and minified for production. */
  const appImporting = (names: string) => minifiedApp(`export { ${names} } from "./index.js";`);
  // Markers of EventSource and of the DOM fallbacks it brings.
  const eventSourceMarkers = ['"EventSource"', "stopImmediatePropagation", "withCredentials"];

  it.each(["SSEClient", "createParser", "SSEParserStream", "HttpError"])(
    "%s: no EventSource",
    async (names) => {
      const code = await appImporting(names);
      for (const marker of eventSourceMarkers) expect(code, marker).not.toContain(marker);
    },
  );

  // Markers of the sharing module (src/share/): its lock and channel names, the APIs it uses.
  const shareMarkers = ["ssekit:share:", "BroadcastChannel", "locks"];

  it.each(["SSEClient", "SSEClient, EventSource, createParser"])(
    "%s: no sharing code without ssekit/share",
    async (names) => {
      const code = await appImporting(names);
      for (const marker of shareMarkers) expect(code, marker).not.toContain(marker);
    },
  );

  it('SSEClient and "ssekit/share": the sharing code, which registers itself', async () => {
    const code = await minifiedApp(`import "./share.js"; export { SSEClient } from "./index.js";`);
    for (const marker of shareMarkers) expect(code, marker).toContain(marker);
  });

  it("EventSource: no SSEClient (its backoff, auth, status table)", async () => {
    const code = await appImporting("EventSource");
    for (const marker of eventSourceMarkers) expect(code, marker).toContain(marker);
    // (`Bearer`, the auth option's: the engine itself sets `authorization` for URL credentials.)
    for (const marker of ["maxAttempts", "Retry-After", "retry-after", "Bearer"]) {
      expect(code, marker).not.toContain(marker);
    }
  });
});

for (const [name, ssekit] of builds) {
  it(`${name}: the code is minified`, () => {
    // A guard on the guard: were the builds not minified, the tests below would prove nothing.
    expect(ssekit.SSEClient.toString()).not.toContain("#connection");
    expect(ssekit.EventSource.toString()).not.toContain("#readyState");
  });

  defineSuite(`ssekit EventSource, ${name} (Node)`, ssekit.EventSource, serverUrl, {
    runtime: "node",
    extensions: true,
    skip: SSEKIT_NODE_LIMITATIONS,
  });

  describe(`${name}: class names survive minification`, () => {
    const response = new Response("", { status: 500, headers: { "content-type": "text/plain" } });
    const message = { type: "message", data: "x", lastEventId: "" };
    const errors: Record<string, Error> = {
      SSEError: new ssekit.SSEError("x"),
      CallbackError: new ssekit.CallbackError("headers", new Error("x")),
      ConnectTimeoutError: new ssekit.ConnectTimeoutError(1),
      ContentTypeError: new ssekit.ContentTypeError(response),
      DataParseError: new ssekit.DataParseError(message, new Error("x")),
      HttpError: new ssekit.HttpError(response, "x"),
      IdleTimeoutError: new ssekit.IdleTimeoutError(1),
      MissingBodyError: new ssekit.MissingBodyError(response),
      NetworkError: new ssekit.NetworkError(new Error("x"), false),
      ParseError: new ssekit.ParseError(1),
      RetriesExhaustedError: new ssekit.RetriesExhaustedError(1, new ssekit.SSEError("x")),
    };
    it.each(Object.entries(errors))("%s", (className, error) => {
      expect(error.name).toBe(className);
      expect(error).toBeInstanceOf(ssekit[className as keyof Ssekit] as typeof Error);
      expect(error).toBeInstanceOf(ssekit.SSEError);
      expect(String(error)).toMatch(new RegExp(`^${className}: `));
    });
    it("EventSource", () => {
      expect(ssekit.EventSource.name).toBe("EventSource");
      expect(Object.prototype.toString.call(ssekit.EventSource.prototype)).toBe(
        "[object EventSource]",
      );
    });
  });

  describe(`${name}: SSEClient`, () => {
    it("refreshes the token on a 401 and reconnects with the new one", async () => {
      let token = "stale";
      let refreshes = 0;
      const client = new ssekit.SSEClient(`${serverUrl()}/client/auth`, {
        auth: {
          token: () => token,
          refresh: async () => {
            refreshes++;
            token = "fresh";
          },
        },
      });
      for await (const message of client) {
        expect(message.data).toBe("welcome");
        break;
      }
      expect(refreshes).toBe(1);
      expect(client.readyState).toBe("closed");
    });

    it("POSTs, resumes after dropped connections, every event once and in order", async () => {
      const retries: number[] = [];
      const client = new ssekit.SSEClient(
        `${serverUrl()}/client/numbered?key=dist-${name.replace(/\W/g, "")}&n=8&drop=2,5&end=6`,
        {
          method: "POST",
          body: { topic: "dist" },
          headers: () => ({ "x-build": name }),
          retry: { initialDelay: 10, jitter: 0 },
          // A POST stream that ends cleanly is done, unless asked to reconnect.
          reconnectOnEnd: true,
          onRetry: (info) => retries.push(info.attempt),
        },
      );
      const seen: string[] = [];
      for await (const message of client) {
        seen.push(`${message.lastEventId}=${message.data}`);
        if (seen.length === 8) break;
      }
      expect(seen).toEqual(["1=1", "2=2", "é-3=3", "4=4", "5=5", "é-6=6", "7=7", "8=8"]);
      // Three reconnections (two drops, one clean end), each after delivered events: attempt 1.
      expect(retries).toEqual([1, 1, 1]);
    });

    it("drops a silent connection after idleTimeout with an IdleTimeoutError", async () => {
      const errors: unknown[] = [];
      let timedOut!: () => void;
      const idle = new Promise<void>((resolve) => {
        timedOut = resolve;
      });
      const client = new ssekit.SSEClient(`${serverUrl()}/client/numbered?n=1&last=hold`, {
        idleTimeout: 50,
        retry: { initialDelay: 10, jitter: 0 },
        onError: (error) => {
          errors.push(error);
          timedOut();
        },
      });
      await idle;
      client.close();
      expect(errors[0]).toBeInstanceOf(ssekit.IdleTimeoutError);
      expect((errors[0] as Error).name).toBe("IdleTimeoutError");
      expect(client.readyState).toBe("closed");
    });
  });
}
