/**
 * Scores the validation and test rows of a prepared rows file as the engine cuts a text: the
 * engine's own window code (src/inference/windows.ts: windows of 128 tokens sharing 32 and, with
 * `--fine 32/16`, the finer pass a guard can turn on), the score per label the maximum over a
 * text's windows. The model runs on onnxruntime-node (the int8 file, its activations quantized
 * per token, in runs of equal-length rows as the engine makes them: a row scores the same in
 * any batch), so the whole split takes a minute or two, not the 25 minutes of the engine itself
 * in Node.
 *
 *   npx tsx models/train/5-measure/score-windows.ts <model-dir> <rows.jsonl> <out.jsonl> [--fine 32/16|off] [--tokens 128] [--all-windows]
 *
 * Output: one line per val/test row, in file order: {split, source, category, y, logits, main_windows}
 * with the per-label maximum logit over the text's windows, no window-count penalty (stage 6's
 * window_penalty.py reads it and fits the penalty from these unpenalized logits). With
 * --all-windows each line also holds `window_logits`: every row's logits, main windows first, then
 * the fine pass's (for studies of how windows score, e.g. calibrating the fine pass).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Tokenizer } from '@huggingface/tokenizers';
import ort from 'onnxruntime-node';
import { LABELS } from '../lib/labels.mjs';
import { DEFAULT_RUN_LIMITS, planRuns, stackTokenRows } from '../../../src/inference/token-batch.js';
import { DEFAULT_WINDOW, modelMaxLength, planWindows, textLogits, windowRows, type WindowOptions } from '../../../src/inference/windows.js';

interface PreparedRow {
  text: string;
  y: number[];
  split: string;
  source: string;
  category?: string | null;
}

const { values: opts, positionals } = parseArgs({ allowPositionals: true, options: { fine: { type: 'string' }, tokens: { type: 'string' }, 'all-windows': { type: 'boolean' } } });
const [modelDir, rowsFile, outFile] = positionals;
if (!modelDir || !rowsFile || !outFile) throw new Error('usage: score-windows.ts <model-dir> <rows.jsonl> <out.jsonl> [--fine 32/16|off] [--tokens 128] [--all-windows]');
const fine = opts.fine === undefined ? DEFAULT_WINDOW.fine : opts.fine === 'off' ? null
  : { tokens: Number(opts.fine.split('/')[0]), overlap: Number(opts.fine.split('/')[1]) };
const window: WindowOptions = { ...DEFAULT_WINDOW, tokens: Number(opts.tokens ?? DEFAULT_WINDOW.tokens), fine };

const read = (f: string) => JSON.parse(readFileSync(join(modelDir, f), 'utf8'));
const config = read('config.json');
const tokenizerConfig = read('tokenizer_config.json');
const tokenizer = new Tokenizer(read('tokenizer.json'), tokenizerConfig);
const plan = planWindows(tokenizer.encode('').ids, modelMaxLength(tokenizerConfig.model_max_length, config.max_position_embeddings), window);
const labels: string[] = Object.entries(config.id2label as Record<string, string>).sort(([a], [b]) => Number(a) - Number(b)).map(([, l]) => l);

const rows: PreparedRow[] = readFileSync(rowsFile, 'utf8').split('\n').filter(Boolean)
  .map((l) => JSON.parse(l) as PreparedRow).filter((r) => r.split === 'val' || r.split === 'test');
const session = await ort.InferenceSession.create(join(modelDir, 'onnx', 'model_quantized.onnx'), { intraOpNumThreads: 2, interOpNumThreads: 1 });

// Every window of every text, run in batches of one length; each text combines its own rows as the engine does.
const windows: { row: number; k: number; ids: number[] }[] = [];
const mainWindows: number[] = [];
const logitsOf: Float32Array[][] = [];
rows.forEach((r, row) => {
  const text = windowRows(tokenizer.encode(r.text, { add_special_tokens: false }).ids, plan);
  mainWindows.push(text.mainWindows);
  logitsOf.push(text.rows.map(() => new Float32Array(labels.length)));
  text.rows.forEach((ids, k) => windows.push({ row, k, ids }));
});
const t0 = Date.now();
for (const run of planRuns(windows.map((w) => w.ids.length), DEFAULT_RUN_LIMITS)) {
  const batch = run.map((i) => windows[i]!);
  const { inputIds, attentionMask, dims } = stackTokenRows(batch.map((w) => w.ids));
  const out = await session.run({ input_ids: new ort.Tensor('int64', inputIds, dims), attention_mask: new ort.Tensor('int64', attentionMask, dims) });
  const z = out.logits!.data as Float32Array;
  batch.forEach((w, b) => logitsOf[w.row]![w.k]!.set(z.subarray(b * labels.length, (b + 1) * labels.length)));
}
const best = rows.map((_, i) => textLogits(logitsOf[i]!, mainWindows[i]!));
writeFileSync(outFile, rows.map((r, i) => JSON.stringify({ split: r.split, source: r.source, category: r.category ?? null, y: r.y,
  logits: LABELS.map((l) => Number(best[i]![labels.indexOf(l)]!.toFixed(6))), main_windows: mainWindows[i],
  ...(opts['all-windows'] ? { window_logits: logitsOf[i]!.map((z) => LABELS.map((l) => Number(z[labels.indexOf(l)]!.toFixed(5)))) } : {}) })).join('\n') + '\n');
console.log(`score-windows: ${rows.length} texts, ${windows.length} windows (${JSON.stringify(plan.window)}) in ${((Date.now() - t0) / 1000).toFixed(0)} s -> ${outFile}`);
