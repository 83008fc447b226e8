import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const trainDir = fileURLToPath(new URL('../../models/train/', import.meta.url));
const script = `${trainDir}pipeline.sh`;
const stagesOf = (): string[] => {
  const line = readFileSync(script, 'utf8').match(/^STAGES=\(([^)]*)\)$/m);
  if (!line) throw new Error('pipeline.sh has no STAGES=(...) line');
  return line[1]!.trim().split(/\s+/);
};
const run = (...args: string[]) => spawnSync('bash', [script, ...args], { encoding: 'utf8' });

describe('the training pipeline (models/train/pipeline.sh)', () => {
  it('runs its stages in the order of their numbered folders, one folder each', () => {
    const folders = readdirSync(trainDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && /^\d+-/.test(e.name))
      .map((e) => e.name)
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    expect(folders.map((f) => f.replace(/^\d+-/, ''))).toEqual(stagesOf());
    folders.forEach((f, i) => expect(parseInt(f, 10)).toBe(i + 1));
    // Every stage has each model's step.
    const body = readFileSync(script, 'utf8');
    for (const stage of stagesOf()) {
      for (const prefix of ['bert', 'use', 'minilm', 'm3']) expect(body).toMatch(new RegExp(`^${prefix}_${stage}\\(\\) \\{`, 'm'));
    }
  });

  it('refuses an unknown model or stage before touching anything, naming what exists', () => {
    const model = run('guard-unknown');
    expect(model.status).toBe(2);
    expect(model.stderr).toContain('guard-bert-mini, guard-use-lite, guard-minilm, guard-use-m3 or all');
    const stage = run('guard-use-lite', 'prepare', 'distill');
    expect(stage.status).toBe(2);
    expect(stage.stderr).toContain(`unknown stage 'distill' (${stagesOf().join(' ')})`);
  });

  it('stops on a pretrained encoder whose files do not match their pinned SHA-256, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pretrained-'));
    try {
      mkdirSync(join(dir, 'model', '1_Pooling'), { recursive: true });
      for (const f of ['model.safetensors', 'config.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'modules.json', '1_Pooling/config.json']) {
        writeFileSync(join(dir, 'model', f), 'not the published file');
      }
      const out = spawnSync('python3', [`${trainDir}1-prepare/pretrained.py`, '--bert-tokenizer', dir, '--out', dir, '--model-dir', join(dir, 'model')], { encoding: 'utf8' });
      expect(out.status).toBe(1);
      expect(out.stderr).toMatch(/model\.safetensors: SHA-256 [0-9a-f]{64}, pinned 53aa5117/);
      rmSync(join(dir, 'model', 'model.safetensors'));
      const missing = spawnSync('python3', [`${trainDir}1-prepare/pretrained.py`, '--bert-tokenizer', dir, '--out', dir, '--model-dir', join(dir, 'model')], { encoding: 'utf8' });
      expect(missing.status).toBe(1);
      expect(missing.stderr).toMatch(/model\.safetensors: missing from the pretrained package/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
