/**
 * `npm run eval -- <file.jsonl>... [--model NAME|/path/] [--runtime chromium|node] [--backend wasm|webgpu]
 *   [--policy strict|balanced|permissive] [--direction input|output] [--review JSON] [--multilingual JSON] [--baseline] [--layers] [--list-blocked] [--rows OUT] [--json OUT] [--html OUT] [--limit N] [--no-build]`
 *
 * Screens every row of labelled JSONL files (`{"text", "label"}`; label `benign` or one of the
 * model's labels) through the guard — the built library in headless Chromium (default), or the
 * worker's pipeline code in Node — and prints per category: count, ROC-AUC, precision / recall /
 * F1 at the system's own threshold, recall at 1% benign FPR, and the benign FPR. Each category is
 * judged on its own rows against the benign rows. Two views of ours: the model alone
 * (`classify`) and every layer (`screen` under the policy). `--baseline` runs the peer libraries
 * (test/eval/baselines/) on the same rows in the same run and prints them beside ours.
 * `--list-blocked` also prints every benign row the guard blocked, with the verdict's reason: the
 * false positives to read, not only to count. `--rows OUT` writes every row with its verdict (action,
 * reason, per-category screen scores, model scores) as JSONL: the misses to read, on both sides. `--review` adds a classifier second review to the
 * preset (`policy.secondReview`, its model's `url` a path under the project root), e.g. the cascade
 * `'{"model":{"url":"/models/guard-minilm/"},"margin":[2,1],"labels":["injection","jailbreak"]}'`.
 * `--direction output` screens every row as a model's reply (the policy's `output` rules and reply
 * thresholds); the "model alone" view stays the model's prompt thresholds.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { openGuardRuntime, type GuardScript, type RuntimeName } from '../node/guard-runtime.js';
import { PEERS } from './baselines/index.js';
import { renderEvalHtml } from './eval-html.js';
import type { EvalReport, SystemResult } from './eval-report.js';
import { labelMetrics } from './metrics.js';
import { modelPathFor } from './model-path.js';
import { parseDirectionOption, parseMultilingualOption, parseReviewOption } from './script-options.js';
import { rocPoints, thinCurve } from './roc.js';
import { shippedThreshold } from './thresholds.js';

const root = new URL('../../', import.meta.url).pathname;
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string' },
    runtime: { type: 'string', default: 'chromium' },
    backend: { type: 'string', default: 'wasm' },
    json: { type: 'string' },
    html: { type: 'string' },
    limit: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    layers: { type: 'boolean', default: false },
    'list-blocked': { type: 'boolean', default: false },
    rows: { type: 'string' },
    baseline: { type: 'boolean', default: false },
    policy: { type: 'string', default: 'balanced' },
    review: { type: 'string' },
    multilingual: { type: 'string' },
    direction: { type: 'string', default: 'input' },
  },
});

/** `--layers`: the guard's catch rate and benign block rate with its layers added one by one. */
const LAYER_STEPS = [
  { name: 'rules only', layers: { normalize: false, rules: true, classifier: false, conversation: false, language: false } },
  { name: 'classifiers only', layers: { normalize: false, rules: false, classifier: true, conversation: false, language: false } },
  { name: 'rules + classifiers', layers: { normalize: false, rules: true, classifier: true, conversation: false, language: false } },
  { name: '+ normalization', layers: { normalize: true, rules: true, classifier: true, conversation: false, language: false } },
  { name: '+ conversation', layers: { normalize: true, rules: true, classifier: true, conversation: true, language: false } },
  { name: '+ language (all)', layers: { normalize: true, rules: true, classifier: true, conversation: true, language: true } },
];

interface Row {
  text: string;
  label: string;
  /** The row's `source`, else its file's name: rows are reported per source. */
  source: string;
  /** Rows sharing an id are turns of one conversation, in file order. */
  conversation?: string;
}

/** Per row: the model's scores (classify), and the full screen's per-category score and threshold. */
interface Scored {
  labels: string[];
  classify: number[][];
  screen: { score: Record<string, number>; threshold: Record<string, number>; action: string; reason: string; review?: 'ran' | 'failed' }[];
}

/** Runs in the page or in Node: keep it self-contained. */
const scoreRows: GuardScript<{ texts: string[]; direction: 'input' | 'output' }, Scored> = async (guard, { texts, direction }) => {
  const labels = [...guard.labels];
  const out: Scored = { labels, classify: [], screen: [] };
  for (let i = 0; i < texts.length; i += 128) {
    const chunk = texts.slice(i, i + 128);
    const [classified, screened] = await Promise.all([
      Promise.all(chunk.map((t) => guard.classify(t))),
      Promise.all(chunk.map((t) => guard.screen(t, { direction }))),
    ]);
    for (const r of classified) out.classify.push(labels.map((l) => r.scores[l]!));
    for (const v of screened) {
      const score: Record<string, number> = {};
      const threshold: Record<string, number> = {};
      for (const c of v.categories) {
        score[c.category] = c.score;
        if (c.threshold !== undefined) threshold[c.category] = c.threshold;
      }
      const review = v.secondReview ? (v.secondReview.failed ? 'failed' as const : 'ran' as const) : undefined;
      out.screen.push({ score, threshold, action: v.action, reason: v.reason, ...(review ? { review } : {}) });
    }
  }
  return out;
};

