/**
 * `npm run eval -- <file.jsonl> [--model NAME|/path/] [--backend wasm|webgpu] [--json OUT] [--limit N] [--layers [--policy strict|balanced|permissive]]`
 *
 * Screens every row of a labelled JSONL file (`{"text", "label"}`; label `benign` or one of the
 * model's labels) through the built library in headless Chromium, the same code path a page
 * runs, and prints per label: count, ROC-AUC, precision / recall / F1 at the shipped threshold,
 * recall at 1% benign FPR, and the benign FPR. Each label is judged on its own rows against the
 * benign rows.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { modelPathFor } from './model-path.js';
import { openBuiltLibraryPage } from '../browser/harness/built-library-page.js';
import { labelMetrics, type LabelMetrics } from './metrics.js';
import { shippedThreshold } from './thresholds.js';

const root = new URL('../../', import.meta.url).pathname;
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    json: { type: 'string' },
    limit: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    layers: { type: 'boolean', default: false },
    policy: { type: 'string', default: 'balanced' },
  },
});

/** `--layers`: the guard's catch rate and benign block rate with its layers added one by one. */
const LAYER_STEPS = [
  { name: 'rules only', layers: { normalize: false, rules: true, classifier: false, conversation: false } },
  { name: 'classifiers only', layers: { normalize: false, rules: false, classifier: true, conversation: false } },
  { name: 'rules + classifiers', layers: { normalize: false, rules: true, classifier: true, conversation: false } },
  { name: '+ normalization', layers: { normalize: true, rules: true, classifier: true, conversation: false } },
  { name: '+ conversation', layers: { normalize: true, rules: true, classifier: true, conversation: true } },
];

const modelPath = () => modelPathFor(args.model, root);

interface Row {
  text: string;
  label: string;
  /** Rows sharing an id are turns of one conversation, in file order. */
  conversation?: string;
}

