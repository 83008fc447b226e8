/**
 * `npm run eval -- <file.jsonl> [--model NAME|/path/] [--backend wasm|webgpu] [--json OUT] [--limit N]`
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
  },
});

function modelPath(): string {
  const given = args.model;
  if (given?.startsWith('/') || given?.startsWith('./')) return `/${given.replace(/^\.?\//, '').replace(/\/?$/, '/')}`;
  if (given) return `/models/${given}/`;
  const shipped = ['guard-bert-mini'].find((name) => existsSync(`${root}models/${name}/manifest.json`));
  return shipped ? `/models/${shipped}/` : '/test/fixtures/models/tiny-guard/';
}

interface Row {
  text: string;
  label: string;
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
    return { text: row.text, label: row.label };
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
  try {
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
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ file, model, backend: screened.backend, rows: rows.length, seconds, metrics, overall, thresholds }, null, 2));
    console.log(`wrote ${args.json}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