/** Runs in the page or in Node: each layer step's action per row. */
const layerActions: GuardScript<{ rows: Row[]; steps: typeof LAYER_STEPS; direction: 'input' | 'output' }, string[][]> = async (guard, { rows, steps, direction }) => {
  const out: string[][] = [];
  for (const step of steps) {
    const actions: string[] = new Array(rows.length);
    const single = rows.flatMap((r, i) => (r.conversation && step.layers.conversation ? [] : [i]));
    for (let i = 0; i < single.length; i += 128) {
      const chunk = single.slice(i, i + 128);
      const verdicts = await Promise.all(chunk.map((j) => guard.screen(rows[j]!.text, { layers: step.layers, direction })));
      verdicts.forEach((v, k) => { actions[chunk[k]!] = v.action; });
    }
    // Turns of a conversation go in order, each conversation under its own id for this step.
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (!row.conversation || !step.layers.conversation) continue;
      actions[i] = (await guard.screen(row.text, { layers: step.layers, direction, conversation: `${step.name}:${row.conversation}` })).action;
    }
    out.push(actions);
  }
  return out;
};

function readRows(file: string): Row[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    const row = JSON.parse(l) as Partial<Row>;
    if (typeof row.text !== 'string' || typeof row.label !== 'string') throw new Error(`${file}:${i + 1}: needs "text" and "label"`);
    const source = typeof row.source === 'string' ? row.source : file.split('/').pop()!.replace(/\.jsonl$/, '');
    return { text: row.text, label: row.label, source, ...(typeof row.conversation === 'string' ? { conversation: row.conversation } : {}) };
  });
}

/** One system's metrics and curve per category, from per-row scores. */
function systemResult(rows: readonly Row[], labels: readonly string[], scoreOf: (row: number, label: string) => number | undefined,
  thresholdOf: (label: string) => number | undefined): Record<string, SystemResult['labels'][string]> {
  const benign = rows.flatMap((r, i) => (r.label === 'benign' ? [i] : []));
  const out: SystemResult['labels'] = {};
  for (const label of labels) {
    const threshold = thresholdOf(label);
    if (threshold === undefined) continue;
    const positives = rows.flatMap((r, i) => (r.label === label ? [scoreOf(i, label) ?? 0] : []));
    const negatives = benign.map((i) => scoreOf(i, label) ?? 0);
    out[label] = { metrics: labelMetrics(label, positives, negatives, threshold), roc: thinCurve(rocPoints(positives, negatives)) };
  }
  return out;
}

