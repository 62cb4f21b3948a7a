/**
 * Colours for one output stream: a few ANSI codes, used only when the stream is a terminal and
 * `NO_COLOR` is unset or empty (https://no-color.org); otherwise every style returns the text as
 * it is.
 */

/** The styles the CLI uses. */
export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** The styles for `stream`: coloured on a terminal without `NO_COLOR`, plain otherwise. */
export function paintFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Paint {
  const on = stream.isTTY === true && !env.NO_COLOR;
  const style = (code: string) => (text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
  return {
    bold: style("1"),
    dim: style("2"),
    red: style("31"),
    green: style("32"),
    yellow: style("33"),
    cyan: style("36"),
  };
}
