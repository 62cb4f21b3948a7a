/**
 * OpenAI-style `chat.completion.chunk` events, the stream an LLM API sends token by token, with
 * a chosen share of non-ASCII tokens. JSON.stringify keeps non-ASCII text raw (UTF-8 on the
 * wire), as the APIs send it: no `\uXXXX` escapes.
 *
 * Shared by the parser workloads (bench/workloads.ts) and the client benchmark's server
 * (bench/client-server.ts), so both measure the same streams.
 */
import type { Rng } from "./random.js";
import { pick, randInt, randomId } from "./random.js";

// biome-ignore format: a word list reads better packed
const ASCII_TOKENS = [
  " the", " of", " and", " to", " a", " in", " is", " that", " for", " it", " as", " with", " on",
  " be", " this", " by", " are", " model", " token", " stream", " server", " event", " data", "ing",
  "ed", "ly", "s", ",", ".", ":", " (", ")", " \"", "\"", "\n", "\n\n", " 42", " 2024", " API",
  " JSON", " function", " return", " const", " =>", " {", " }", " Hello", " world", "!", "?",
];

// biome-ignore format: a word list reads better packed
const ACCENTED = [
  " café", " naïve", " déjà", " vu", " über", " für", " größer", " señor", " año", " ça", " été",
  " façade", " São", " Paulo", " crème", " brûlée", " Ångström", " smörgåsbord", " élève", "é",
  " Zürich", " résumé", " piñata", " coöperate", " Łódź", " žluťoučký",
];
// biome-ignore format: a word list reads better packed
const EMOJI = [
  "🎉", " 🚀", "👍", " 😊", "🙂", " ✅", "❤️", " 🔥", "👍🏽", " 👨‍👩‍👧‍👦", "🏳️‍🌈", " 🇯🇵", "🤖", " 💡",
  "😂", " 🙏", "✨", " 📈", "⚠️", " 🧵",
];
// biome-ignore format: a word list reads better packed
const CJK = [
  "的", "是", "在", "我们", "模型", "数据", "服务器", "事件", "流", "，", "。", "：", "“", "”", "一个",
  "可以", "使用", "返回", "函数", "中文", "日本語", "です", "します", "한국어", "입니다", "你好",
  "世界", "问题", "答案", "因为", "所以", "（", "）", "、",
];

/** Where a non-ASCII token is drawn from, and how often. */
export interface Language {
  /** Share of tokens drawn from `tokens` instead of the ASCII list, in [0, 1]. */
  share: number;
  tokens: readonly string[];
}

/** The token mixes of the workloads, by name. */
export const LANGUAGES = {
  /** English-only tokens: no byte above 0x7f. */
  ascii: { share: 0, tokens: [] },
  /** A few accented words, emoji and CJK characters in English text (about 3 % of tokens). */
  few: { share: 0.03, tokens: [...ACCENTED, ...EMOJI, ...CJK] },
  /** Mostly-English text with much non-ASCII (about 30 % of tokens). */
  many: { share: 0.3, tokens: [...ACCENTED, ...EMOJI, ...CJK] },
  /** A Chinese answer: every token CJK text or CJK punctuation. */
  chinese: { share: 1, tokens: CJK },
  /** Half the tokens emoji, with ZWJ sequences, skin tones and flags. */
  emoji: { share: 0.5, tokens: EMOJI },
} as const satisfies Record<string, Language>;

export type LanguageName = keyof typeof LANGUAGES;

/** The events as text, with what a parser must report: event count and summed data length. */
export interface LlmText {
  text: string;
  events: number;
  /** Summed `data.length` (UTF-16 code units) of the events. */
  dataLength: number;
  /** Tokens drawn from the non-ASCII list. */
  nonAsciiTokens: number;
}

/**
 * `count` chat.completion.chunk events (~150 B each with ASCII tokens), each `data: <json>` and a
 * blank line. A new completion (id, timestamp) starts every 400 tokens.
 */
export function llmText(rng: Rng, count: number, language: Language = LANGUAGES.ascii): LlmText {
  const parts: string[] = [];
  let dataLength = 0;
  let nonAsciiTokens = 0;
  let id = "";
  let created = 1_718_000_000;
  for (let i = 0; i < count; i++) {
    if (i % 400 === 0) {
      id = `chatcmpl-${randomId(rng, 29)}`;
      created += randInt(rng, 1, 90);
    }
    let token: string;
    // The draw order of the ASCII mix is the one `llm` always had: its bytes stay the same.
    if (language.share > 0 && rng() < language.share) {
      token = pick(rng, language.tokens);
      nonAsciiTokens++;
    } else {
      token = pick(rng, ASCII_TOKENS);
    }
    const json = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"choices":[{"delta":{"content":${JSON.stringify(token)}}}]}`;
    dataLength += json.length;
    parts.push(`data: ${json}\n\n`);
  }
  return { text: parts.join(""), events: count, dataLength, nonAsciiTokens };
}