async function main(): Promise<void> {
  if (positionals.length === 0) {
    console.error('usage: npm run eval -- <file.jsonl>... [--baseline] [--layers] [--list-blocked] [--runtime chromium|node] [--model NAME|/path/] [--json OUT] [--html OUT] [--limit N]');
    process.exit(2);
  }
  let rows = positionals.flatMap(readRows);
  if (args.limit) rows = rows.slice(0, Number(args.limit));
  const runtimeName: RuntimeName = args.runtime === 'node' ? 'node' : 'chromium';
  const policy = args.policy as 'strict' | 'balanced' | 'permissive';
  const model = modelPathFor(args.model, root);
  const manifestFile = `${root}${model.slice(1)}manifest.json`;
  const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : {};

  const started = performance.now();
  const review = args.review ? parseReviewOption(args.review) : undefined;
  const multilingual = args.multilingual ? parseMultilingualOption(args.multilingual) : undefined;
  const direction = parseDirectionOption(args.direction);
  const runtime = await openGuardRuntime(runtimeName, {
    modelPath: model, policy, backend: args.backend === 'webgpu' ? 'webgpu' : 'wasm', build: !args['no-build'], ...(review ? { review } : {}), ...(multilingual ? { multilingual } : {}),
  });
  let scored: Scored;
  let actions: string[][] = [];
  try {
    scored = await runtime.run(scoreRows, { texts: rows.map((r) => r.text), direction });
    if (args.layers) actions = await runtime.run(layerActions, { rows, steps: LAYER_STEPS, direction });
  } finally {
    await runtime.close();
  }
  const ourSeconds = (performance.now() - started) / 1000;
  const labels = scored.labels;
  const index = new Map(labels.map((l, j) => [l, j]));

  const systems: SystemResult[] = [
    {
      name: 'guarded-chat: model alone',
      kind: 'ours',
      note: `guard.classify() — the shipped model's probability per label, at its shipped threshold (${labels.map((l) => `${l} ${shippedThreshold(manifest, l).value.toFixed(3)}`).join(', ')})`,
      graded: true,
      labels: systemResult(rows, labels, (i, l) => scored.classify[i]![index.get(l)!], (l) => shippedThreshold(manifest, l).value),
    },
    {
      name: 'guarded-chat: all layers',
      kind: 'ours',
      note: `guard.screen() under the ${policy} policy — per category the highest of the classifier over every view (normalized, decoded, unframed) and the rules (a rule hit scores 1), at the policy's threshold`,
      graded: true,
      labels: systemResult(rows, labels, (i, l) => scored.screen[i]!.score[l], (l) => scored.screen.find((s) => s.threshold[l] !== undefined)?.threshold[l]),
    },
  ];

  const peerSeconds: Record<string, number> = {};
  if (args.baseline) {
    for (const peer of PEERS) {
      const t = performance.now();
      const scores: Record<string, number>[] = [];
      for (const row of rows) scores.push(await peer.score(row.text));
      peerSeconds[peer.name] = (performance.now() - t) / 1000;
      systems.push({
        name: peer.name,
        kind: 'peer',
        note: `compared on ${Object.entries(peer.claims).map(([ours, theirs]) => `${ours} (${theirs})`).join(', ')} at its own threshold${Object.keys(peer.thresholds).length ? ` (${[...new Set(Object.values(peer.thresholds))].join(', ')})` : ''}; not on ${labels.filter((l) => !peer.claims[l]).join(', ') || 'none'}`,
        graded: peer.graded,
        labels: systemResult(rows, labels, (i, l) => scores[i]![l], (l) => peer.thresholds[l]),
      });
    }
  }

  const benignRows = rows.filter((r) => r.label === 'benign').length;
  const ignored = [...new Set(rows.map((r) => r.label).filter((l) => l !== 'benign' && !labels.includes(l)))];
  const notes = [
    `${benignRows} benign rows; ${rows.length - benignRows} attack rows (${labels.map((l) => `${l} ${rows.filter((r) => r.label === l).length}`).join(', ')}).`,
    ...(ignored.length ? [`Rows with labels the model does not have were left out of per-category figures: ${ignored.join(', ')}.`] : []),
    ...(args.baseline ? ['Peers run in Node, in this process, on the same rows.'] : []),
  ];
  let layers: EvalReport['layers'];
  if (args.layers) {
    const attacks = rows.flatMap((r, i) => (r.label !== 'benign' ? [i] : []));
    const benign = rows.flatMap((r, i) => (r.label === 'benign' ? [i] : []));
    layers = LAYER_STEPS.map((step, s) => ({
      name: step.name,
      caught: attacks.filter((i) => actions[s]![i] === 'block').length / (attacks.length || Number.NaN),
      benignBlocked: benign.filter((i) => actions[s]![i] === 'block').length / (benign.length || Number.NaN),
    }));
    if (!rows.some((r) => r.conversation)) notes.push('No rows carry "conversation": the conversation layer had no multi-turn cases to act on.');
  }
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = `${r.source}\u0000${r.label}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  });
  const modelFlagged = (i: number) => labels.some((l, j) => scored.classify[i]![j]! >= shippedThreshold(manifest, l).value);
  const sources = [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, idx]) => {
    const [source, label] = key.split('\u0000') as [string, string];
    return {
      source,
      label,
      rows: idx.length,
      blocked: idx.filter((i) => scored.screen[i]!.action === 'block').length / idx.length,
      modelFlagged: idx.filter(modelFlagged).length / idx.length,
      ...(review ? { reviewed: idx.filter((i) => scored.screen[i]!.review === 'ran').length / idx.length } : {}),
    };
  });
  const reviewFailed = scored.screen.filter((s) => s.review === 'failed').length;
  if (reviewFailed > 0) throw new Error(`the second review failed on ${reviewFailed} texts: the figures would not be the review's`);
  const report: EvalReport = {
    title: `guarded-chat evaluation — ${positionals.map((f) => f.split('/').pop()).join(', ')}`,
    settings: {
      files: positionals.join(', '),
      rows: rows.length,
      model: model,
      runtime: runtime.description,
      policy,
      direction,
      ...(review ? { review: JSON.stringify(review) } : {}),
      ...(multilingual ? { multilingual: JSON.stringify(multilingual) } : {}),
      'ours: seconds (classify + screen of every row)': ourSeconds.toFixed(1),
      ...Object.fromEntries(Object.entries(peerSeconds).map(([n, s]) => [`${n}: seconds`, s.toFixed(2)])),
      date: new Date().toISOString(),
    },
    labels,
    systems,
    ...(layers ? { layers } : {}),
    sources,
    notes,
  };
  printReport(report);
  if (args['list-blocked']) {
    const blocked = rows.flatMap((r, i) => (r.label === 'benign' && scored.screen[i]!.action === 'block' ? [i] : []));
    console.log(`\nbenign rows blocked (${blocked.length}):`);
    const oneLine = (text: string, max: number) => { const flat = text.replace(/\s+/g, ' ').trim(); return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat; };
    for (const i of blocked) console.log(`  ${rows[i]!.source}: ${oneLine(scored.screen[i]!.reason, 110)}\n    ${oneLine(rows[i]!.text, 160)}`);
  }
  if (args.rows) {
    mkdirSync(dirname(args.rows), { recursive: true });
    const lines = rows.map((r, i) => {
      const s = scored.screen[i]!;
      const model = Object.fromEntries(labels.map((l, j) => [l, scored.classify[i]![j]]));
      return JSON.stringify({ source: r.source, label: r.label, action: s.action, reason: s.reason, screen: s.score, model, text: r.text });
    });
    writeFileSync(args.rows, `${lines.join('\n')}\n`);
    console.log(`wrote ${args.rows}`);
  }
  if (args.json) {
    mkdirSync(dirname(args.json), { recursive: true });
    writeFileSync(args.json, JSON.stringify(report, null, 2));
    console.log(`wrote ${args.json}`);
  }
  if (args.html) {
    mkdirSync(dirname(args.html), { recursive: true });
    writeFileSync(args.html, renderEvalHtml(report));
    console.log(`wrote ${args.html}`);
  }
}