async function main(): Promise<void> {
  const file = positionals[0];
  if (!file) {
    console.error('usage: npm run eval -- <file.jsonl> [--model NAME|/path/] [--backend wasm|webgpu] [--json OUT] [--limit N]');
    process.exit(2);
  }
  let rows: Row[] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    const row = JSON.parse(l) as Partial<Row>;
    if (typeof row.text !== 'string' || typeof row.label !== 'string') throw new Error(`${file}:${i + 1}: needs "text" and "label"`);
    return { text: row.text, label: row.label, ...(typeof row.conversation === 'string' ? { conversation: row.conversation } : {}) };
  });
  if (args.limit) rows = rows.slice(0, Number(args.limit));
  const model = modelPath();
  const manifestFile = `${root}${model.slice(1)}manifest.json`;
  const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : {};
  const backend = args.backend === 'webgpu' ? 'webgpu' : 'wasm';

  if (!args['no-build']) execFileSync('npm', ['run', '--silent', 'build:lib'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const { page, close } = await openBuiltLibraryPage(root);
  const started = performance.now();
  let screened: { labels: string[]; scores: number[][]; backend: string };
  let layerActions: string[][] = [];
  try {
    if (args.layers) {
      layerActions = await page.evaluate(async ({ url, backend, rows, steps, policy }) => {
        const guard = await window.guardedChat.createGuard({ model: { url }, backend: backend as 'wasm' | 'webgpu', policy: policy as 'balanced' });
        const out: string[][] = [];
        for (const step of steps) {
          const actions: string[] = new Array(rows.length);
          const single = rows.flatMap((r, i) => (r.conversation && step.layers.conversation ? [] : [i]));
          for (let i = 0; i < single.length; i += 256) {
            const chunk = single.slice(i, i + 256);
            const verdicts = await Promise.all(chunk.map((j) => guard.screen(rows[j]!.text, { layers: step.layers })));
            verdicts.forEach((v, k) => { actions[chunk[k]!] = v.action; });
          }
          // Turns of a conversation go in order, each conversation under its own id for this step.
          for (let i = 0; i < rows.length; i++) {
            const row = rows[i]!;
            if (!row.conversation || !step.layers.conversation) continue;
            actions[i] = (await guard.screen(row.text, { layers: step.layers, conversation: `${step.name}:${row.conversation}` })).action;
          }
          out.push(actions);
        }
        await guard.dispose();
        return out;
      }, { url: model, backend, rows, steps: LAYER_STEPS, policy: args.policy! });
    }
    screened = await page.evaluate(async ({ url, backend, texts }) => {
      const guard = await window.guardedChat.createGuard({ model: { url }, backend: backend as 'wasm' | 'webgpu' });
      const scores: number[][] = [];
      for (let i = 0; i < texts.length; i += 256) {
        const results = await Promise.all(texts.slice(i, i + 256).map((t) => guard.classify(t)));
        for (const r of results) scores.push(r.labels.map((l) => r.scores[l]!));
      }
      const out = { labels: [...guard.labels], scores, backend: guard.backend.summary };
      await guard.dispose();
      return out;
    }, { url: model, backend, texts: rows.map((r) => r.text) });
  } finally {
    await close();
  }
  const seconds = (performance.now() - started) / 1000;

  const benignIndex = rows.flatMap((r, i) => (r.label === 'benign' ? [i] : []));
  const metrics: LabelMetrics[] = [];
  const thresholds: Record<string, { value: number; source: string }> = {};
  screened.labels.forEach((label, j) => {
    const positives = rows.flatMap((r, i) => (r.label === label ? [screened.scores[i]![j]!] : []));
    const benign = benignIndex.map((i) => screened.scores[i]![j]!);
    thresholds[label] = shippedThreshold(manifest, label);
    metrics.push(labelMetrics(label, positives, benign, thresholds[label]!.value));
  });
  const flaggedAny = (i: number) => screened.labels.some((l, j) => screened.scores[i]![j]! >= thresholds[l]!.value);
  const attackRows = rows.flatMap((r, i) => (screened.labels.includes(r.label) ? [i] : []));
  const overall = {
    attackRows: attackRows.length,
    caughtByAnyLabel: attackRows.filter(flaggedAny).length / (attackRows.length || Number.NaN),
    benignRows: benignIndex.length,
    benignFlaggedByAnyLabel: benignIndex.filter(flaggedAny).length / (benignIndex.length || Number.NaN),
  };
  const ignored = [...new Set(rows.map((r) => r.label).filter((l) => l !== 'benign' && !screened.labels.includes(l)))];

  const pct = (x: number) => (Number.isNaN(x) ? '   n/a' : `${(100 * x).toFixed(1).padStart(5)}%`);
  console.log(`\n${file}: ${rows.length} rows, model ${model}, ${screened.backend}, ${seconds.toFixed(1)} s (${(rows.length / seconds).toFixed(0)} rows/s)`);
  console.log(`${'label'.padEnd(10)} ${'count'.padStart(6)} ${'ROC-AUC'.padStart(8)} ${'thresh'.padStart(7)} ${'prec'.padStart(7)} ${'recall'.padStart(7)} ${'F1'.padStart(7)} ${'R@1%FPR'.padStart(8)} ${'benignFPR'.padStart(9)}`);
  for (const m of metrics) {
    console.log(`${m.label.padEnd(10)} ${String(m.count).padStart(6)} ${(Number.isNaN(m.rocAuc) ? 'n/a' : m.rocAuc.toFixed(4)).padStart(8)} ${m.threshold.toFixed(3).padStart(7)} ${pct(m.precision)} ${pct(m.recall)} ${pct(m.f1)}  ${pct(m.recallAt1PctFpr)}    ${pct(m.benignFpr)}`);
  }
  console.log(`benign rows: ${overall.benignRows}, flagged by any label: ${pct(overall.benignFlaggedByAnyLabel)}; attack rows: ${overall.attackRows}, caught by any label: ${pct(overall.caughtByAnyLabel)}`);
  console.log(`thresholds: ${Object.entries(thresholds).map(([l, t]) => `${l} ${t.value.toFixed(3)} (${t.source})`).join(', ')}`);
  if (ignored.length) console.log(`rows with labels the model does not have were left out of per-label figures: ${ignored.join(', ')}`);
  let layers: { name: string; caught: number; benignBlocked: number }[] | undefined;
  if (args.layers) {
    const attacks = rows.flatMap((r, i) => (r.label !== 'benign' ? [i] : []));
    layers = LAYER_STEPS.map((step, s) => ({
      name: step.name,
      caught: attacks.filter((i) => layerActions[s]![i] === 'block').length / (attacks.length || Number.NaN),
      benignBlocked: benignIndex.filter((i) => layerActions[s]![i] === 'block').length / (benignIndex.length || Number.NaN),
    }));
    const multiTurn = rows.some((r) => r.conversation);
    console.log(`\nlayers (${args.policy} policy; "caught" = attack rows blocked, all ${attacks.length} attack rows; benign blocked of ${benignIndex.length}):`);
    console.log(`${'layers'.padEnd(22)} ${'caught'.padStart(8)} ${'benign blocked'.padStart(15)}`);
    for (const l of layers) console.log(`${l.name.padEnd(22)} ${pct(l.caught).padStart(8)} ${pct(l.benignBlocked).padStart(15)}`);
    if (!multiTurn) console.log('(no rows carry "conversation": the conversation layer had no multi-turn cases to act on)');
  }
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ file, model, backend: screened.backend, rows: rows.length, seconds, metrics, overall, thresholds, layers }, null, 2));
    console.log(`wrote ${args.json}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
