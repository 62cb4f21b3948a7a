/**
 * The headline ratios as an SVG bar chart, written by hand (no dependency): one bar per ratio,
 * the target as a dashed line, green where the target is met and orange where it is missed.
 */
import type { Report } from "./results.js";
import { fmtX } from "./stats.js";
import { CLIENT, ON_CPU_MAX, PARSER_MAX } from "./targets.js";

export interface Bar {
  label: string;
  ratio: number;
  /** The ratio must be at most this (at or below: met). */
  target: number;
}

export interface Panel {
  title: string;
  bars: Bar[];
}

/** The panels of the chart: parser, client on(), client for await. */
export function headlinePanels(report: Report): Panel[] {
  const parser: Bar[] = [];
  for (const row of report.parser.rows) {
    const id = row.stream ? "ssekit-stream" : "ssekit";
    const cell = row.cells.find((c) => c.id === id);
    if (cell !== undefined)
      parser.push({ label: row.group, ratio: cell.vsPeer, target: row.stream ? 1 : PARSER_MAX });
  }
  const on: Bar[] = [];
  const iterator: Bar[] = [];
  for (const t of report.client.cpu) {
    const cell = (name: string) => t.cells.find((c) => c.name === name);
    const own = cell(CLIENT.on);
    if (own !== undefined)
      on.push({ label: t.stream, ratio: own.vsHandWritten, target: ON_CPU_MAX });
    const mine = cell(CLIENT.forAwait);
    const peer = cell(CLIENT.peerForAwait);
    if (mine !== undefined && peer !== undefined)
      iterator.push({ label: t.stream, ratio: mine.nsPerEvent / peer.nsPerEvent, target: 1 });
  }
  return [
    { title: "Parser: ssekit ÷ eventsource-parser 4.1.3 (time; lower is better)", bars: parser },
    {
      title: "SSEClient on(): CPU per event ÷ hand-written fetch + eventsource-parser 4.1.3",
      bars: on,
    },
    { title: "SSEClient for await: CPU per event ÷ eventsource-client for await", bars: iterator },
  ];
}

const WIDTH = 760;
const LABEL = 130;
const PLOT = WIDTH - LABEL - 70;
const ROW = 20;
const TITLE = 36;
const GAP = 14;

function xmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A standalone SVG document of the panels. */
export function renderChart(panels: readonly Panel[], caption: string): string {
  const all = panels.flatMap((p) => p.bars);
  const max = Math.max(1.2, ...all.map((b) => Math.min(b.ratio, 3)), ...all.map((b) => b.target));
  const scale = (x: number) => LABEL + (Math.min(x, max) / max) * PLOT;
  const parts: string[] = [];
  let y = 34;
  for (const panel of panels) {
    parts.push(`<text x="10" y="${y + 16}" class="title">${xmlText(panel.title)}</text>`);
    y += TITLE;
    const top = y;
    for (const bar of panel.bars) {
      const met = bar.ratio <= bar.target;
      const width = Math.max(1, scale(bar.ratio) - LABEL);
      parts.push(
        `<text x="${LABEL - 8}" y="${y + 14}" class="label" text-anchor="end">${xmlText(bar.label)}</text>`,
        `<rect x="${LABEL}" y="${y + 3}" width="${width.toFixed(1)}" height="${ROW - 6}" class="${met ? "met" : "missed"}"/>`,
        `<text x="${(LABEL + width + 6).toFixed(1)}" y="${y + 14}" class="value">${fmtX(bar.ratio)}</text>`,
      );
      y += ROW;
    }
    for (const target of new Set(panel.bars.map((b) => b.target))) {
      const x = scale(target).toFixed(1);
      parts.push(
        `<line x1="${x}" y1="${top}" x2="${x}" y2="${y}" class="target"/>`,
        `<text x="${x}" y="${top - 2}" class="tick" text-anchor="middle">target ${fmtX(target)}</text>`,
      );
    }
    const one = scale(1).toFixed(1);
    parts.push(`<line x1="${one}" y1="${top}" x2="${one}" y2="${y}" class="one"/>`);
    y += GAP;
  }
  const height = y + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="ssekit benchmark ratios">`,
    "<style>",
    "text { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; font-size: 12px; fill: #24292f; }",
    ".title { font-size: 13px; font-weight: 600; } .tick { font-size: 10px; fill: #57606a; }",
    ".value { font-size: 11px; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; } .met { fill: #2da44e; } .missed { fill: #e16f24; }",
    ".target { stroke: #24292f; stroke-dasharray: 4 3; } .one { stroke: #8c959f; stroke-width: 0.5; }",
    "</style>",
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="18" class="title">ssekit ÷ peer, measured side by side in one run (green: target met; orange: missed)</text>`,
    ...parts,
    `<text x="10" y="${height - 8}" class="tick">${xmlText(caption)}</text>`,
    "</svg>",
    "",
  ].join("\n");
}
