import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
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
    // Every stage has both models' steps.
    const body = readFileSync(script, 'utf8');
    for (const stage of stagesOf()) {
      expect(body).toMatch(new RegExp(`^bert_${stage}\\(\\) \\{`, 'm'));
      expect(body).toMatch(new RegExp(`^use_${stage}\\(\\) \\{`, 'm'));
    }
  });

  it('refuses an unknown model or stage before touching anything, naming what exists', () => {
    const model = run('guard-unknown');
    expect(model.status).toBe(2);
    expect(model.stderr).toContain('guard-bert-mini, guard-use-lite or all');
    const stage = run('guard-use-lite', 'prepare', 'distill');
    expect(stage.status).toBe(2);
    expect(stage.stderr).toContain(`unknown stage 'distill' (${stagesOf().join(' ')})`);
  });
});
