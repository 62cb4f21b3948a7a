/**
 * What the CLI prints about an error: the error's class and message, which tell a refused
 * connection from a 401, a 404 or a response that is not an event stream, and for a status a line
 * saying what usually fixes it, then the start of the server's own explanation (its body, control
 * characters escaped).
 */
import { ContentTypeError, HttpError, SSEError } from "../index.js";
import { visible } from "./format.js";

/** The most lines of an error body printed. */
const BODY_LINES = 5;

/** What usually fixes a status, for the statuses a wrong command line gets. */
const HINTS: Record<number, string> = {
  400: "the server rejected the request: check the body (-d, --json) and the headers (-H)",
  401: "the server wants credentials, e.g. -H 'Authorization: Bearer <token>'",
  403: "the credentials sent do not allow this stream",
  404: "there is no stream at this URL: check the path",
  405: "the server does not take this method here: check -X",
  415: "the server does not take this body: set its type, e.g. -H 'Content-Type: …' or --json",
};

/** The lines describing `error`; the first names it, the others are indented. */
export function describeError(error: unknown): string[] {
  if (!(error instanceof SSEError)) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return [`internal error (please report it): ${text}`];
  }
  const lines = [`${error.name}: ${error.message}`];
  if (error instanceof HttpError) {
    const hint = HINTS[error.status] ?? (error.status >= 500 ? "the server failed" : undefined);
    if (hint) lines.push(`  ${hint}`);
    const body = error.body
      .trim()
      .split(/\r\n|\r|\n/)
      .slice(0, BODY_LINES);
    if (body[0]) lines.push("  the server said:", ...body.map((line) => `    ${visible(line)}`));
  } else if (error instanceof ContentTypeError) {
    lines.push(
      `  the server answered ${error.status}, but not with an event stream: is this URL one?`,
    );
  }
  return lines;
}
