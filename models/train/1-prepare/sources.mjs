// The data the recipe reads: which files, under which licence, and which rows become training
// rows. One table, so the model card and the licence switch cannot drift apart.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { LABELS } from '../lib/labels.mjs';

/**
 * Licence of each data file, as ../shared/data/README.md and models/train/data/README.md give it.
 * `commercial: false` marks files a commercial user may not be free to train on: non-commercial
 * (CC-BY-NC, research only), GPL, an unknown licence, or a file that mixes GPL rows with others
 * without saying which. `LICENSES=commercial` leaves all of them out.
 */
export const FILE_LICENSES = {
  'advbench.jsonl': ['MIT', true],
  'ailuminate_demo.jsonl': ['CC-BY-4.0', true],
  'alpaca_dolly.jsonl': ['CC-BY-NC-4.0 (Alpaca) / CC-BY-SA-3.0 (Dolly)', false],
  'alpaca_eval.jsonl': ['CC-BY-NC-4.0', false],
  'awesome_chatgpt_prompts.jsonl': ['CC0-1.0', true],
  'bbq_identity.jsonl': ['CC-BY-4.0', true],
  'bipia.jsonl': ['MIT (code); contexts CC-BY-SA-4.0', true],
  'catqa.jsonl': ['Apache-2.0', true],
  'certified_safe_prompts.jsonl': ['MIT', true],
  'code_alpaca.jsonl': ['CC-BY-NC-4.0', false],
  'cold_zh.jsonl': ['Apache-2.0', true],
  'davidson_tweets.jsonl': ['MIT', true],
  'do_not_answer.jsonl': ['Apache-2.0', true],
  'ethos.jsonl': ['GPL-3.0', false],
  'forbidden_questions.jsonl': ['MIT', true],
  'garak_latentinjection.jsonl': ['Apache-2.0', true],
  'gpteacher.jsonl': ['MIT', true],
  'gptfuzz_questions.jsonl': ['MIT', true],
  'gsm8k.jsonl': ['MIT', true],
  'hackaprompt.jsonl': ['MIT', true],
  'harmfulqa.jsonl': ['Apache-2.0', true],
  'injection_misc.jsonl': ['Apache-2.0 / GPL-3.0 / MIT (mixed, not per row)', false],
  'instructionwild.jsonl': ['non-commercial research only', false],
  'jailbreak_llms_2023_05.jsonl': ['MIT', true],
  'jailbreak_llms_2023_12.jsonl': ['MIT', true],
  'jailbreak_templates.jsonl': ['Apache-2.0 / GPL-3.0 / MIT (mixed, not per row)', false],
  'jbb_replies.jsonl': ['MIT', true],
  'medical_queries.jsonl': ['GPL-3.0', false],
  'mmlu.jsonl': ['MIT', true],
  'neuralchemy_v1.jsonl': ['as published by its authors (unstated)', false],
  'olid.jsonl': ['unknown', false],
  'red_queen_multiturn.jsonl': ['unknown', false],
  'safedecoding.jsonl': ['MIT', true],
  'safety_tuned_llamas_replies.jsonl': ['CC-BY-NC-4.0', false],
  'self_instruct_seed.jsonl': ['Apache-2.0 (code) / CC-BY-NC-4.0 (data)', false],
  'sep.jsonl': ['unknown (no licence file)', false],
  'tasktracker.jsonl': ['MIT', true],
  'tense_reformulations.jsonl': ['Apache-2.0', true],
  'toxic_spans.jsonl': ['CC0-1.0', true],
  'toxigen_seed.jsonl': ['MIT', true],
  'wiki_toxicity.jsonl': ['Apache-2.0 (repo); comments CC-BY-SA', true],
  // Fourth pass (hard negatives).
  'coconot.jsonl': ['MIT', true],
  'orbench_80k_sample.jsonl': ['CC-BY-4.0', true],
  'wildjailbreak_eval.jsonl': ['ODC-BY-1.0', true],
  'hatemoji_build.jsonl': ['CC-BY-4.0', true],
  'crowdcounter.jsonl': ['MIT', true],
  'intervene_reddit_gab.jsonl': ['CC-BY-NC-4.0', false],
  // Written for this project (models/train/data/README.md).
  'everyday_chat.jsonl': ['MIT (this project)', true],
  'everyday_chat_eval.jsonl': ['MIT (this project)', true],
  'benign_multiturn.jsonl': ['MIT (this project)', true],
};

/** Files the single-prompt rows never come from: templates are filled (templates.mjs), and
 * conversations are the conversation layer's data (fit-conversation), not the classifier's. */
export const NOT_ROWS = new Set(['jailbreak_templates.jsonl', 'red_queen_multiturn.jsonl', 'benign_multiturn.jsonl']);

/** Share of a text's letters outside the Latin script: the models read English (the language
 * step flags the rest), so texts mostly in another script are left out of training. */
export function nonLatinShare(text) {
  let letters = 0;
  let other = 0;
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    if (!/\p{Script=Latin}/u.test(ch)) other++;
  }
  return letters ? other / letters : 0;
}

const ROW_LABELS = new Set(['benign', ...LABELS]);
const ROLES = new Set(['prompt', 'reply']);

/** One data row, checked: a bad row stops the pipeline with its file and line rather than
 * training on a silently skipped or mislabelled text. */
export function parseRow(line, where) {
  let r;
  try {
    r = JSON.parse(line);
  } catch (e) {
    throw new Error(`${where}: not a JSON object (${e.message})`);
  }
  if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new Error(`${where}: not a JSON object`);
  if (typeof r.text !== 'string' || !r.text.trim()) throw new Error(`${where}: "text" must be a non-empty string`);
  if (!ROW_LABELS.has(r.label)) throw new Error(`${where}: unknown label ${JSON.stringify(r.label)} (expected one of ${[...ROW_LABELS].join(', ')})`);
  if (typeof r.source !== 'string' || !r.source) throw new Error(`${where}: "source" must be a non-empty string`);
  if (r.role !== undefined && !ROLES.has(r.role)) throw new Error(`${where}: unknown role ${JSON.stringify(r.role)} (prompt or reply)`);
  return r;
}

/**
 * Reads every labelled file of the data folders. Returns { rows, files, nonLatin } where each row
 * is { text, label, source, category, role, file, commercial } and `files` lists what was read
 * with its licence. The licence switch is the caller's: it applies to the rows a model learns
 * from (train, and validation, which picks epochs and thresholds), not to the test rows.
 */
export function readSources(dirs) {
  const rows = [];
  const files = [];
  let nonLatin = 0;
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
      const lic = FILE_LICENSES[file];
      if (!lic) throw new Error(`${file}: no licence entry in models/train/1-prepare/sources.mjs; add one before training on it`);
      files.push({ file, license: lic[0], commercial: lic[1], dir });
      if (NOT_ROWS.has(file)) continue;
      const lines = readFileSync(join(dir, file), 'utf8').split('\n');
      for (const [n, line] of lines.entries()) {
        if (!line.trim()) continue;
        const r = parseRow(line, `${file}:${n + 1}`);
        if (nonLatinShare(r.text) > 0.5) { nonLatin++; continue; }
        rows.push({ text: r.text, label: r.label, source: r.source, category: r.category, role: r.role ?? 'prompt', file, commercial: lic[1] });
      }
    }
  }
  return { rows, files, nonLatin };
}

/** The jailbreak templates of the data folders. */
export function readTemplates(dirs) {
  const file = 'jailbreak_templates.jsonl';
  for (const dir of dirs) {
    const p = join(dir, file);
    if (existsSync(p)) return readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  }
  return [];
}
