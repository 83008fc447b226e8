/**
 * `npm run bench:review -- <file.jsonl>... (--review JSON | --multilingual JSON) [--model NAME|/path/] [--direction input|output] [--limit N]`
 *
 * What a classifier second review (the cascade: `policy.secondReview` with a `margin`) costs per
 * screen on real texts: how often the second model runs depends on the texts, so the bench texts
 * of `npm run bench` cannot say. Screens every row one at a time, in Node (the worker's pipeline
 * code, onnxruntime-web WASM on one thread), first with the preset alone and then with the review,
 * and prints p50/p95/p99 of each screen's `timings.totalMs`, and the share of texts reviewed.
 * Each guard screens the first 20 rows once before timing (warm-up). `--direction output` screens
 * the rows as model replies. `--multilingual` times a multilingual reader instead
 * (`policy.language.multilingual`): "reviewed" are then the texts it read. Speed is printed, never asserted.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ClassifierReviewPolicy, MultilingualReaderPolicy } from '../../src/policy/policy.js';
import { modelPathFor } from '../eval/model-path.js';
import { parseDirectionOption, parseMultilingualOption, parseReviewOption } from '../eval/script-options.js';
import { createNodeGuard } from '../node/node-guard.js';
import { summarize, type LatencySummary } from './stats.js';

const root = new URL('../../', import.meta.url).pathname;
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { review: { type: 'string' }, multilingual: { type: 'string' }, model: { type: 'string' }, limit: { type: 'string' }, direction: { type: 'string', default: 'input' } },
});
const direction = parseDirectionOption(args.direction);

/** The second model timed: a classifier review, or a multilingual reader. */
type Extra = { review: ClassifierReviewPolicy } | { multilingual: MultilingualReaderPolicy };

function extraOf(review: string | undefined, multilingual: string | undefined): Extra {
  if (review && !multilingual) return { review: parseReviewOption(review) };
  if (multilingual && !review) return { multilingual: parseMultilingualOption(multilingual) };
  throw new Error('one of --review JSON (e.g. \'{"model":{"url":"/models/guard-minilm/"},"margin":[2,1],"labels":["injection","jailbreak"]}\') and --multilingual JSON (e.g. \'{"model":{"url":"/models/guard-use-m3/"},"languages":["zh"]}\') is required');
}

async function timeScreens(texts: string[], extra?: Extra): Promise<{ all: number[]; reviewed: number[] }> {
  const guard = await createNodeGuard({ modelPath: modelPathFor(args.model, root), policy: 'balanced', ...extra });
  try {
    for (const text of texts.slice(0, 20)) await guard.screen(text, { direction });
    const all: number[] = [];
    const reviewed: number[] = [];
    for (const text of texts) {
      const verdict = await guard.screen(text, { direction });
      if (verdict.secondReview?.failed) throw new Error(`the review failed: ${verdict.secondReview.failed}`);
      if (verdict.language?.modelFailed) throw new Error(`the multilingual reader failed: ${verdict.language.modelFailed}`);
      all.push(verdict.timings.totalMs);
      if (verdict.secondReview || verdict.language?.model) reviewed.push(verdict.timings.totalMs);
    }
    return { all, reviewed };
  } finally {
    await guard.dispose();
  }
}

const line = (name: string, s: LatencySummary) =>
  `${name.padEnd(34)} ${String(s.n).padStart(6)} ${s.p50.toFixed(1).padStart(8)} ${s.p95.toFixed(1).padStart(8)} ${s.p99.toFixed(1).padStart(8)} ${s.mean.toFixed(1).padStart(8)}`;

async function main(): Promise<void> {
  const extra = extraOf(args.review, args.multilingual);
  let texts = positionals.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { text: string }).text));
  if (args.limit) texts = texts.slice(0, Number(args.limit));
  const alone = await timeScreens(texts);
  const cascade = await timeScreens(texts, extra);
  console.log(`\nper-screen latency, ms (Node ${process.version}, onnxruntime-web WASM, 1 thread; ${texts.length} texts as ${direction === 'output' ? 'replies' : 'prompts'}, one at a time)`);
  console.log(`${'review' in extra ? 'review' : 'multilingual reader'}: ${JSON.stringify('review' in extra ? extra.review : extra.multilingual)}`);
  console.log(`${''.padEnd(34)} ${'n'.padStart(6)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'mean'.padStart(8)}`);
  console.log(line('preset alone', summarize(alone.all)));
  const what = 'review' in extra ? 'the review' : 'the reader';
  const done = 'review' in extra ? 'reviewed' : 'read by it';
  console.log(line(`with ${what}: every screen`, summarize(cascade.all)));
  console.log(line(`with ${what}: screens ${done}`, summarize(cascade.reviewed)));
  console.log(`${done}: ${cascade.reviewed.length} of ${texts.length} (${((100 * cascade.reviewed.length) / texts.length).toFixed(1)}%); the first text that needs the second model also waits for its load`);
}

// Exit at once: V8 keeps compiling onnxruntime-web's WASM in the background (see run-eval.ts).
main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