function printReport(report: EvalReport): void {
  const pct = (x: number) => (Number.isNaN(x) ? '   n/a' : `${(100 * x).toFixed(1).padStart(5)}%`);
  const num = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
  console.log(`\n${report.title}`);
  for (const [k, v] of Object.entries(report.settings)) console.log(`  ${k}: ${v}`);
  const width = Math.max(...report.systems.map((s) => s.name.length)) + 2;
  console.log(`\n${'category / system'.padEnd(width + 2)} ${'rows'.padStart(5)} ${'ROC-AUC'.padStart(8)} ${'thresh'.padStart(7)} ${'prec'.padStart(7)} ${'recall'.padStart(7)} ${'F1'.padStart(7)} ${'R@1%FPR'.padStart(8)} ${'benignFPR'.padStart(9)}`);
  for (const label of report.labels) {
    console.log(label);
    for (const s of report.systems) {
      const r = s.labels[label];
      if (!r) {
        console.log(`  ${s.name.padEnd(width)} (claims no such category)`);
        continue;
      }
      const m = r.metrics;
      console.log(`  ${s.name.padEnd(width)} ${String(m.count).padStart(5)} ${(num(m.rocAuc) + (s.graded ? '' : '*')).padStart(8)} ${num(m.threshold).padStart(7)} ${pct(m.precision)} ${pct(m.recall)} ${pct(m.f1)}  ${pct(m.recallAt1PctFpr)}    ${pct(m.benignFpr)}`);
    }
  }
  console.log('\n* discrete severity levels, not a graded score: its ROC-AUC rests on a few steps.');
  for (const s of report.systems) console.log(`- ${s.name}: ${s.note}`);
  for (const n of report.notes) console.log(n);
  if (report.sources) {
    console.log(`\nper source (whole guard under the ${report.settings.policy} policy; model alone at its shipped thresholds, any label):`);
    const w = Math.max(...report.sources.map((s) => s.source.length + s.label.length + 3), 20);
    const reviewed = report.sources.some((s) => s.reviewed !== undefined);
    console.log(`${'source (label)'.padEnd(w)} ${'rows'.padStart(6)} ${'blocked'.padStart(8)} ${'model flagged'.padStart(14)}${reviewed ? ' reviewed'.padStart(10) : ''}`);
    for (const s of report.sources) {
      console.log(`${`${s.source} (${s.label})`.padEnd(w)} ${String(s.rows).padStart(6)} ${pct(s.blocked).padStart(8)} ${pct(s.modelFlagged).padStart(14)}${s.reviewed !== undefined ? pct(s.reviewed).padStart(10) : ''}`);
    }
  }
  if (report.layers) {
    console.log(`\nlayers (our guard, ${report.settings.policy} policy; "caught" = attack rows blocked):`);
    console.log(`${'layers'.padEnd(22)} ${'caught'.padStart(8)} ${'benign blocked'.padStart(15)}`);
    for (const l of report.layers) console.log(`${l.name.padEnd(22)} ${pct(l.caught).padStart(8)} ${pct(l.benignBlocked).padStart(15)}`);
  }
}

// Exit at once: in Node, V8 keeps compiling onnxruntime-web's 27 MB WASM in the background
// (optimizing tiers) after the model is released, and would hold the process for minutes.
main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
